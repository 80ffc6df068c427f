import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { catchError, type Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { NotFoundError } from '../../core/errors';
import { EVENT_STORE, type EventStore } from '../../core/event-store/event-store.port';
import { ProblemError, sendProblem } from '../../core/http/problem-details';
import { complaintStreamName } from '../domain/complaint.decider';
import { ATTACHMENT_STORE, type AttachmentStore } from './attachment-store';
import { receiveUpload, type ReceivedUpload } from './receive-upload';

/** The one route that takes multipart/form-data. */
export const ATTACHMENT_UPLOAD_PATH = '/cases/:caseId/attachments';

/**
 * Keeps multipart/form-data (which createApp lets @fastify/multipart parse) to the upload route: every other route
 * answers it with 415, exactly as before multipart was known.
 */
@Injectable()
export class AttachmentUploads implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.addHook !== 'function') return;
    fastify.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!request.isMultipart() || request.routeOptions.url === ATTACHMENT_UPLOAD_PATH) return;
      sendProblem(
        new ProblemError('unsupported-media-type', 'Send the body as application/json.'),
        request,
        reply,
        this.config.publicBaseUrl,
      );
      return reply;
    });
  }
}

const uploads = new WeakMap<FastifyRequest, ReceivedUpload>();

/** The file this request uploaded, once the interceptor stored it. */
export function uploadOf(request: FastifyRequest | undefined): ReceivedUpload | undefined {
  return request && uploads.get(request);
}

/**
 * Receives the upload before the route runs (the route stays a thin command builder), for an existing case only; if the
 * command is then refused, a file this upload stored is removed again, so a refused upload leaves nothing behind.
 */
@Injectable()
export class ReceiveAttachmentInterceptor implements NestInterceptor {
  constructor(
    @Inject(ATTACHMENT_STORE) private readonly store: AttachmentStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<FastifyRequest<{ Params: { caseId: string } }>>();
    const caseId = request.params.caseId;
    if ((await this.events.readStream(complaintStreamName(caseId), { maxCount: 1 })).length === 0)
      throw new NotFoundError(`Case ${caseId} does not exist`);
    const upload = await receiveUpload(request, this.store, {
      maxBytes: this.config.attachmentMaxBytes,
      idleTimeoutMs: this.config.requestBounds.streamIdleTimeoutMs,
      totalTimeoutMs: this.config.attachmentTimeoutMs,
    });
    uploads.set(request, upload);
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (upload.fresh) this.store.remove(upload.sha256);
        throw error;
      }),
    );
  }
}

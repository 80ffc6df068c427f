import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { CLOCK, Clock } from '../../../core/clock';
import { uuidV5 } from '../../../core/deterministic-id';
import { commandContext, readCommandHeaders } from '../../../core/http/command-request';
import { ComplaintCommand } from '../../domain/complaint.commands';
import { UnissuedCommand } from './case-action';
import { ExecuteCaseCommand } from './execute-case-command';

export interface CaseCommandResponse {
  caseId: string;
  revision: number;
  position: number;
  [extra: string]: string | number | undefined;
}

export interface CaseCommandRequest {
  /** Given for commands on an existing case; POST /cases derives a new one from the idempotency key. */
  readonly caseId?: string;
  /** Builds the command; `newId` gives ids that repeat when the request is retried with the same Idempotency-Key. */
  build(ids: { caseId: string; newId(kind: string): string }): UnissuedCommand;
  respondWith?(command: UnissuedCommand): Record<string, string | undefined>;
}

/** Turns an HTTP request into a command on the bus and its result into the response (body and ETag). */
@Injectable()
export class CaseCommandGateway {
  constructor(private readonly commandBus: CommandBus, @Inject(CLOCK) private readonly clock: Clock) {}

  async execute(http: FastifyRequest, reply: FastifyReply, request: CaseCommandRequest): Promise<CaseCommandResponse> {
    const headers = readCommandHeaders(http);
    const commandId = headers.idempotencyKey ?? randomUUID();
    const caseId = request.caseId ?? uuidV5(`case/${commandId}`);
    const newId = (kind: string) => uuidV5(`${kind}/${caseId}/${commandId}`);
    const at = this.clock.now().toISOString();
    const unissued = request.build({ caseId, newId });
    const command = { ...unissued, by: headers.actor, at } as ComplaintCommand;
    const result = await this.commandBus.execute(new ExecuteCaseCommand(caseId, command, commandContext(headers, commandId, at)));
    void reply.header('etag', `"${result.revision}"`);
    return { caseId, revision: result.revision, position: result.position, ...request.respondWith?.(unissued) };
  }
}

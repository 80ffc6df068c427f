import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ProblemError, RequestValidationError } from '../../core/http/problem-details';
import { RequestTimeoutError } from '../../core/http/request-bounds';
import type { ProblemCode } from '../../core/http/problem-types';
import type { AttachmentStore } from './attachment-store';
import { ALLOWED_ATTACHMENT_TYPES, sniffContentType, type AttachmentType } from './sniff';

export interface ReceivedUpload {
  readonly name: string;
  readonly size: number;
  readonly contentType: AttachmentType;
  readonly sha256: string;
  /** Stored by this upload (not already there): what to remove if the command is refused. */
  readonly fresh: boolean;
}

/** How much an upload may take: its size, the longest pause between bytes, and the whole upload. */
export interface UploadLimits {
  readonly maxBytes: number;
  readonly idleTimeoutMs: number;
  readonly totalTimeoutMs: number;
}

const SNIFF_BYTES = 512;

const refused = (code: ProblemCode, detail: string) => new ProblemError(code, detail);

/**
 * Streams the one file of a multipart/form-data request to a temporary file, hashing it and sniffing its type as it goes
 * (never holding it in memory), then adopts it into the content-addressed store. Anything wrong (too large, a type not
 * allowed, a truncated body, no file) is a problem, and the temporary file is gone.
 */
export async function receiveUpload(request: FastifyRequest, store: AttachmentStore, limits: UploadLimits): Promise<ReceivedUpload> {
  if (!request.isMultipart()) throw refused('unsupported-media-type', 'Upload the file as multipart/form-data with one file part.');
  const timer = uploadTimer(limits);
  try {
    return await receive(request, store, limits.maxBytes, timer);
  } catch (error) {
    throw timer.signal.aborted ? (timer.signal.reason as RequestTimeoutError) : error;
  } finally {
    timer.clear();
  }
}

async function receive(request: FastifyRequest, store: AttachmentStore, maxBytes: number, timer: UploadTimer): Promise<ReceivedUpload> {
  let part: MultipartFile | undefined;
  try {
    const file = request.file({ limits: { fileSize: maxBytes, files: 1, fieldSize: 1024, fields: 5 } });
    // Given up on (timed out) it may still fail later, when the connection closes: nobody waits for it then.
    file.catch(() => undefined);
    part = await Promise.race([file, timer.expired]);
  } catch (error) {
    throw truncated(error);
  }
  if (!part) throw new RequestValidationError([{ field: 'file', message: 'is required: send one file part' }]);
  const temporary = store.temporaryPath(randomUUID());
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  const observe = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      timer.touch();
      hash.update(chunk);
      size += chunk.length;
      if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk]).subarray(0, SNIFF_BYTES);
      done(null, chunk);
    },
  });
  try {
    try {
      await pipeline(part.file, observe, createWriteStream(temporary), { signal: timer.signal });
    } catch (error) {
      throw tooLarge(error, maxBytes) ?? truncated(error);
    }
    if (part.file.truncated) throw tooLarge(undefined, maxBytes, true)!;
    if (size === 0) throw new RequestValidationError([{ field: 'file', message: 'is empty' }]);
    const contentType = sniffContentType(head);
    if (!contentType)
      throw refused(
        'attachment-type-not-allowed',
        `The file is not one of ${ALLOWED_ATTACHMENT_TYPES.join(', ')} (judged by its content, not its name or declared type).`,
      );
    const sha256 = hash.digest('hex');
    const fresh = store.adopt(temporary, sha256);
    return { name: safeName(part.filename), size, contentType, sha256, fresh };
  } finally {
    rmSync(temporary, { force: true });
  }
}

interface UploadTimer {
  /** Aborted with a RequestTimeoutError when the upload paused too long or took too long. */
  readonly signal: AbortSignal;
  /** Never resolves; rejects when the signal aborts. */
  readonly expired: Promise<never>;
  /** Bytes arrived: the pause is over. */
  touch(): void;
  clear(): void;
}

/**
 * The upload's own bounds: multipart bodies are read by @fastify/multipart from the raw request, outside the bounds the
 * other bodies get (core/http/request-bounds.ts), so without these only the socket's timeout would end a stalled one.
 */
function uploadTimer({ idleTimeoutMs, totalTimeoutMs }: UploadLimits): UploadTimer {
  const controller = new AbortController();
  const expire = (message: string) => controller.abort(new RequestTimeoutError(`${message}; nothing was kept.`));
  const idle = setTimeout(() => expire(`No part of the upload arrived for ${idleTimeoutMs} ms`), idleTimeoutMs);
  const total = setTimeout(() => expire(`The upload did not arrive whole within ${totalTimeoutMs} ms`), totalTimeoutMs);
  const expired = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true }),
  );
  expired.catch(() => undefined);
  return {
    signal: controller.signal,
    expired,
    touch: () => idle.refresh(),
    clear: () => {
      clearTimeout(idle);
      clearTimeout(total);
    },
  };
}

function tooLarge(error: unknown, maxBytes: number, force = false): ProblemError | undefined {
  const code = (error as { code?: string } | undefined)?.code;
  if (!force && code !== 'FST_REQ_FILE_TOO_LARGE') return undefined;
  return refused('attachment-too-large', `An attachment may be at most ${maxBytes} bytes.`);
}

function truncated(error: unknown): ProblemError {
  const reason = error instanceof Error ? error.message : String(error);
  return refused('upload-incomplete', `The multipart body could not be read to its end (${reason}); nothing was kept.`);
}

/** The file's own name, without any path a client put in front of it. */
function safeName(filename: string | undefined): string {
  const base = (filename ?? '').split(/[\\/]/).pop()?.trim() ?? '';
  return base.length > 0 ? base.slice(0, 255) : 'attachment';
}

import { HttpStatus } from '@nestjs/common';

/** What a problem `type` URI dereferences to: the problem in words, and the rule when a business rule refused. */
export interface ProblemType {
  readonly code: string;
  readonly title: string;
  readonly status: number;
  readonly description: string;
  /** For a business rule: the rule in words, as the rule book states it. */
  readonly rule?: string;
}

type Known = Omit<ProblemType, 'code'>;

/** Every problem the HTTP layer raises itself; business rules add one type each (409). */
export const PROBLEM_TYPES = {
  validation: {
    status: 400,
    title: 'Invalid request',
    description: 'A field of the body, a query parameter or a header is invalid; `errors` names each one and why.',
  },
  'malformed-request': {
    status: 400,
    title: 'Malformed request',
    description: 'The request could not be read: malformed JSON, a malformed URL or invalid HTTP.',
  },
  unauthorized: {
    status: 401,
    title: 'Unauthorized',
    description:
      'No bearer token, or one that is malformed, expired, badly signed or not issued for this API. Send `Authorization: Bearer <JWT>`.',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    description: "The token's role may not call this operation (see the operation's `x-roles`).",
  },
  'not-found': { status: 404, title: 'Not found', description: 'The case, customer, offer or resource named in the path does not exist.' },
  'request-timeout': { status: 408, title: 'Request Timeout', description: 'The request did not arrive in time.' },
  'stale-revision': {
    status: 409,
    title: 'Stale revision',
    description: 'If-Match named a revision the stream is no longer at: reload it (its ETag) and decide again.',
  },
  'concurrent-modification': {
    status: 409,
    title: 'Concurrent modification',
    description: 'The stream kept changing while the command was decided, beyond the retries the service makes itself: retry the command.',
  },
  'body-too-large': {
    status: 413,
    title: 'Body too large',
    description: 'The request body is larger than the server accepts (BODY_LIMIT_BYTES).',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    description:
      'The body is not in a media type the operation accepts: application/json for commands; text/csv or application/x-ndjson for imports.',
  },
  'idempotency-key-reused': {
    status: 422,
    title: 'Idempotency-Key reused',
    description:
      'The Idempotency-Key was already used for a different request (another method, route, stream or body) within its retention. ' +
      'Use a new key for a new request; repeat the original request unchanged to get its answer again.',
  },
  'too-many-requests': {
    status: 429,
    title: 'Too many requests',
    description: 'More requests from this token subject (or address) than the rate limit allows: retry after Retry-After seconds.',
  },
  'headers-too-large': {
    status: 431,
    title: 'Request Header Fields Too Large',
    description: "The request's headers exceed MAX_HEADER_BYTES.",
  },
  internal: {
    status: 500,
    title: 'Internal error',
    description: 'The server failed to handle the request; it has been logged. Retrying may help; report it if it persists.',
  },
  'read-model-behind': {
    status: 503,
    title: 'Read model behind',
    description: 'The read model did not reach the asked minPosition within READ_WAIT_TIMEOUT_MS: retry after Retry-After seconds.',
  },
  'upload-incomplete': {
    status: 400,
    title: 'Upload incomplete',
    description: 'The multipart body could not be read to its end; nothing was kept. Send the file again.',
  },
  'attachment-altered': {
    status: 409,
    title: 'Attachment altered',
    description: 'The stored file no longer hashes to the SHA-256 its AttachmentAdded event recorded: it was altered or lost on disk.',
  },
  'attachment-erased': {
    status: 410,
    title: 'Attachment erased',
    description:
      "The attachment belonged to a customer whose personal data was erased: its file was removed. Its name, size, type and SHA-256 stay in the case's history.",
  },
  'attachment-too-large': {
    status: 413,
    title: 'Attachment too large',
    description: 'The file is larger than ATTACHMENT_MAX_BYTES; nothing was kept.',
  },
  'attachment-type-not-allowed': {
    status: 415,
    title: 'Attachment type not allowed',
    description: 'The file is not PDF, PNG, JPEG or plain text, judged by its content (not its name or declared type); nothing was kept.',
  },
  'read-store-unavailable': {
    status: 503,
    title: 'Read store unavailable',
    description:
      'The read store did not answer within its timeouts (READ_STORE_STATEMENT_TIMEOUT_MS, READ_STORE_CONNECT_TIMEOUT_MS). Commands are still accepted; retry the read after Retry-After seconds.',
  },
  'event-store-unavailable': {
    status: 503,
    title: 'Event store unavailable',
    description: 'The event store (EventStoreDB) could not be reached. Nothing was recorded; retry the command after Retry-After seconds.',
  },
  'store-busy': {
    status: 503,
    title: 'Store busy',
    description: 'The embedded store stayed locked past its busy timeout (READ_STORE_BUSY_TIMEOUT_MS); retry shortly.',
  },
  'broken-chain': {
    status: 503,
    title: 'Broken hash chain',
    description:
      "The stream's hash chain does not verify (an event was altered, removed or reordered): no command is appended to it until an operator repairs it.",
  },
} as const satisfies Record<string, Known>;

export type ProblemCode = keyof typeof PROBLEM_TYPES;

/** What `/problems/<code>` describes: a problem the HTTP layer raises, a business rule, or an HTTP status by its kebab-case name. */
export function describeProblemType(code: string, rules: Readonly<Record<string, string>>): ProblemType | undefined {
  if (Object.hasOwn(PROBLEM_TYPES, code)) return { code, ...PROBLEM_TYPES[code as ProblemCode] };
  if (Object.hasOwn(rules, code)) {
    return {
      code,
      status: 409,
      title: 'Refused by a business rule',
      description: `The command was refused by the business rule \`${code}\`. Nothing was recorded; the problem's \`detail\` says why for this case.`,
      rule: rules[code],
    };
  }
  const status = statusOfCode(code);
  return status === undefined
    ? undefined
    : { code, status, title: titleOfStatus(status), description: `HTTP ${status} ${titleOfStatus(status)}.` };
}

/** The type code of any other HTTP error: its status name in kebab case (413 → payload-too-large). */
export function codeOfStatus(status: number): string {
  return String(HttpStatus[status] ?? 'error')
    .toLowerCase()
    .replace(/_/g, '-');
}

export function titleOfStatus(status: number): string {
  const words = codeOfStatus(status).replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function statusOfCode(code: string): number | undefined {
  const name = code.toUpperCase().replace(/-/g, '_');
  const status = (HttpStatus as unknown as Record<string, number | undefined>)[name];
  return typeof status === 'number' && status >= 400 ? status : undefined;
}

import type { FastifyRequest } from 'fastify';
import { RequestValidationError } from './problem-details';

/**
 * Read-your-writes: the global position a client wants reflected, from `?minPosition=` or
 * the `X-Min-Position` header (a command response's `position`).
 */
export function readMinPosition(request: FastifyRequest): number | undefined {
  const query = (request.query as Record<string, unknown> | undefined)?.['minPosition'];
  if (query !== undefined) return parsePosition('minPosition', query);
  const header = request.headers['x-min-position'];
  return header === undefined ? undefined : parsePosition('X-Min-Position', header);
}

/** Present means exactly one whole number: a repeated or empty value is an error, never a silent "don't wait". */
function parsePosition(field: string, value: unknown): number {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) {
    throw new RequestValidationError([{ field, message: 'must be one whole number (a position from a command response)' }]);
  }
  return Number(value);
}

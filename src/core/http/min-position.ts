import type { FastifyRequest } from 'fastify';
import { RequestValidationError } from './problem-details';

/**
 * Read-your-writes: the global position a client wants reflected, from `?minPosition=` or
 * the `X-Min-Position` header (a command response's `position`).
 */
export function readMinPosition(request: FastifyRequest): number | undefined {
  const query = (request.query as Record<string, unknown> | undefined)?.['minPosition'];
  const header = request.headers['x-min-position'];
  const raw = typeof query === 'string' ? query : Array.isArray(header) ? header[0] : header;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw)) {
    throw new RequestValidationError([{ field: typeof query === 'string' ? 'minPosition' : 'X-Min-Position', message: 'must be a whole number (a position from a command response)' }]);
  }
  return Number(raw);
}

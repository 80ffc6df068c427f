import { ReadStoreUnavailableError } from '../read-store/read-store';

/**
 * PostgreSQL SQLSTATEs that say the server could not do the work now, whatever the work: a connection exception (08),
 * insufficient resources (53), the server shutting down or refusing connections (57P01–57P03), a statement cancelled
 * by its timeout (57014), a serialization failure or deadlock (40001, 40P01), a lock not granted in time (55P03), a
 * server that only reads (25006, a standby after a failover).
 */
const POSTGRES_OUTAGE = /^(08[0-9A-Z]{3}|53[0-9A-Z]{3}|57P0[1-3]|57014|40001|40P01|55P03|25006)$/;

/** SQLite result codes (and their extended codes) of a database that cannot be written now: locked, busy, I/O, full, unopenable, read-only. */
const SQLITE_OUTAGE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY)(_|$)/;

/** Socket errors: the server is not there, or went away mid-conversation. */
const NETWORK_OUTAGE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** What node-postgres says when the connection broke or never came, without a code. */
const CONNECTION_LOST = /Connection terminated|timeout exceeded when trying to connect|Query read timeout/i;

/**
 * Whether `error` is known to be the stores', not the data's: a driver error that any batch would have met now.
 * The projection runner retries such a batch as it is; any other error may be one event's, so it looks for that event.
 * Looks through causes (a ReadStoreUnavailableError wraps the driver's) and the errors of an AggregateError (a refused
 * connection to each address of a host).
 */
export function isStoreOutage(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== 'object' || error === null) return false;
  if (error instanceof ReadStoreUnavailableError) return true;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && (POSTGRES_OUTAGE.test(code) || SQLITE_OUTAGE.test(code) || NETWORK_OUTAGE.has(code))) return true;
  if (typeof message === 'string' && CONNECTION_LOST.test(message)) return true;
  if (Array.isArray(errors) && errors.some((inner) => isStoreOutage(inner, depth + 1))) return true;
  return isStoreOutage(cause, depth + 1);
}

import { isAbsolute, resolve } from 'node:path';

/** Everything Redress reads from its environment, validated once at start. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /** Where the embedded SQLite files live. */
  readonly dataDir: string;
  /** Largest request body accepted, in bytes; larger ones get 413. */
  readonly bodyLimitBytes: number;
  /** How long after resolution or closure a case may be reopened. */
  readonly reopenWindowDays: number;
  /** Goodwill an actor may grant without approval, per role, in minor units of a two-decimal currency. */
  readonly goodwillLimits: { readonly agent: number; readonly supervisor: number };
  readonly logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
  /**
   * EventStoreDB / KurrentDB connection string (`esdb://`, `esdb+discover://`, `kurrentdb://`,
   * `kurrentdb+discover://`) for the event log; absent: the embedded SQLite log under dataDir.
   */
  readonly eventStoreUrl?: string;
  /** PostgreSQL URL for the read models; absent: an SQLite file under dataDir. */
  readonly readStoreUrl?: string;
  /** PostgreSQL schema for the read models (created if missing); default: the connection's search_path. */
  readonly readStoreSchema?: string;
  /** How long a query with minPosition waits for the projections before answering 503. */
  readonly readWaitTimeoutMs: number;
  /** How often the deadline clock looks for deadlines that passed unmet. */
  readonly deadlineCheckIntervalMs: number;
  readonly projectionBatchSize: number;
  /** Interval of the keep-alive comment on live (SSE) streams. */
  readonly liveKeepAliveMs: number;
}

export const APP_CONFIG = Symbol('AppConfig');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;
const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, values: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(values as readonly string[]).includes(raw)) problems.push(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
    return raw as T;
  };
  const postgresUrl = (name: string): string | undefined => {
    const raw = env[name];
    if (!raw) return undefined;
    if (!/^postgres(ql)?:\/\//.test(raw)) problems.push(`${name} must be a postgres:// URL, got "${raw.replace(/:[^:@/]*@/, ':***@')}"`);
    return raw;
  };
  const eventStoreUrl = (name: string): string | undefined => {
    const raw = env[name];
    if (!raw) return undefined;
    if (!/^(esdb|kurrentdb)(\+discover)?:\/\/[^/?#\s]+/.test(raw)) {
      problems.push(`${name} must be an esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover:// connection string, got "${raw.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}"`);
    }
    return raw;
  };
  const schemaName = (name: string): string | undefined => {
    const raw = env[name];
    if (!raw) return undefined;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(raw)) problems.push(`${name} must be a lower-case PostgreSQL identifier, got "${raw}"`);
    return raw;
  };
  const dataDir = env['DATA_DIR'] || './data';
  const config: AppConfig = {
    port: integer('PORT', 3000, 0, 65535),
    host: env['HOST'] || '127.0.0.1',
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(process.cwd(), dataDir),
    bodyLimitBytes: integer('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    reopenWindowDays: integer('REOPEN_WINDOW_DAYS', 56, 0, 3650),
    goodwillLimits: {
      agent: integer('GOODWILL_LIMIT_AGENT', 5000, 0, Number.MAX_SAFE_INTEGER),
      supervisor: integer('GOODWILL_LIMIT_SUPERVISOR', 50000, 0, Number.MAX_SAFE_INTEGER),
    },
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'log'),
    eventStoreUrl: eventStoreUrl('EVENTSTORE_URL'),
    readStoreUrl: postgresUrl('READ_STORE_URL'),
    readStoreSchema: schemaName('READ_STORE_SCHEMA'),
    readWaitTimeoutMs: integer('READ_WAIT_TIMEOUT_MS', 5000, 0, 60_000),
    deadlineCheckIntervalMs: integer('DEADLINE_CHECK_INTERVAL_MS', 60_000, 100, 86_400_000),
    projectionBatchSize: integer('PROJECTION_BATCH_SIZE', 500, 1, 10_000),
    liveKeepAliveMs: integer('LIVE_KEEPALIVE_MS', 15_000, 100, 600_000),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

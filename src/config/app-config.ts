import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_REBUILD_HEAP_GROWTH_PERCENT } from '../core/projections/rebuild-heap';
import { taxonomyProblems, type RootCauseTaxonomy } from '../kernel/root-cause-taxonomy';

/** Everything Redress reads from its environment, validated once at start. */
export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /** Where the embedded SQLite files live. */
  readonly dataDir: string;
  /** Largest request body accepted, in bytes; larger ones get 413. */
  readonly bodyLimitBytes: number;
  /** The largest attachment a case takes (multipart upload), in bytes. */
  readonly attachmentMaxBytes: number;
  /** The longest an upload may take as a whole (ATTACHMENT_TIMEOUT_MS); it may pause STREAM_IDLE_TIMEOUT_MS between bytes. */
  readonly attachmentTimeoutMs: number;
  /** How long after resolution or closure a case may be reopened. */
  readonly reopenWindowDays: number;
  /** The highest escalation level; only a supervisor escalates to it. */
  readonly topEscalationLevel: number;
  /** Goodwill an actor may grant without approval, per role, in minor units of a two-decimal currency. */
  readonly goodwillLimits: { readonly agent: number; readonly supervisor: number };
  /** pino's levels (LOG_LEVEL); Nest's `log` and `verbose` are accepted as `info` and `trace`. */
  readonly logLevel: LogLevel;
  /** Log lines as JSON (LOG_FORMAT=json) or coloured text (pretty); default pretty only on a terminal outside production. */
  readonly logFormat: 'json' | 'pretty' | 'auto';
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
  /** The firm's calendar settings for deadline policies (see src/complaints/domain/deadline-policies.ts). */
  readonly deadlineCalendars: DeadlineCalendarConfig;
  /** The firm's root-cause taxonomy versions (TAXONOMY_FILE, a JSON array), added to the built-in ones; checked at start. */
  readonly taxonomies?: readonly RootCauseTaxonomy[];
  readonly projectionBatchSize: number;
  /** `redress rebuild`: the heap's growth between full collections, in percent of what the last kept (0: V8's own). */
  readonly rebuildHeapGrowthPercent: number;
  readonly projectionPassIntervalMs: number;
  /** Interval of the keep-alive comment on live (SSE) streams. */
  readonly liveKeepAliveMs: number;
  /** How bearer tokens are verified (and, with a secret, minted). */
  readonly auth: AuthConfig;
  /** Origins browsers may call the API from (CORS); none by default. */
  readonly corsOrigins: readonly string[];
  /** Requests allowed per token subject (else per client IP) in each window; health checks are exempt. */
  readonly rateLimit: { readonly max: number; readonly windowMs: number };
  /** Largest request head (request line and headers) Node accepts, in bytes; larger ones get 431. */
  readonly maxHeaderBytes: number;
  /** How customers' personal data is encrypted (see src/privacy). */
  readonly privacy: PrivacyConfig;
  /** The audit ledger's signed checkpoints (see src/audit/ledger). */
  readonly ledger: LedgerConfig;
  /** Smallest loyalty cohort given a confidence interval unless the query says otherwise (ANALYTICS_MIN_COHORT). */
  readonly analyticsMinCohort: number;
  /**
   * The URL clients reach the API at (PUBLIC_BASE_URL, no trailing slash): the API document's server and the base of
   * problem `type` URIs. Default: http://localhost:<PORT>.
   */
  readonly publicBaseUrl: string;
  /** How long an Idempotency-Key stays bound to its request (IDEMPOTENCY_RETENTION_HOURS, default 24). */
  readonly idempotencyRetentionMs: number;
  /** METRICS_PUBLIC=true: /metrics answers without a token (a scrape on a private network); else a monitor's or admin's token. */
  readonly metricsPublic: boolean;
  /** Bounds on every read-store query (see src/core/read-store/read-store.ts). */
  readonly readStoreTimeouts: { readonly statementMs: number; readonly connectMs: number; readonly busyMs: number };
  /** Readiness (`/health/ready`): how long each dependency may take to answer, and the projection lag tolerated. */
  readonly health: { readonly timeoutMs: number; readonly maxLagSeconds: number };
  /** Bounds on every request (see the README's "Reliability" section). */
  readonly requestBounds: RequestBounds;
  /** Purchase imports: rows appended per batch (the loop yields between batches) and invalid rows listed in the answer. */
  readonly imports: { readonly batchSize: number; readonly invalidListed: number };
}

export interface RequestBounds {
  /** A request's headers must arrive within this (HEADERS_TIMEOUT_MS); else 408. */
  readonly headersTimeoutMs: number;
  /** A JSON body must arrive whole within this (BODY_TIMEOUT_MS); else 408. */
  readonly bodyTimeoutMs: number;
  /** A streamed body (the import) may pause this long between bytes (STREAM_IDLE_TIMEOUT_MS); else 408. */
  readonly streamIdleTimeoutMs: number;
  /** A socket with no traffic either way for this long is closed (CONNECTION_TIMEOUT_MS). */
  readonly connectionTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (KEEP_ALIVE_TIMEOUT_MS). */
  readonly keepAliveTimeoutMs: number;
  /** Live (SSE) streams one client (token subject, else address) may hold open at once (LIVE_MAX_STREAMS_PER_CLIENT); more get 429. */
  readonly liveStreamsPerClient: number;
  /** A live stream is closed after this (LIVE_MAX_DURATION_MS); the client resumes with Last-Event-ID. */
  readonly liveMaxDurationMs: number;
}

export interface DeadlineCalendarConfig {
  /** DEADLINE_US_TIME_ZONE: IANA zone of the CFPB calendar; default America/New_York. */
  readonly usTimeZone?: string;
  /** DEADLINE_AU_TIME_ZONE: IANA zone of the ASIC calendar; default Australia/Sydney. */
  readonly australianTimeZone?: string;
  /** DEADLINE_AU_STATE: the state whose holidays ASIC business days also skip (NSW, VIC, …); default national holidays only. */
  readonly australianState?: string;
  /** FIRM_CLOSURE_DAYS: the firm's extra closure days, comma-separated YYYY-MM-DD. */
  readonly closures: readonly string[];
}

export interface LedgerConfig {
  /** Sign a checkpoint once this many events arrived since the last one (LEDGER_CHECKPOINT_EVERY). */
  readonly checkpointEvery: number;
  /** …or once this many seconds passed since the last one, if any event arrived (LEDGER_CHECKPOINT_SECONDS). */
  readonly checkpointSeconds: number;
  /** A PEM (PKCS#8) Ed25519 private key (LEDGER_SIGNING_KEY_FILE); absent outside production: DATA_DIR/ledger-signing-key, made on first start. */
  readonly signingKeyFile?: string;
  /** NODE_ENV=production: a signing key is never generated. */
  readonly production: boolean;
}

export interface PrivacyConfig {
  /**
   * The master key that wraps every customer's data key (MASTER_KEY, or the file MASTER_KEY_FILE names). Absent
   * outside production: a random key kept in DATA_DIR/master-key, made on first start (see src/privacy/master-key.ts).
   */
  readonly masterKey?: SecretKeyBytes;
  /**
   * The key store's SQLite file (KEY_STORE_PATH); default DATA_DIR/keys.db. Every instance that shares an event log
   * must share it (and the master key), or one cannot read what another sealed.
   */
  readonly keyStorePath?: string;
  /** NODE_ENV=production: a master key is never generated. */
  readonly production: boolean;
}

/**
 * Key bytes that never print: JSON, string conversion and util.inspect all show `[redacted]`, so a
 * configuration logged whole cannot leak them. `bytes()` hands out a copy.
 */
export class SecretKeyBytes {
  readonly #bytes: Buffer;

  constructor(bytes: Uint8Array) {
    this.#bytes = Buffer.from(bytes);
  }

  get length(): number {
    return this.#bytes.length;
  }

  bytes(): Buffer {
    return Buffer.from(this.#bytes);
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'SecretKeyBytes [redacted]';
  }
}

/** The length of the master key and of every data key: AES-256. */
export const KEY_BYTES = 32;

export interface AuthConfig {
  /**
   * HS256 secret (AUTH_SECRET). Absent with no JWKS URL outside production: a random secret kept in
   * DATA_DIR/auth-secret, made on first start (see src/identity/signing-secret.ts).
   */
  readonly secret?: string;
  /** Where the identity provider publishes its RS256 / ES256 public keys (AUTH_JWKS_URL). */
  readonly jwksUrl?: string;
  /** The `iss` every token must carry, and the one minted tokens get. */
  readonly issuer: string;
  /** The `aud` every token must include, and the one minted tokens get. */
  readonly audience: string;
  /** NODE_ENV=production: secrets are never generated. */
  readonly production: boolean;
}

/** The issuer and audience of the tokens Redress mints, unless AUTH_ISSUER / AUTH_AUDIENCE say otherwise. */
export const DEFAULT_TOKEN_ISSUER = 'redress';
export const DEFAULT_TOKEN_AUDIENCE = 'redress-api';
/** HS256 keys shorter than the hash (256 bits) are refused (RFC 7518, section 3.2). */
export const MIN_AUTH_SECRET_LENGTH = 32;

export const APP_CONFIG = Symbol('AppConfig');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** Nest's level names, as LOG_LEVEL took them before the logs were pino's. */
const NEST_LOG_LEVELS: Readonly<Record<string, LogLevel>> = { log: 'info', verbose: 'trace' };

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
      problems.push(
        `${name} must be an esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover:// connection string, got "${raw.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}"`,
      );
    }
    return raw;
  };
  const schemaName = (name: string): string | undefined => {
    const raw = env[name];
    if (!raw) return undefined;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(raw)) problems.push(`${name} must be a lower-case PostgreSQL identifier, got "${raw}"`);
    return raw;
  };
  const auth = authConfig(env, problems);
  const corsOrigins = originList('CORS_ORIGINS', env['CORS_ORIGINS'], problems);
  const dataDir = env['DATA_DIR'] || './data';
  const port = integer('PORT', 3000, 0, 65535);
  const config: AppConfig = {
    port,
    host: env['HOST'] || '127.0.0.1',
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(process.cwd(), dataDir),
    bodyLimitBytes: integer('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    attachmentMaxBytes: integer('ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024, 1, 1024 * 1024 * 1024),
    attachmentTimeoutMs: integer('ATTACHMENT_TIMEOUT_MS', 300_000, 100, 3_600_000),
    reopenWindowDays: integer('REOPEN_WINDOW_DAYS', 56, 0, 3650),
    topEscalationLevel: integer('TOP_ESCALATION_LEVEL', 10, 1, 10),
    goodwillLimits: {
      agent: integer('GOODWILL_LIMIT_AGENT', 5000, 0, Number.MAX_SAFE_INTEGER),
      supervisor: integer('GOODWILL_LIMIT_SUPERVISOR', 50000, 0, Number.MAX_SAFE_INTEGER),
    },
    logLevel: NEST_LOG_LEVELS[env['LOG_LEVEL'] ?? ''] ?? oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: oneOf('LOG_FORMAT', ['json', 'pretty', 'auto'] as const, 'auto'),
    eventStoreUrl: eventStoreUrl('EVENTSTORE_URL'),
    readStoreUrl: postgresUrl('READ_STORE_URL'),
    readStoreSchema: schemaName('READ_STORE_SCHEMA'),
    readWaitTimeoutMs: integer('READ_WAIT_TIMEOUT_MS', 5000, 0, 60_000),
    deadlineCheckIntervalMs: integer('DEADLINE_CHECK_INTERVAL_MS', 60_000, 100, 86_400_000),
    deadlineCalendars: deadlineCalendarConfig(env, problems),
    taxonomies: taxonomyFile(env['TAXONOMY_FILE'], problems),
    projectionBatchSize: integer('PROJECTION_BATCH_SIZE', 500, 1, 10_000),
    rebuildHeapGrowthPercent: integer('REBUILD_HEAP_GROWTH_PERCENT', DEFAULT_REBUILD_HEAP_GROWTH_PERCENT, 0, 400),
    projectionPassIntervalMs: integer('PROJECTION_PASS_INTERVAL_MS', 0, 0, 1000),
    liveKeepAliveMs: integer('LIVE_KEEPALIVE_MS', 15_000, 100, 600_000),
    auth,
    corsOrigins,
    rateLimit: {
      max: integer('RATE_LIMIT_MAX', 1200, 1, 1_000_000),
      windowMs: integer('RATE_LIMIT_WINDOW_MS', 60_000, 1000, 86_400_000),
    },
    maxHeaderBytes: integer('MAX_HEADER_BYTES', 16 * 1024, 1024, 1024 * 1024),
    privacy: privacyConfig(env, problems),
    ledger: {
      checkpointEvery: integer('LEDGER_CHECKPOINT_EVERY', 1000, 1, 100_000_000),
      checkpointSeconds: integer('LEDGER_CHECKPOINT_SECONDS', 60, 1, 86_400 * 7),
      signingKeyFile: env['LEDGER_SIGNING_KEY_FILE'] || undefined,
      production: env['NODE_ENV'] === 'production',
    },
    analyticsMinCohort: integer('ANALYTICS_MIN_COHORT', 30, 1, 1_000_000),
    publicBaseUrl: baseUrl('PUBLIC_BASE_URL', env['PUBLIC_BASE_URL'], `http://localhost:${port}`, problems),
    idempotencyRetentionMs: integer('IDEMPOTENCY_RETENTION_HOURS', 24, 1, 24 * 366) * 3_600_000,
    metricsPublic: oneOf('METRICS_PUBLIC', ['true', 'false'] as const, 'false') === 'true',
    readStoreTimeouts: {
      statementMs: integer('READ_STORE_STATEMENT_TIMEOUT_MS', 5000, 100, 600_000),
      connectMs: integer('READ_STORE_CONNECT_TIMEOUT_MS', 3000, 100, 600_000),
      busyMs: integer('READ_STORE_BUSY_TIMEOUT_MS', 5000, 0, 600_000),
    },
    health: {
      timeoutMs: integer('HEALTH_TIMEOUT_MS', 2000, 50, 60_000),
      maxLagSeconds: integer('HEALTH_MAX_LAG_SECONDS', 60, 1, 86_400),
    },
    requestBounds: {
      headersTimeoutMs: integer('HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
      bodyTimeoutMs: integer('BODY_TIMEOUT_MS', 10_000, 100, 600_000),
      streamIdleTimeoutMs: integer('STREAM_IDLE_TIMEOUT_MS', 15_000, 100, 600_000),
      connectionTimeoutMs: integer('CONNECTION_TIMEOUT_MS', 60_000, 1000, 3_600_000),
      keepAliveTimeoutMs: integer('KEEP_ALIVE_TIMEOUT_MS', 5000, 100, 600_000),
      liveStreamsPerClient: integer('LIVE_MAX_STREAMS_PER_CLIENT', 8, 1, 10_000),
      liveMaxDurationMs: integer('LIVE_MAX_DURATION_MS', 3_600_000, 1000, 86_400_000),
    },
    imports: {
      batchSize: integer('IMPORT_BATCH_SIZE', 200, 1, 10_000),
      invalidListed: integer('IMPORT_INVALID_LISTED', 100, 0, 100_000),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function deadlineCalendarConfig(env: Env, problems: string[]): DeadlineCalendarConfig {
  const zone = (name: string): string | undefined => {
    const raw = env[name];
    if (!raw) return undefined;
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: raw });
    } catch {
      problems.push(`${name} must be an IANA time zone such as America/Chicago, got "${raw}"`);
    }
    return raw;
  };
  const state = env['DEADLINE_AU_STATE'] || undefined;
  if (state !== undefined && !AUSTRALIAN_STATES.includes(state)) {
    problems.push(`DEADLINE_AU_STATE must be one of ${AUSTRALIAN_STATES.join(', ')}, got "${state}"`);
  }
  const closures = (env['FIRM_CLOSURE_DAYS'] ?? '')
    .split(',')
    .map((day) => day.trim())
    .filter((day) => day !== '');
  const badDay = closures.find((day) => !/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)));
  if (badDay !== undefined) problems.push(`FIRM_CLOSURE_DAYS must be comma-separated dates YYYY-MM-DD, got "${badDay}"`);
  return {
    usTimeZone: zone('DEADLINE_US_TIME_ZONE'),
    australianTimeZone: zone('DEADLINE_AU_TIME_ZONE'),
    australianState: state,
    closures,
  };
}

const AUSTRALIAN_STATES = ['ACT', 'NSW', 'NT', 'QLD', 'SA', 'TAS', 'VIC', 'WA'];

/** A secret handed over as a file (a Docker or Kubernetes secret), so it never appears in the environment. */
function secretFromFile(path: string | undefined, problems: string[]): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    problems.push(`AUTH_SECRET_FILE cannot be read: ${path}`);
    return undefined;
  }
}

function authConfig(env: Env, problems: string[]): AuthConfig {
  const production = env['NODE_ENV'] === 'production';
  const secret = env['AUTH_SECRET'] || secretFromFile(env['AUTH_SECRET_FILE'], problems);
  if (env['AUTH_SECRET'] && env['AUTH_SECRET_FILE']) problems.push('Set AUTH_SECRET or AUTH_SECRET_FILE, not both');
  if (secret !== undefined && secret.length < MIN_AUTH_SECRET_LENGTH) {
    problems.push(
      `AUTH_SECRET must be at least ${MIN_AUTH_SECRET_LENGTH} characters (an HS256 key of 256 bits or more), got ${secret.length}`,
    );
  }
  const jwksUrl = env['AUTH_JWKS_URL'] || undefined;
  if (jwksUrl !== undefined) {
    const url = URL.canParse(jwksUrl) ? new URL(jwksUrl) : undefined;
    if (!url || !['https:', 'http:'].includes(url.protocol)) problems.push(`AUTH_JWKS_URL must be an http(s):// URL, got "${jwksUrl}"`);
    else if (production && url.protocol !== 'https:') problems.push('AUTH_JWKS_URL must be https:// when NODE_ENV=production');
    // An identity provider signs tokens for many applications: accept only those it issued for this one.
    for (const name of ['AUTH_ISSUER', 'AUTH_AUDIENCE']) {
      if (!env[name]) problems.push(`${name} is required with AUTH_JWKS_URL (the identity provider's issuer and this API's audience)`);
    }
  }
  if (production && secret === undefined && jwksUrl === undefined) {
    problems.push('NODE_ENV=production needs AUTH_SECRET or AUTH_JWKS_URL: secrets are never generated in production');
  }
  return {
    secret,
    jwksUrl,
    issuer: env['AUTH_ISSUER'] || DEFAULT_TOKEN_ISSUER,
    audience: env['AUTH_AUDIENCE'] || DEFAULT_TOKEN_AUDIENCE,
    production,
  };
}

/** TAXONOMY_FILE: the firm's root-cause taxonomy versions, read and checked here so a bad file stops the start. */
function taxonomyFile(path: string | undefined, problems: string[]): readonly RootCauseTaxonomy[] | undefined {
  if (!path) return undefined;
  const file = resolve(process.cwd(), path);
  const refuse = (problem: string) => problems.push(`TAXONOMY_FILE ${file}: ${problem}`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    refuse(code ? `cannot be read (${code})` : `is not JSON (${(error as Error).message})`);
    return undefined;
  }
  const found = taxonomyProblems(data);
  found.forEach(refuse);
  return found.length === 0 ? (data as RootCauseTaxonomy[]) : undefined;
}

/** MASTER_KEY (base64 of 32 bytes) or MASTER_KEY_FILE (a file holding that), not both; the value is never echoed. */
function privacyConfig(env: Env, problems: string[]): PrivacyConfig {
  const production = env['NODE_ENV'] === 'production';
  if (env['MASTER_KEY'] && env['MASTER_KEY_FILE']) problems.push('Set MASTER_KEY or MASTER_KEY_FILE, not both');
  const fromFile = (path: string): string | undefined => {
    try {
      return readFileSync(path, 'utf8').trim();
    } catch {
      problems.push(`MASTER_KEY_FILE cannot be read: ${path}`);
      return undefined;
    }
  };
  const keyStorePath = env['KEY_STORE_PATH'] ? resolve(process.cwd(), env['KEY_STORE_PATH']) : undefined;
  const [name, text] = env['MASTER_KEY']
    ? ['MASTER_KEY', env['MASTER_KEY'].trim()]
    : env['MASTER_KEY_FILE']
      ? ['MASTER_KEY_FILE', fromFile(env['MASTER_KEY_FILE'])]
      : [];
  if (name === undefined || text === undefined) return { keyStorePath, production };
  const masterKey = parseKeyText(text);
  if (!masterKey) {
    problems.push(`${name} must be ${KEY_BYTES} random bytes in base64 (e.g. \`openssl rand -base64 ${KEY_BYTES}\`)`);
    return { keyStorePath, production };
  }
  return { masterKey, keyStorePath, production };
}

/** Base64 (or base64url) of exactly KEY_BYTES bytes, else undefined. */
export function parseKeyText(text: string): SecretKeyBytes | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  return bytes.length === KEY_BYTES ? new SecretKeyBytes(bytes) : undefined;
}

/** A comma-separated list of browser origins (`scheme://host[:port]`, no path, no wildcard). */
/** An absolute http(s) URL without query or fragment; a trailing slash is dropped. */
function baseUrl(name: string, raw: string | undefined, fallback: string, problems: string[]): string {
  if (raw === undefined || raw.trim() === '') return fallback;
  const parsed = URL.canParse(raw.trim()) ? new URL(raw.trim()) : undefined;
  if (!parsed || !['https:', 'http:'].includes(parsed.protocol) || parsed.search !== '' || parsed.hash !== '') {
    problems.push(`${name} must be an http(s) URL such as https://redress.example.com (no query), got "${raw}"`);
    return fallback;
  }
  return parsed.href.replace(/\/+$/, '');
}

function originList(name: string, raw: string | undefined, problems: string[]): string[] {
  const origins = (raw ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    const parsed = URL.canParse(origin) ? new URL(origin) : undefined;
    if (!parsed || !['https:', 'http:'].includes(parsed.protocol) || parsed.origin !== origin) {
      problems.push(
        `${name} must list origins such as https://app.example.com (scheme, host, optional port; no path, no *), got "${origin}"`,
      );
    }
  }
  return origins;
}

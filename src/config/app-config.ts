import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

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
  /** How long after resolution or closure a case may be reopened. */
  readonly reopenWindowDays: number;
  /** The highest escalation level; only a supervisor escalates to it. */
  readonly topEscalationLevel: number;
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
  const config: AppConfig = {
    port: integer('PORT', 3000, 0, 65535),
    host: env['HOST'] || '127.0.0.1',
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(process.cwd(), dataDir),
    bodyLimitBytes: integer('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    attachmentMaxBytes: integer('ATTACHMENT_MAX_BYTES', 10 * 1024 * 1024, 1, 1024 * 1024 * 1024),
    reopenWindowDays: integer('REOPEN_WINDOW_DAYS', 56, 0, 3650),
    topEscalationLevel: integer('TOP_ESCALATION_LEVEL', 10, 1, 10),
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
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

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

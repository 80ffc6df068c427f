/**
 * The settings core's modules read. The composition provides them under CORE_SETTINGS (the app's
 * validated configuration has this shape), so core never imports the configuration itself.
 */
export interface CoreSettings {
  /** Where the embedded event log, read models and lock files live. */
  readonly dataDir: string;
  /** EventStoreDB / KurrentDB connection string; the embedded SQLite log when absent. */
  readonly eventStoreUrl?: string;
  /** PostgreSQL read store; SQLite under dataDir when absent. */
  readonly readStoreUrl?: string;
  readonly readStoreSchema?: string;
  readonly projectionBatchSize: number;
  /** The least time between two live projection passes: appends within it share one read-store transaction (0: none). */
  readonly projectionPassIntervalMs: number;
  readonly readWaitTimeoutMs: number;
  /** The URL clients reach the API at, without a trailing slash: problem `type` URIs are absolute under it. */
  readonly publicBaseUrl: string;
  /** How long an Idempotency-Key stays bound to the request it was first used for. */
  readonly idempotencyRetentionMs: number;
  /** Statement and connection timeouts of every read-store query. */
  readonly readStoreTimeouts: { readonly statementMs: number; readonly connectMs: number; readonly busyMs: number };
  /** Readiness: how long each dependency may take to answer, and the projection lag tolerated. */
  readonly health: { readonly timeoutMs: number; readonly maxLagSeconds: number };
}

export const CORE_SETTINGS = Symbol('CoreSettings');

import { createHash } from 'node:crypto';
import type { Kysely, Migration } from 'kysely';
import { IdempotencyKeyReusedError } from '../errors';
import { canonicalJson } from '../event-store/hash-chain';
import type { ReadStore } from '../read-store/read-store';

export const IDEMPOTENCY_KEYS_TABLE = 'idempotency_keys';

/**
 * One row per Idempotency-Key ever used: the request it is bound to until it expires, and how many
 * times it was bound. Rows outlive their expiry on purpose: the generation is what keeps a key reused
 * after expiry from deriving the event ids of its first use.
 */
export interface IdempotencyKeysTable {
  key: string;
  /** SHA-256 of the canonical request: method, route, stream, body. */
  fingerprint: string;
  /** The request in words, for the 422 that refuses another one. */
  request: string;
  /** 0 for the first use; +1 each time the key is used again after expiring. */
  generation: number;
  /** The command id events are derived from: the key itself in generation 0, `<key>~<generation>` after. */
  command_id: string;
  bound_at: string;
  expires_at: string;
}

export interface IdempotencyKeyTables {
  [IDEMPOTENCY_KEYS_TABLE]: IdempotencyKeysTable;
}

/** Sorts after every read model's migration, so stores migrated before it was added take it too. */
export const idempotencyKeyMigrations: Record<string, Migration> = {
  '0400_idempotency_keys': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration runs before its tables exist: Kysely's documented practice
    async up(db: Kysely<any>) {
      await db.schema
        .createTable(IDEMPOTENCY_KEYS_TABLE)
        .addColumn('key', 'varchar(255)', (column) => column.primaryKey())
        .addColumn('fingerprint', 'varchar(64)', (column) => column.notNull())
        .addColumn('request', 'text', (column) => column.notNull())
        .addColumn('generation', 'integer', (column) => column.notNull())
        .addColumn('command_id', 'varchar(300)', (column) => column.notNull())
        .addColumn('bound_at', 'varchar(40)', (column) => column.notNull())
        .addColumn('expires_at', 'varchar(40)', (column) => column.notNull())
        .execute();
    },
  },
};

/** What makes two requests the same request (IETF Idempotency-Key draft §2.2): method, route, the stream it addresses, and the body. */
export interface RequestIdentity {
  readonly method: string;
  /** The route pattern, e.g. `/cases/:caseId/acknowledge`. */
  readonly route: string;
  /** The stream's id; absent when the request starts a new stream (POST /cases). */
  readonly stream?: string;
  readonly body: unknown;
}

export function fingerprintOf(request: RequestIdentity): string {
  const canonical = canonicalJson({
    method: request.method,
    route: request.route,
    stream: request.stream ?? null,
    body: request.body ?? null,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

function inWords(request: RequestIdentity): string {
  return `${request.method} ${request.route}${request.stream === undefined ? '' : ` on ${request.stream}`}`;
}

/**
 * Binds each Idempotency-Key to the first request it came with, for `retentionMs`. The same request
 * again gets the same command id, so the command path answers it from the log; another request with
 * the key is refused (422). After the retention the key is free: it is bound anew, under a command id of
 * a new generation, so the new request's event ids never meet the old ones.
 */
export class IdempotencyKeys {
  constructor(
    private readonly store: ReadStore<IdempotencyKeyTables>,
    private readonly retentionMs: number,
  ) {}

  /**
   * The command id to handle `request` under, and its fingerprint; throws IdempotencyKeyReusedError when the key is bound to another request.
   * The bindings live in the read store, and the write side must not depend on it: while it cannot answer, the key is handled
   * under its first-generation command id and the log is the backstop (its events carry the fingerprint). Only a key reused
   * after its retention cannot be rebound until the read store is back (the log then refuses it as another request).
   */
  async bind(key: string, request: RequestIdentity, now: Date): Promise<{ commandId: string; fingerprint: string }> {
    const fingerprint = fingerprintOf(request);
    try {
      return await this.bindInStore(key, request, fingerprint, now);
    } catch (error) {
      if (error instanceof IdempotencyKeyReusedError) throw error;
      return { commandId: key, fingerprint };
    }
  }

  private async bindInStore(
    key: string,
    request: RequestIdentity,
    fingerprint: string,
    now: Date,
  ): Promise<{ commandId: string; fingerprint: string }> {
    const fresh = (generation: number) => ({
      fingerprint,
      request: inWords(request),
      generation,
      command_id: generation === 0 ? key : `${key}~${generation}`,
      bound_at: now.toISOString(),
      expires_at: new Date(now.getTime() + this.retentionMs).toISOString(),
    });
    const db = this.store.db;
    for (;;) {
      // Concurrent first uses: one insert wins, the others read its row below.
      await db
        .insertInto(IDEMPOTENCY_KEYS_TABLE)
        .values({ key, ...fresh(0) })
        .onConflict((conflict) => conflict.column('key').doNothing())
        .execute();
      const bound = await db.selectFrom(IDEMPOTENCY_KEYS_TABLE).selectAll().where('key', '=', key).executeTakeFirstOrThrow();
      if (bound.expires_at > now.toISOString()) {
        if (bound.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(key, `another request (${bound.request})`);
        return { commandId: bound.command_id, fingerprint };
      }
      // Expired: rebind, unless a concurrent request rebound it first (then its binding is read again).
      const rebound = await db
        .updateTable(IDEMPOTENCY_KEYS_TABLE)
        .set(fresh(Number(bound.generation) + 1))
        .where('key', '=', key)
        .where('generation', '=', bound.generation)
        .executeTakeFirst();
      if (Number(rebound.numUpdatedRows) === 1) return { commandId: fresh(Number(bound.generation) + 1).command_id, fingerprint };
    }
  }

  /** Undoes a binding the log refused (the key's events say another request): the key stays the first request's. */
  async release(key: string, fingerprint: string): Promise<void> {
    await this.store.db
      .deleteFrom(IDEMPOTENCY_KEYS_TABLE)
      .where('key', '=', key)
      .where('fingerprint', '=', fingerprint)
      .execute()
      // Best effort: while the read store is away the binding stays until it expires, and the log still refuses other requests.
      .catch(() => undefined);
  }
}

export const IDEMPOTENCY_KEYS = Symbol('IdempotencyKeys');

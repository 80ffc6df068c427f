import Database from 'better-sqlite3';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SecretKeyBytes } from '../config/app-config';

export const KEY_STORE_FILE_NAME = 'keys.db';

/** Where the key store lives: KEY_STORE_PATH, else DATA_DIR/keys.db. */
export function keyStorePath(config: { readonly dataDir: string; readonly privacy?: { readonly keyStorePath?: string } }): string {
  return config.privacy?.keyStorePath ?? join(config.dataDir, KEY_STORE_FILE_NAME);
}

/** A customer's live data key: the one new personal fields are sealed with. */
export interface DataKey {
  readonly keyGeneration: number;
  readonly key: Buffer;
}

/** What the store knows of one generation of a customer's key. */
export type KeyLookup = { readonly state: 'live'; readonly key: Buffer } | { readonly state: 'erased' } | { readonly state: 'unknown' };

/** An erasure as recorded: the generation destroyed and when. */
export interface Erasure {
  readonly customerId: string;
  readonly keyGeneration: number;
  readonly erasedAt: string;
  /** True when this call destroyed a key; false when it found the erasure already done. */
  readonly destroyed: boolean;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
  );
  -- Live data keys only, each wrapped by the master key. Erasure deletes the row (secure_delete zeroes it).
  CREATE TABLE IF NOT EXISTS data_keys (
    customer_id    TEXT    NOT NULL,
    key_generation INTEGER NOT NULL,
    wrapped_key    BLOB    NOT NULL,
    created_at     TEXT    NOT NULL,
    PRIMARY KEY (customer_id, key_generation)
  );
  CREATE TABLE IF NOT EXISTS erasures (
    customer_id    TEXT    NOT NULL,
    key_generation INTEGER NOT NULL,
    erased_at      TEXT    NOT NULL,
    PRIMARY KEY (customer_id, key_generation)
  );
  -- Whose personal data a stream carries (from its first event): a cache of what the log says.
  CREATE TABLE IF NOT EXISTS stream_customers (
    stream_name TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL
  );
`;

const MASTER_KEY_CHECK = 'master-key-check';
const CHECK_TEXT = 'redress master key check';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const DATA_KEY_BYTES = 32;
/** How many unwrapped data keys are kept in memory (least recently made first out). */
const UNWRAPPED_KEYS = 10_000;
/** How many streams' customers are kept in memory (least recently read first out). */
const STREAM_CUSTOMERS = 10_000;

/**
 * The customers' data keys, in their own SQLite file (`DATA_DIR/keys.db`, mode 0600), each wrapped with
 * AES-256-GCM by the master key and bound to its customer and generation. WAL with synchronous=FULL: a key is
 * on disk before anything sealed with it is appended. `secure_delete` zeroes a destroyed key's bytes, and
 * erasure checkpoints and truncates the WAL, so no copy of the key is left in the files.
 *
 * A customer's keys come in generations: erasure destroys the live one and records it; personal data recorded
 * for the customer later is sealed with a new generation. Keys and plaintext are never logged or thrown.
 */
export class PersonalDataKeys {
  private db?: Database.Database;
  private closed = false;
  private statements?: ReturnType<PersonalDataKeys['prepare']>;

  private master?: SecretKeyBytes;
  /**
   * Keys already unwrapped, by customer and generation, with the wrapped bytes they came from: unwrapping is an
   * AES-GCM decryption. A cached key is used only while its row holds the same wrapped bytes.
   */
  private readonly unwrapped = new Map<string, { readonly wrapped: Buffer; readonly key: Buffer }>();
  /**
   * Customers' live keys as this connection last read or made them, trusted only while no other connection has
   * committed to the file (SQLite's data_version): reading the row on every sealed append took about 12 µs. Another
   * process's erasure (the CLI) changes data_version, and then every live key is read again; this store's own
   * erasure forgets the customer's. So a key destroyed anywhere is never used again.
   */
  private readonly liveKeys = new Map<string, DataKey>();
  private liveKeysVersion?: number;
  /** Streams' customers as read from the file: a row is never changed or deleted once written, so it needs reading once. */
  private readonly streamCustomers = new Map<string, string>();

  /** `masterKey` is asked for once, when the file is first opened. */
  constructor(
    readonly file: string,
    private readonly masterKey: SecretKeyBytes | (() => SecretKeyBytes),
  ) {}

  /** The customer's live key; with `create`, made (as the next generation) when there is none. */
  liveKey(customerId: string, options: { create: true }): DataKey;
  liveKey(customerId: string, options?: { create?: boolean }): DataKey | undefined;
  liveKey(customerId: string, { create = false }: { create?: boolean } = {}): DataKey | undefined {
    const { db, statements } = this.open();
    const known = this.knownLiveKey(customerId, statements);
    if (known) return known;
    const found = statements.liveKey.get(customerId);
    if (found) return this.rememberLiveKey(customerId, this.dataKeyOf(customerId, found));
    if (!create) return undefined;
    const made = db
      .transaction((): DataKey => {
        const raced = statements.liveKey.get(customerId);
        if (raced) return this.dataKeyOf(customerId, raced);
        const keyGeneration = (statements.lastGeneration.get(customerId, customerId)?.generation ?? 0) + 1;
        const key = randomBytes(DATA_KEY_BYTES);
        statements.insertKey.run(customerId, keyGeneration, this.wrap(customerId, keyGeneration, key), new Date().toISOString());
        return { keyGeneration, key };
      })
      .immediate();
    return this.rememberLiveKey(customerId, made);
  }

  /** A key row, unwrapped. */
  private dataKeyOf(customerId: string, row: { key_generation: number; wrapped_key: Buffer }): DataKey {
    return { keyGeneration: row.key_generation, key: this.unwrap(customerId, row.key_generation, row.wrapped_key) };
  }

  /** The customer's live key as last seen here, unless another connection has written the file since (then none is trusted). */
  private knownLiveKey(customerId: string, statements: NonNullable<PersonalDataKeys['statements']>): DataKey | undefined {
    const version = statements.dataVersion.get()!;
    if (version === this.liveKeysVersion) return this.liveKeys.get(customerId);
    this.liveKeys.clear();
    this.liveKeysVersion = version;
    return undefined;
  }

  private rememberLiveKey(customerId: string, key: DataKey): DataKey {
    this.liveKeys.delete(customerId);
    this.liveKeys.set(customerId, key);
    if (this.liveKeys.size > UNWRAPPED_KEYS) this.liveKeys.delete(this.liveKeys.keys().next().value!);
    return key;
  }

  /** One generation of the customer's key: live (with the key), erased, or never known here. */
  lookup(customerId: string, keyGeneration: number): KeyLookup {
    const { statements } = this.open();
    const row = statements.keyOf.get(customerId, keyGeneration);
    if (row) return { state: 'live', key: this.unwrap(customerId, keyGeneration, row.wrapped_key) };
    return statements.erasureOf.get(customerId, keyGeneration) ? { state: 'erased' } : { state: 'unknown' };
  }

  /** Whether any key of the customer was ever made or erased here. */
  knows(customerId: string): boolean {
    return this.open().statements.knows.get(customerId, customerId) !== undefined;
  }

  /**
   * Destroys the customer's live key and records the erasure, then checkpoints the WAL with TRUNCATE so the key's
   * bytes are gone from every file. Without a live key it answers the latest erasure (idempotent), or records one
   * for a customer who never had a key.
   */
  async erase(customerId: string, at: string): Promise<Erasure> {
    const { db, statements } = this.open();
    const erasure = db
      .transaction((): Erasure => {
        const live = statements.liveKey.get(customerId);
        this.liveKeys.delete(customerId);
        if (live) {
          this.unwrapped.delete(unwrappedKeyOf(customerId, live.key_generation));
          statements.deleteKey.run(customerId, live.key_generation);
          statements.insertErasure.run(customerId, live.key_generation, at);
          return { customerId, keyGeneration: live.key_generation, erasedAt: at, destroyed: true };
        }
        const last = statements.lastErasure.get(customerId);
        if (last) return { customerId, keyGeneration: last.key_generation, erasedAt: last.erased_at, destroyed: false };
        statements.insertErasure.run(customerId, 1, at);
        return { customerId, keyGeneration: 1, erasedAt: at, destroyed: false };
      })
      .immediate();
    await this.truncateWal();
    return erasure;
  }

  /** The customer whose personal data the stream carries, if recorded. */
  customerOfStream(streamName: string): string | undefined {
    const known = this.streamCustomers.get(streamName);
    if (known !== undefined) return known;
    const customerId = this.open().statements.streamCustomer.get(streamName)?.customer_id;
    if (customerId !== undefined) {
      this.streamCustomers.set(streamName, customerId);
      if (this.streamCustomers.size > STREAM_CUSTOMERS) this.streamCustomers.delete(this.streamCustomers.keys().next().value!);
    }
    return customerId;
  }

  /**
   * Records whose personal data a stream carries. Only a cache of the log (its first event says it), so it is
   * written without the fsync a key gets: lost in a power cut, it is read from the log again.
   */
  rememberStream(streamName: string, customerId: string): void {
    const { db, statements } = this.open();
    db.pragma('synchronous = NORMAL');
    try {
      statements.insertStreamCustomer.run(streamName, customerId);
    } finally {
      db.pragma('synchronous = FULL');
    }
  }

  close(): void {
    this.closed = true;
    this.unwrapped.clear();
    this.liveKeys.clear();
    this.streamCustomers.clear();
    if (this.db?.open) this.db.close();
    this.db = undefined;
  }

  /** Opens the file on first use: a process that never reads or writes personal data never touches it. */
  private open(): { db: Database.Database; statements: NonNullable<PersonalDataKeys['statements']> } {
    if (this.closed) throw new Error('The personal-data key store is closed');
    if (!this.db) {
      mkdirSync(dirname(this.file), { recursive: true });
      // Made private before SQLite opens it; its -wal and -shm files take the same mode.
      closeSync(openSync(this.file, 'a', 0o600));
      chmodSync(this.file, 0o600);
      this.master ??= typeof this.masterKey === 'function' ? this.masterKey() : this.masterKey;
      const db = new Database(this.file);
      try {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
        db.pragma('secure_delete = ON');
        db.pragma('busy_timeout = 5000');
        db.exec(SCHEMA);
        this.checkMasterKey(db);
        this.statements = this.prepare(db);
      } catch (error) {
        db.close();
        throw error;
      }
      this.db = db;
    }
    return { db: this.db, statements: this.statements! };
  }

  private prepare(db: Database.Database) {
    return {
      dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
      liveKey: db.prepare<[string], { key_generation: number; wrapped_key: Buffer }>(
        'SELECT key_generation, wrapped_key FROM data_keys WHERE customer_id = ? ORDER BY key_generation DESC LIMIT 1',
      ),
      keyOf: db.prepare<[string, number], { wrapped_key: Buffer }>(
        'SELECT wrapped_key FROM data_keys WHERE customer_id = ? AND key_generation = ?',
      ),
      erasureOf: db.prepare<[string, number], { erased_at: string }>(
        'SELECT erased_at FROM erasures WHERE customer_id = ? AND key_generation = ?',
      ),
      lastErasure: db.prepare<[string], { key_generation: number; erased_at: string }>(
        'SELECT key_generation, erased_at FROM erasures WHERE customer_id = ? ORDER BY key_generation DESC LIMIT 1',
      ),
      lastGeneration: db.prepare<[string, string], { generation: number | null }>(
        `SELECT MAX(key_generation) AS generation FROM (
           SELECT key_generation FROM data_keys WHERE customer_id = ? UNION ALL SELECT key_generation FROM erasures WHERE customer_id = ?)`,
      ),
      knows: db.prepare<[string, string], { found: number }>(
        'SELECT 1 AS found FROM data_keys WHERE customer_id = ? UNION ALL SELECT 1 FROM erasures WHERE customer_id = ? LIMIT 1',
      ),
      insertKey: db.prepare<[string, number, Buffer, string]>(
        'INSERT INTO data_keys (customer_id, key_generation, wrapped_key, created_at) VALUES (?, ?, ?, ?)',
      ),
      deleteKey: db.prepare<[string, number]>('DELETE FROM data_keys WHERE customer_id = ? AND key_generation = ?'),
      insertErasure: db.prepare<[string, number, string]>('INSERT INTO erasures (customer_id, key_generation, erased_at) VALUES (?, ?, ?)'),
      streamCustomer: db.prepare<[string], { customer_id: string }>('SELECT customer_id FROM stream_customers WHERE stream_name = ?'),
      insertStreamCustomer: db.prepare<[string, string]>('INSERT OR IGNORE INTO stream_customers (stream_name, customer_id) VALUES (?, ?)'),
    };
  }

  /** Refuses a master key other than the one the file's keys were wrapped with (a lost or swapped key file). */
  private checkMasterKey(db: Database.Database): void {
    const row = db.prepare<[string], { value: Buffer }>('SELECT value FROM meta WHERE name = ?').get(MASTER_KEY_CHECK);
    if (!row) {
      db.prepare('INSERT INTO meta (name, value) VALUES (?, ?)').run(
        MASTER_KEY_CHECK,
        this.seal(Buffer.from(CHECK_TEXT), MASTER_KEY_CHECK),
      );
      return;
    }
    let opened: Buffer | undefined;
    try {
      opened = this.unseal(row.value, MASTER_KEY_CHECK);
    } catch {
      opened = undefined;
    }
    if (opened?.toString() !== CHECK_TEXT) {
      throw new Error(
        `${this.file} was made with another master key: restore the master key it was made with (MASTER_KEY, MASTER_KEY_FILE or DATA_DIR/master-key)`,
      );
    }
  }

  private wrap(customerId: string, keyGeneration: number, key: Buffer): Buffer {
    return this.seal(key, wrapLabel(customerId, keyGeneration));
  }

  private unwrap(customerId: string, keyGeneration: number, wrapped: Buffer): Buffer {
    const cached = unwrappedKeyOf(customerId, keyGeneration);
    const known = this.unwrapped.get(cached);
    if (known?.wrapped.equals(wrapped)) return known.key;
    try {
      const key = this.unseal(wrapped, wrapLabel(customerId, keyGeneration));
      this.unwrapped.set(cached, { wrapped, key });
      if (this.unwrapped.size > UNWRAPPED_KEYS) this.unwrapped.delete(this.unwrapped.keys().next().value!);
      return key;
    } catch {
      // Never the key or its bytes: only whose it was.
      throw new Error(
        `The data key of customer ${customerId} (generation ${keyGeneration}) in ${this.file} does not unwrap with the master key`,
      );
    }
  }

  private seal(plain: Buffer, label: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.master!.bytes(), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(label, 'utf8'));
    return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  }

  private unseal(sealed: Buffer, label: string): Buffer {
    const iv = sealed.subarray(0, IV_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.master!.bytes(), iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(label, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  }

  /** Copies the WAL into the database and truncates it, so the destroyed key's old page images are gone. Retries while readers hold it. */
  private async truncateWal(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const [result] = this.open().db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number; checkpointed: number }>;
      if (!result || result.busy === 0) return;
      if (attempt >= 50)
        throw new Error(
          `${this.file}: the WAL could not be checkpointed (a reader held it for 5 s); the erasure is recorded, retry to purge the WAL`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Where an unwrapped key is cached: the generation (digits) first, so no two customers' entries meet. Cheaper than the label. */
function unwrappedKeyOf(customerId: string, keyGeneration: number): string {
  return `${keyGeneration} ${customerId}`;
}

function wrapLabel(customerId: string, keyGeneration: number): string {
  return JSON.stringify(['redress data key', customerId, keyGeneration]);
}

import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretKeyBytes } from '../config/app-config';
import { PersonalDataKeys } from './key-store';

/** Every byte of keys.db and its -wal / -shm files. */
function keyFileBytes(dir: string): Buffer {
  return Buffer.concat(
    readdirSync(dir)
      .filter((name) => name.startsWith('keys.db'))
      .map((name) => readFileSync(join(dir, name))),
  );
}

describe('the personal-data key store', () => {
  let dir: string;
  let keys: PersonalDataKeys;
  const master = new SecretKeyBytes(randomBytes(32));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'redress-keys-'));
    keys = new PersonalDataKeys(join(dir, 'keys.db'), master);
  });
  afterEach(() => {
    keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens its file only when first used, private (mode 0600), in WAL with synchronous=FULL and secure_delete', () => {
    expect(existsSync(join(dir, 'keys.db'))).toBe(false);
    expect(keys.knows('c1')).toBe(false);
    expect(statSync(join(dir, 'keys.db')).mode & 0o777).toBe(0o600);
    keys.liveKey('c1', { create: true });
    for (const name of readdirSync(dir)) expect({ name, mode: statSync(join(dir, name)).mode & 0o777 }).toEqual({ name, mode: 0o600 });
    const db = new Database(join(dir, 'keys.db'), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
    const own = (keys as unknown as { db: Database.Database }).db;
    expect(own.pragma('synchronous', { simple: true })).toBe(2);
    expect(own.pragma('secure_delete', { simple: true })).toBe(1);
  });

  it('makes one 256-bit key per customer, and keeps it (wrapped, never in the clear)', () => {
    expect(keys.liveKey('c1')).toBeUndefined();
    const made = keys.liveKey('c1', { create: true });
    expect(made.keyGeneration).toBe(1);
    expect(made.key).toHaveLength(32);
    expect(keys.liveKey('c1', { create: true })).toEqual(made);
    expect(keys.liveKey('c2', { create: true }).key.equals(made.key)).toBe(false);
    expect(keys.lookup('c1', 1)).toEqual({ state: 'live', key: made.key });
    expect(keys.lookup('c1', 2)).toEqual({ state: 'unknown' });
    keys.close();
    expect(keyFileBytes(dir).includes(made.key)).toBe(false);
    const reopened = new PersonalDataKeys(join(dir, 'keys.db'), master);
    try {
      expect(reopened.liveKey('c1')).toEqual(made);
    } finally {
      reopened.close();
    }
  });

  it('destroys the live key on erasure: its bytes, wrapped or not, are gone from every file', async () => {
    const { key } = keys.liveKey('c1', { create: true });
    keys.liveKey('c2', { create: true });
    const db = new Database(join(dir, 'keys.db'), { readonly: true });
    const wrapped = (db.prepare('SELECT wrapped_key FROM data_keys WHERE customer_id = ?').get('c1') as { wrapped_key: Buffer })
      .wrapped_key;
    db.close();
    expect(keyFileBytes(dir).includes(wrapped)).toBe(true);

    const erasure = await keys.erase('c1', '2026-01-02T03:04:05.000Z');
    expect(erasure).toEqual({ customerId: 'c1', keyGeneration: 1, erasedAt: '2026-01-02T03:04:05.000Z', destroyed: true });
    expect(keys.lookup('c1', 1)).toEqual({ state: 'erased' });
    expect(keys.liveKey('c1')).toBeUndefined();
    expect(keys.liveKey('c2')).toBeDefined();
    const bytes = keyFileBytes(dir);
    expect(bytes.includes(wrapped)).toBe(false);
    expect(bytes.includes(key)).toBe(false);
    expect(statSync(join(dir, 'keys.db-wal')).size).toBe(0);
  });

  it('answers a repeated erasure with the first one, and erases a customer who never had a key', async () => {
    keys.liveKey('c1', { create: true });
    const first = await keys.erase('c1', '2026-01-02T03:04:05.000Z');
    expect(await keys.erase('c1', '2026-02-02T00:00:00.000Z')).toEqual({ ...first, destroyed: false });
    expect(keys.knows('c3')).toBe(false);
    expect(await keys.erase('c3', '2026-03-03T00:00:00.000Z')).toEqual({
      customerId: 'c3',
      keyGeneration: 1,
      erasedAt: '2026-03-03T00:00:00.000Z',
      destroyed: false,
    });
    expect(keys.knows('c3')).toBe(true);
  });

  it('gives a customer who comes back after an erasure a new generation; the erased one stays erased', async () => {
    const first = keys.liveKey('c1', { create: true });
    await keys.erase('c1', '2026-01-02T03:04:05.000Z');
    const second = keys.liveKey('c1', { create: true });
    expect(second.keyGeneration).toBe(2);
    expect(second.key.equals(first.key)).toBe(false);
    expect(keys.lookup('c1', 1)).toEqual({ state: 'erased' });
    expect(keys.lookup('c1', 2)).toEqual({ state: 'live', key: second.key });
    expect(await keys.erase('c1', '2026-04-04T00:00:00.000Z')).toMatchObject({ keyGeneration: 2, destroyed: true });
  });

  it('never uses a key another process erased, though this one had just used it', async () => {
    // given a key this store has unwrapped and used
    const made = keys.liveKey('c1', { create: true });
    expect(keys.lookup('c1', 1)).toEqual({ state: 'live', key: made.key });

    // when another process (the CLI) erases the customer
    const other = new PersonalDataKeys(join(dir, 'keys.db'), master);
    try {
      await other.erase('c1', '2026-01-02T03:04:05.000Z');
    } finally {
      other.close();
    }

    // then this store answers the erasure, and has no live key for the customer
    expect(keys.lookup('c1', 1)).toEqual({ state: 'erased' });
    expect(keys.liveKey('c1')).toBeUndefined();
  });

  it('binds each wrapped key to its customer and generation: a row copied onto another customer does not unwrap', () => {
    keys.liveKey('c1', { create: true });
    keys.liveKey('c2', { create: true });
    const own = (keys as unknown as { db: Database.Database }).db;
    own
      .prepare("UPDATE data_keys SET wrapped_key = (SELECT wrapped_key FROM data_keys WHERE customer_id = 'c1') WHERE customer_id = 'c2'")
      .run();
    expect(() => keys.lookup('c2', 1)).toThrow(/customer c2 \(generation 1\).*does not unwrap/);
  });

  it('refuses to open with another master key', () => {
    keys.liveKey('c1', { create: true });
    keys.close();
    const wrong = new PersonalDataKeys(join(dir, 'keys.db'), new SecretKeyBytes(randomBytes(32)));
    expect(() => wrong.knows('c1')).toThrow(/made with another master key/);
    wrong.close();
  });

  it('remembers whose personal data a stream carries', () => {
    expect(keys.customerOfStream('complaint-k1')).toBeUndefined();
    keys.rememberStream('complaint-k1', 'c1');
    keys.rememberStream('complaint-k1', 'c2');
    expect(keys.customerOfStream('complaint-k1')).toBe('c1');
  });

  it('asks for a lazy master key only when the file is first opened, and refuses use once closed', () => {
    let asked = 0;
    const lazy = new PersonalDataKeys(join(dir, 'lazy', 'keys.db'), () => {
      asked += 1;
      return master;
    });
    expect(asked).toBe(0);
    lazy.liveKey('c1', { create: true });
    lazy.liveKey('c2', { create: true });
    expect(asked).toBe(1);
    lazy.close();
    expect(() => lazy.knows('c1')).toThrow(/closed/);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../config/app-config';
import { EsdbEventStore, normaliseConnectionString } from './esdb-event-store';
import { openEventStore } from './open-event-store';
import { SqliteEventStore } from './sqlite-event-store';

const STREAM_PREFIXES = ['order-', 'account-'];

describe('openEventStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-open-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens the embedded SQLite log without EVENTSTORE_URL', async () => {
    const store = openEventStore(loadConfig({ DATA_DIR: dir }), STREAM_PREFIXES);
    expect(store).toBeInstanceOf(SqliteEventStore);
    await store.close();
  });

  it('opens EventStoreDB when EVENTSTORE_URL is set (connecting lazily)', async () => {
    const store = openEventStore(loadConfig({ DATA_DIR: dir, EVENTSTORE_URL: 'esdb://127.0.0.1:2113?tls=false' }), STREAM_PREFIXES);
    expect(store).toBeInstanceOf(EsdbEventStore);
    await store.close();
  });
});

describe('EVENTSTORE_URL', () => {
  it.each([
    'esdb://127.0.0.1:2113?tls=false',
    'esdb+discover://cluster.example:2113',
    'esdb://node1:2113,node2:2113,node3:2113?tls=false&nodePreference=leader',
    'kurrentdb://admin:changeit@localhost:2113',
    'kurrentdb+discover://cluster.example:2113',
  ])('accepts %s', (url) => {
    expect(loadConfig({ EVENTSTORE_URL: url }).eventStoreUrl).toBe(url);
  });

  it.each(['http://localhost:2113', 'postgres://localhost/x', 'esdb://', 'localhost:2113'])('refuses %s, naming the variable', (url) => {
    expect(() => loadConfig({ EVENTSTORE_URL: url })).toThrow(ConfigError);
    expect(() => loadConfig({ EVENTSTORE_URL: url })).toThrow(/EVENTSTORE_URL must be an esdb:\/\//);
  });

  it('masks a password when it refuses a URL', () => {
    expect(() => loadConfig({ EVENTSTORE_URL: 'tcp://admin:secret@localhost:1113' })).toThrow(/admin:\*\*\*@/);
  });

  it('is optional', () => {
    expect(loadConfig({}).eventStoreUrl).toBeUndefined();
  });

  it('speaks to the client in its esdb:// scheme whichever scheme the URL names', () => {
    expect(normaliseConnectionString('kurrentdb://localhost:2113?tls=false')).toBe('esdb://localhost:2113?tls=false');
    expect(normaliseConnectionString('kurrentdb+discover://c:2113')).toBe('esdb+discover://c:2113');
    expect(normaliseConnectionString('esdb://localhost:2113')).toBe('esdb://localhost:2113');
  });
});

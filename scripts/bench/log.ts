/**
 * A realistic event log of any size, fast: a template of real histories (complaint cases driven through the
 * decider and the command path, every scenario of the read-side tests, and customers' purchases) is written
 * once through the store, then cloned under fresh case and customer ids straight into the events table, each
 * clone's hash chain recomputed so that every event verifies as the service would have written it (data as canonical JSON,
 * as the store writes it).
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandContext } from '../../src/core/command-handling';
import { executeStreamCommand } from '../../src/core/commands/execute-stream-command';
import type { RecordedEvent } from '../../src/core/event-store/event-store.port';
import { GENESIS_HASH, canonicalJson, chainedMetadata } from '../../src/core/event-store/hash-chain';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { customerStream } from '../../src/customers/customer-commands';
import { writeComplaintHistory } from '../../test/support/complaint-history';

const TEMPLATE_CASES = 48;
const PURCHASES_PER_CUSTOMER = 3;
/** Clones written interleaved, so that a projection's batch spans many streams as in production. */
const INTERLEAVED = 64;

async function template(): Promise<RecordedEvent[]> {
  const dir = mkdtempSync(join(tmpdir(), 'redress-bench-template-'));
  const store = new SqliteEventStore(join(dir, 'events.db'));
  try {
    const history = await writeComplaintHistory(store, { cases: TEMPLATE_CASES, idPrefix: 'template' });
    let order = 0;
    for (const customerId of history.customerIds) {
      for (let n = 0; n < PURCHASES_PER_CUSTOMER; n++) {
        const id = randomUUID();
        const context: CommandContext = { commandId: id, correlationId: id, causationId: id, actor: { id: 'shop', role: 'agent' }, occurredAt: '2025-06-01T00:00:00.000Z' };
        const at = new Date(Date.parse('2025-02-01T00:00:00.000Z') + order * 3_600_000).toISOString();
        await executeStreamCommand(store, customerStream, customerId, {
          type: 'RecordPurchase',
          data: { customerId, orderId: `order-${order++}`, amount: 1999 + n, currency: 'GBP', at },
          by: { id: 'shop', role: 'agent' },
          at: '2025-06-01T00:00:00.000Z',
        } as never, context);
      }
    }
    return await store.readAll();
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface BenchLog {
  readonly file: string;
  readonly events: number;
  readonly cases: number;
  remove(): void;
}

/** Writes a log of at least `events` events (whole clones of the template) into a fresh events.db. */
export async function buildLog(events: number): Promise<BenchLog> {
  const source = await template();
  const dir = mkdtempSync(join(tmpdir(), 'redress-bench-log-'));
  const file = join(dir, 'events.db');
  await new SqliteEventStore(file).close(); // the schema
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // a scratch log: written once, as fast as possible
  const insert = db.prepare(
    'INSERT INTO events (event_id, stream_name, stream_revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const ids = [...new Set(source.flatMap((event) => [event.streamName.replace(/^[a-z]+-/, ''), ...customerIdsIn(event)]))];
  const clones = Math.max(1, Math.ceil(events / source.length));
  const writeGroup = db.transaction((first: number, count: number) => {
    const renames = Array.from({ length: count }, (_, k) => new Map(ids.map((id) => [id, `${id}-${first + k}`])));
    const prevHash = Array.from({ length: count }, () => new Map<string, string>());
    for (const event of source) {
      for (let k = 0; k < count; k++) {
        const rename = (text: string) => text.replace(ID_PATTERN, (id) => renames[k].get(id) ?? id);
        const streamName = rename(event.streamName);
        const data = JSON.parse(rename(JSON.stringify(event.data))) as unknown;
        const { hash: _hash, prevHash: _prev, ...own } = event.metadata;
        const previous = prevHash[k].get(streamName) ?? GENESIS_HASH;
        const metadata = chainedMetadata({ streamName, revision: event.revision, type: event.type, data, metadata: own }, previous);
        prevHash[k].set(streamName, metadata['hash'] as string);
        insert.run(randomUUID(), streamName, event.revision, event.type, canonicalJson(data), JSON.stringify(metadata), event.recordedAt);
      }
    }
  });
  const ID_PATTERN = new RegExp(ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).sort((a, b) => b.length - a.length).join('|'), 'g');
  for (let first = 0; first < clones; first += INTERLEAVED) writeGroup(first, Math.min(INTERLEAVED, clones - first));
  const written = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return {
    file,
    events: written,
    cases: clones * TEMPLATE_CASES,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function customerIdsIn(event: RecordedEvent): string[] {
  const customerId = (event.data as { customerId?: unknown }).customerId;
  return typeof customerId === 'string' ? [customerId] : [];
}

if (require.main === module) {
  void buildLog(Number(process.argv[2] ?? 10_000)).then((log) => {
    console.log(`${log.events} events, ${log.cases} cases in ${log.file}`);
  });
}

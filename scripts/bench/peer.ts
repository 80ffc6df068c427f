/**
 * The peer: the same complaint command workload through Emmett's SQLite event store and through Redress's
 * in-process command path, interleaved in one run. Both sides run Redress's own complaint decider, so only the
 * command handling and the store differ: Emmett's `DeciderCommandHandler` (aggregateStream, decide, appendToStream
 * at the version read) on `getSQLiteEventStore`, against `executeStreamCommand` (idempotency check, folded-state
 * cache, hash chain) on `SqliteEventStore`. Each command's events carry the same metadata on both sides.
 *
 * The workload: `streams` new cases (ReceiveComplaint), then `perStream` logged contacts on each, round-robin over
 * the cases, one command at a time. One at a time because Emmett 0.38.5's file store opens a connection for every
 * operation and closes the shared one when any operation ends, so concurrent commands on one store instance are
 * not safe.
 * Durability: both sides WAL; Redress sets synchronous=FULL; Emmett sets only journal_mode=WAL and keeps the
 * library's default synchronous, which the run reads back and reports (FULL for Debian's libsqlite3).
 *
 * Emmett is never a project dependency (it conflicts with ours): it is loaded from PEER_DIR when installed there.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { complaintStream } from '../../src/complaints/case-commands';
import { DEFAULT_COMPLAINT_POLICY } from '../../src/complaints/domain/complaint-policy';
import type { ComplaintCommand } from '../../src/complaints/domain/complaint.decider';
import type { CommandContext } from '../../src/core/command-handling';
import { executeStreamCommand } from '../../src/core/commands/execute-stream-command';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { interleaved, ratios, spread, type Spread } from './stats';

export const PEER_DIR = process.env['PEER_DIR'] ?? join(homedir(), '.cache', 'redress-bench-peer');
/** What installed it on the bench machine: sqlite3 built from source against the system's libsqlite3 (libsqlite3-dev). */
export const peerInstall = (dir: string) =>
  `npm install --prefix ${dir} @event-driven-io/emmett@0.38.5 @event-driven-io/emmett-sqlite@0.38.5 --build-from-source --sqlite=/usr`;

const AT = '2026-11-20T10:00:00.000Z';
const by = { id: 'bench-agent', role: 'agent' as const };

/** The little of Emmett's API the workload uses (the project has no types of it). */
interface EmmettEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: unknown;
}
interface EmmettStore {
  readonly brand?: never;
}
interface Emmett {
  getSQLiteEventStore(options: { fileName: string }): EmmettStore;
  sqliteConnection(options: { fileName: string }): {
    querySingle<T>(sql: string): Promise<T | null>;
    close(): void;
  };
  DeciderCommandHandler(options: {
    decide(command: ComplaintCommand, state: unknown): EmmettEvent[];
    evolve(state: unknown, event: EmmettEvent): unknown;
    initialState(): unknown;
  }): (store: EmmettStore, id: string, command: ComplaintCommand) => Promise<unknown>;
}

export interface PeerResults {
  readonly installed: boolean;
  readonly dir: string;
  readonly install: string;
  readonly commandsPerRun?: number;
  readonly streams?: number;
  readonly durability?: Record<'redress' | 'emmett', string>;
  readonly commandsPerSecond?: Record<'redress' | 'emmett', Spread>;
  readonly ratio?: Spread;
  /** Emmett commands retried after SQLITE_BUSY at COMMIT (see `emmett`), over all repetitions and warm-ups. */
  readonly emmettBusyRetries?: number;
  readonly eventsStoredPerRun?: number;
}

export function peerInstalled(dir = PEER_DIR): boolean {
  return existsSync(join(dir, 'node_modules', '@event-driven-io', 'emmett-sqlite'));
}

function loadEmmett(dir: string): Emmett {
  const fromPeer = createRequire(join(dir, 'package.json'));
  return { ...fromPeer('@event-driven-io/emmett'), ...fromPeer('@event-driven-io/emmett-sqlite') } as Emmett;
}

function context(): CommandContext {
  const id = randomUUID();
  return { commandId: id, correlationId: id, causationId: id, actor: by, occurredAt: AT };
}

/** The metadata Redress's command path records on every event, for Emmett to store the same bytes. */
function metadataOf(command: ComplaintCommand, { actor, commandId, correlationId, causationId, occurredAt }: CommandContext) {
  return { actor, commandId, commandType: command.type, correlationId, causationId, occurredAt };
}

/** The workload as (case id, command) pairs: each case received, then logged contacts round-robin over the cases. */
function workload(streams: number, perStream: number): [string, ComplaintCommand][] {
  const cases = Array.from({ length: streams }, () => randomUUID());
  const receive = cases.map((caseId): [string, ComplaintCommand] => [
    caseId,
    { type: 'ReceiveComplaint', data: { caseId, customerId: 'c-1', channel: 'email', summary: 'Late parcel', regime: 'default' }, by, at: AT },
  ]);
  const contacts = Array.from({ length: perStream }, () =>
    cases.map((caseId): [string, ComplaintCommand] => [
      caseId,
      { type: 'LogCustomerContact', data: { direction: 'outbound', channel: 'phone', summary: 'Called back' }, by, at: AT },
    ]),
  ).flat();
  return [...receive, ...contacts];
}

function freshDir(): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'redress-bench-peer-'));
  return { file: join(dir, 'events.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

const complaints = complaintStream(DEFAULT_COMPLAINT_POLICY);
const SQLITE_BUSY = 5;

/** Over one benchPeer: the events each side's log holds after each run, and Emmett's retries after SQLITE_BUSY. */
interface Tally {
  readonly stored: Record<'redress' | 'emmett', number[]>;
  busyRetries: number;
}

function eventsIn(file: string, table: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Commands/s through Redress's command path on a fresh log (a few warm-up commands first, untimed). */
async function redress(
  tally: Tally,
  commands: readonly [string, ComplaintCommand][],
  warmUp: readonly [string, ComplaintCommand][],
): Promise<number> {
  const { file, remove } = freshDir();
  const store = new SqliteEventStore(file);
  try {
    for (const [id, command] of warmUp) await executeStreamCommand(store, complaints, id, command, context());
    const started = performance.now();
    for (const [id, command] of commands) await executeStreamCommand(store, complaints, id, command, context());
    const perSecond = commands.length / ((performance.now() - started) / 1000);
    tally.stored.redress.push(eventsIn(file, 'events'));
    return perSecond;
  } finally {
    await store.close();
    remove();
  }
}

/** Commands/s through Emmett's decider command handler on its SQLite event store, on a fresh file. */
async function emmett(
  tally: Tally,
  peer: Emmett,
  commands: readonly [string, ComplaintCommand][],
  warmUp: readonly [string, ComplaintCommand][],
): Promise<number> {
  const { file, remove } = freshDir();
  const store = peer.getSQLiteEventStore({ fileName: file });
  const { decider, streamName } = complaints;
  const run = async ([id, command]: [string, ComplaintCommand]) => {
    const metadata = metadataOf(command, context());
    const handle = peer.DeciderCommandHandler({
      decide: (issued, state) => decider.decide(issued, state as never).map((event) => ({ ...event, metadata })),
      evolve: (state, { type, data }) => decider.evolve(state as never, { type, data } as never),
      initialState: () => decider.initialState,
    });
    for (;;) {
      try {
        return await handle(store, streamName(id), command);
      } catch (error) {
        // Emmett 0.38.5 sometimes fails its COMMIT with "SQL statements in progress" (a statement of the transaction
        // not yet finalized); the transaction is rolled back, so the command is retried and the retry counted.
        if ((error as { errno?: number }).errno !== SQLITE_BUSY) throw error;
        tally.busyRetries++;
      }
    }
  };
  // Emmett logs every failed transaction with console.log, which is the bench's table output: silenced here.
  const log = console.log;
  console.log = () => undefined;
  try {
    for (const pair of warmUp) await run(pair);
    const started = performance.now();
    for (const pair of commands) await run(pair);
    const perSecond = commands.length / ((performance.now() - started) / 1000);
    tally.stored.emmett.push(eventsIn(file, 'emt_messages'));
    return perSecond;
  } finally {
    console.log = log;
    remove();
  }
}

/** What Emmett's connections end up with: it sets journal_mode=WAL and leaves synchronous at the library's default. */
async function emmettDurability(peer: Emmett): Promise<string> {
  const { file, remove } = freshDir();
  const connection = peer.sqliteConnection({ fileName: file });
  try {
    const journal = await connection.querySingle<{ journal_mode: string }>('PRAGMA journal_mode');
    const synchronous = await connection.querySingle<{ synchronous: number }>('PRAGMA synchronous');
    const level = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][synchronous?.synchronous ?? -1] ?? 'unknown';
    return `${journal?.journal_mode?.toUpperCase()}, synchronous=${level}`;
  } finally {
    connection.close();
    remove();
  }
}

export async function benchPeer(streams: number, perStream: number, repetitions: number, dir = PEER_DIR): Promise<PeerResults> {
  if (!peerInstalled(dir)) return { installed: false, dir, install: peerInstall(dir) };
  const peer = loadEmmett(dir);
  const tally: Tally = { stored: { redress: [], emmett: [] }, busyRetries: 0 };
  const { stored } = tally;
  const durability = { redress: 'WAL, synchronous=FULL', emmett: await emmettDurability(peer) };
  const runs = await interleaved(repetitions, {
    emmett: () => emmett(tally, peer, workload(streams, perStream), workload(2, 5)),
    redress: () => redress(tally, workload(streams, perStream), workload(2, 5)),
  });
  if (stored.emmett.some((events, run) => events !== stored.redress[run])) {
    throw new Error(`The peer's workload left different logs: Redress ${stored.redress.join('/')} events, Emmett ${stored.emmett.join('/')}`);
  }
  return {
    installed: true,
    dir,
    install: peerInstall(dir),
    commandsPerRun: streams * (1 + perStream),
    streams,
    durability,
    commandsPerSecond: { redress: spread(runs.redress), emmett: spread(runs.emmett) },
    ratio: ratios(runs.redress, runs.emmett),
    emmettBusyRetries: tally.busyRetries,
    eventsStoredPerRun: stored.redress[0],
  };
}

if (require.main === module) {
  const [streams, perStream] = process.argv.slice(2).map(Number);
  void benchPeer(streams || 20, perStream || 10, 3).then((results) => console.log(JSON.stringify(results, null, 2)));
}

/**
 * Crash tests of the read side: SIGKILL the process that runs the projections (between batches and
 * in the middle of a batch's transaction), restart it, and check that the read model always equals
 * what its checkpoint claims, and in the end equals a fresh rebuild from zero.
 */
import { Logger } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RecordedEvent } from '../../src/core/event-store/event-store.port';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { checkpointMigrations, readCheckpoint } from '../../src/core/projections/checkpoints';
import { ProjectionRunner } from '../../src/core/projections/projection-runner';
import { migrateReadStore, openReadStore } from '../../src/core/read-store/read-store';
import { caseViewProjection } from '../../src/complaints/projections/case-view/case-view.projection';
import { READ_MODELS, type ReadModelTables } from '../../src/read-models';
import { CaseViewRecord, expectedCaseViews, readCaseViews, writeComplaintHistory } from '../support/complaint-history';
import { ServiceProcess } from '../support/service-process';

const REPO = resolve(__dirname, '../..');
const CHILD = 'test/support/projection-crash-child.ts';
const dirs: string[] = [];
const children: ChildProcess[] = [];

const tempDir = (label: string) => {
  const dir = mkdtempSync(join(tmpdir(), `redress-${label}-`));
  dirs.push(dir);
  return dir;
};

beforeAll(() => Logger.overrideLogger(false));
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((done) => child.once('exit', done));
    }
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The read model in `dataDir` as it is on disk: its rows and its checkpoint. */
async function readModelOn(dataDir: string): Promise<{ rows: CaseViewRecord[]; checkpoint: number }> {
  const readStore = await openReadStore<ReadModelTables>({ dataDir });
  try {
    await migrateReadStore(readStore, { ...checkpointMigrations, ...READ_MODELS.migrations });
    const checkpoint = (await readCheckpoint(readStore.db, caseViewProjection.name))?.position ?? 0;
    return { rows: await readCaseViews(readStore.db), checkpoint };
  } finally {
    await readStore.close();
  }
}

/** Replays the whole log of `dataDir` into an empty read store elsewhere, with the production runner's rebuild. */
async function freshRebuild(dataDir: string): Promise<{ rows: CaseViewRecord[]; checkpoint: number }> {
  const rebuildDir = tempDir('rebuild');
  const store = new SqliteEventStore(join(dataDir, 'events.db'));
  const readStore = await openReadStore<ReadModelTables>({ dataDir: rebuildDir });
  try {
    await migrateReadStore(readStore, { ...checkpointMigrations, ...READ_MODELS.migrations });
    const runner = new ProjectionRunner(store, readStore, caseViewProjection, { clock: { now: () => new Date() }, batchSize: 100 });
    await runner.rebuild();
    await runner.stop();
  } finally {
    await readStore.close();
    await store.close();
  }
  return readModelOn(rebuildDir);
}

interface ChildRun {
  readonly lines: string[];
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
  kill(): Promise<void>;
  /** Resolves once a line of stdout satisfies `predicate`. */
  waitForLine(predicate: (line: string) => boolean, what: string): Promise<string>;
}

function runChild(dataDir: string, env: Record<string, string>): ChildRun {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', CHILD], {
    cwd: REPO,
    env: { ...process.env, DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  let output = '';
  let pending = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop()!;
    lines.push(...complete);
    for (const listener of [...listeners]) listener();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((done) => {
    child.once('exit', (code, signal) => {
      for (const listener of [...listeners]) listener();
      done({ code, signal, output });
    });
  });
  return {
    lines,
    exit,
    async kill() {
      child.kill('SIGKILL');
      const { signal } = await exit;
      if (signal !== 'SIGKILL') throw new Error(`The child ended on its own before the kill:\n${output}`);
    },
    waitForLine(predicate, what) {
      return new Promise((found, failed) => {
        const check = () => {
          const line = lines.find(predicate);
          if (line !== undefined) {
            listeners.delete(check);
            found(line);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            listeners.delete(check);
            failed(new Error(`The child exited before printing ${what}:\n${output}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
  };
}

const positionIn = (line: string) => Number(line.split(' ')[1]);

describe('a projection process killed mid-way', () => {
  it('leaves a read model that always matches its checkpoint, and after restarts equals a fresh rebuild', async () => {
    const dataDir = tempDir('projection-crash');
    const store = new SqliteEventStore(join(dataDir, 'events.db'));
    const { head } = await writeComplaintHistory(store, { cases: 40, idPrefix: 'crash' });
    const events: RecordedEvent[] = await store.readAll();
    await store.close();
    expect(head).toBeGreaterThan(250);

    const kills: Array<{ how: string; env: Record<string, string>; killWhen: (run: ChildRun) => Promise<unknown> }> = [
      {
        how: 'right after a batch committed',
        env: { BATCH_SIZE: '5', BATCH_DELAY_MS: '15' },
        killWhen: (run) => run.waitForLine((line) => line.startsWith('checkpoint ') && positionIn(line) >= 20, 'a checkpoint ≥ 20'),
      },
      {
        how: 'inside a batch transaction, rows written but not committed',
        env: { BATCH_SIZE: '5', BATCH_DELAY_MS: '200' },
        killWhen: async (run) => {
          const first = await run.waitForLine((line) => line.startsWith('applying '), 'a batch');
          await run.waitForLine((line) => line.startsWith('applying ') && line !== first, 'a second batch');
          await new Promise((done) => setTimeout(done, 50));
        },
      },
      {
        how: 'at an arbitrary moment',
        env: { BATCH_SIZE: '7', BATCH_DELAY_MS: '10' },
        killWhen: async (run) => {
          await run.waitForLine((line) => line.startsWith('applying '), 'a batch');
          await new Promise((done) => setTimeout(done, 120));
        },
      },
    ];

    let previous = 0;
    for (const { how, env, killWhen } of kills) {
      const run = runChild(dataDir, env);
      await killWhen(run);
      await run.kill();
      const { rows, checkpoint } = await readModelOn(dataDir);
      // Exactly-once: every event up to the checkpoint is in the rows, none after it, none twice.
      expect({ how, checkpoint, rows }).toEqual({ how, checkpoint, rows: expectedCaseViews(events, checkpoint) });
      expect({ how, advanced: checkpoint > previous, midway: checkpoint < head }).toEqual({ how, advanced: true, midway: true });
      previous = checkpoint;
    }
    expect(existsSync(join(dataDir, 'projections.lock'))).toBe(true); // left behind by the last kill

    const last = runChild(dataDir, { BATCH_SIZE: '5' });
    const { code, output } = await last.exit;
    expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
    expect(last.lines[last.lines.length - 1]).toBe(`done ${head}`);
    expect(positionIn(last.lines.find((line) => line.startsWith('checkpoint '))!)).toBeGreaterThan(previous);
    expect(existsSync(join(dataDir, 'projections.lock'))).toBe(false);

    const final = await readModelOn(dataDir);
    const rebuilt = await freshRebuild(dataDir);
    expect(final.checkpoint).toBe(head);
    expect(rebuilt.checkpoint).toBe(head);
    expect(final.rows).toHaveLength(40);
    expect(final.rows).toEqual(rebuilt.rows);
    expect(final.rows).toEqual(expectedCaseViews(events));
  }, 60_000);
});

// ── The real service ─────────────────────────────────────────────────────────

const AGENT = { 'X-Actor-Id': 'agent-7', 'X-Actor-Role': 'agent' };
const services: ServiceProcess[] = [];
afterAll(async () => {
  for (const service of services) await service.crash();
});

describe('the real service killed while commands flow', () => {
  it('catches its case views up after a restart, equal to a fresh rebuild', async () => {
    const dataDir = tempDir('service-crash');
    const first = await ServiceProcess.start(dataDir, { PROJECTION_BATCH_SIZE: '3' });
    services.push(first);

    let killed = false;
    let acknowledged = 0;
    const caseIds: string[] = [];
    let next = 0;
    const worker = async () => {
      while (!killed && next < 5_000) {
        const n = next++;
        const target = caseIds[n % 5];
        const [path, body] =
          n % 6 === 0 || !target
            ? ['/cases', { customerId: `cust-${n % 4}`, channel: 'email', summary: `Opened during the burst ${n}` }]
            : n % 6 === 1
              ? [`/cases/${target}/assign`, { agentId: `agent-${n % 3}` }]
              : [`/cases/${target}/log-contact`, { direction: 'inbound', channel: 'phone', summary: `Call ${n}` }];
        try {
          const answer = await first.post(path, body, { ...AGENT, 'Idempotency-Key': `service-crash-${n}` });
          if (answer.status === 201) caseIds.push(answer.body.caseId);
          else expect({ path, status: answer.status }).toEqual({ path, status: 200 });
          acknowledged += 1;
          if (acknowledged === 120) {
            killed = true;
            void first.crash();
          }
        } catch (error) {
          if (!killed) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    await first.exited;
    expect(acknowledged).toBeGreaterThanOrEqual(120);

    const second = await ServiceProcess.start(dataDir, { PROJECTION_BATCH_SIZE: '3' });
    services.push(second);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [status] = await second.get<Array<{ name: string; state: string; checkpoint: number; headPosition: number }>>('/projections');
      if (status.state === 'running' && status.checkpoint === status.headPosition && status.headPosition > 0) break;
      if (Date.now() > deadline) throw new Error(`case-views did not catch up: ${JSON.stringify(status)}`);
      await new Promise((wait) => setTimeout(wait, 50));
    }
    await second.crash();

    const store = new SqliteEventStore(join(dataDir, 'events.db'));
    const head = await store.headPosition();
    const events = await store.readAll();
    await store.close();
    const final = await readModelOn(dataDir);
    const rebuilt = await freshRebuild(dataDir);
    expect(final.checkpoint).toBe(head);
    expect(final.rows.length).toBeGreaterThanOrEqual(caseIds.length);
    expect(final.rows).toEqual(rebuilt.rows);
    expect(final.rows).toEqual(expectedCaseViews(events));
  }, 60_000);
});

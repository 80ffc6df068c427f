/**
 * Rebuilds against the floor: a raw scan of the log (every row read and its JSON parsed, what any projection
 * must at least do) and a rebuild of one projection, or all, into a fresh read store on SQLite or PostgreSQL.
 * Each measurement runs in a child process of its own, so that its peak RSS is its own.
 *
 * As a child: `rebuild.ts <events.db> scan|all|<projection> [postgres-url]` prints one JSON line.
 * On its own: `rebuild.ts --compare <events> [postgres-url]` (see `compare`).
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Pool } from 'pg';
import { systemClock } from '../../src/core/clock';
import { checkpointMigrations } from '../../src/core/projections/checkpoints';
import { ProjectionRunner } from '../../src/core/projections/projection-runner';
import { DEFAULT_REBUILD_HEAP_GROWTH_PERCENT, capRebuildHeapGrowth } from '../../src/core/projections/rebuild-heap';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { UpcastingEventStore } from '../../src/core/event-store/upcasting-event-store';
import { migrateReadStore, openReadStore } from '../../src/core/read-store/read-store';
import { EVENT_UPCASTERS } from '../../src/event-schemas';
import { READ_MODELS, type ReadModelTables } from '../../src/read-models';
import { COMPILED_ENV, compiledCopy } from './compiled';
import { interleaved, ratios, spread } from './stats';

const REPO = resolve(__dirname, '../..');

export interface ChildFigures {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** CPU time (user and system) of the timed part: steadier than `seconds` on a machine shared with other work. */
  readonly cpuSeconds?: number;
  readonly maxRssMb: number;
}

export function rawScan(file: string): { events: number } {
  const db = new Database(file, { readonly: true });
  let events = 0;
  for (const row of db.prepare('SELECT * FROM events ORDER BY position').iterate() as Iterable<{ data: string; metadata: string }>) {
    JSON.parse(row.data);
    JSON.parse(row.metadata);
    events++;
  }
  db.close();
  return { events };
}

/**
 * `which` is a projection's name or `all`; `all:keep` leaves the read models next to the log, for the service to serve.
 * Timed from an opened, migrated read store to the rebuilt read models (creating the tables is not part of a rebuild).
 */
export async function rebuild(file: string, which: string, postgresUrl?: string): Promise<{ events: number; seconds: number; cpuSeconds: number }> {
  Logger.overrideLogger(['error']);
  const store = new UpcastingEventStore(new SqliteEventStore(file), EVENT_UPCASTERS);
  const keep = which.endsWith(':keep');
  which = which.replace(/:keep$/, '');
  const dataDir = keep ? dirname(file) : mkdtempSync(join(tmpdir(), 'redress-bench-read-'));
  const schema = postgresUrl ? `bench_${randomBytes(6).toString('hex')}` : undefined;
  const readStore = await openReadStore<ReadModelTables>({ url: postgresUrl, schema, dataDir });
  try {
    await migrateReadStore(readStore, { ...checkpointMigrations, ...READ_MODELS.migrations });
    const chosen = READ_MODELS.projections.filter((projection) => which === 'all' || projection.name === which);
    if (chosen.length === 0) throw new Error(`no projection ${which}`);
    // As `redress rebuild` does: one pass over the log for all the chosen projections.
    const started = performance.now();
    const startedCpu = process.cpuUsage();
    const runners = chosen.map((projection) => new ProjectionRunner(store, readStore, projection, { clock: systemClock, batchSize: 500, idlePollMs: 60_000 }));
    await ProjectionRunner.rebuildTogether(runners);
    await Promise.all(runners.map((runner) => runner.stop()));
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(startedCpu);
    return { events: await store.countEventsAfter(0), seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    await readStore.close();
    await store.close();
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
    if (schema && postgresUrl) {
      const pool = new Pool({ connectionString: postgresUrl });
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
      await pool.end();
    }
  }
}

/** The floor for PostgreSQL: the case views' rows, as a rebuild leaves them, written by multi-row INSERTs of 500. */
export async function postgresInsert(file: string, postgresUrl: string): Promise<{ events: number; seconds: number }> {
  const events = rawScan(file).events;
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-bench-read-'));
  const readStore = await openReadStore<ReadModelTables>({ dataDir });
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const pool = new Pool({ connectionString: postgresUrl, options: `-c search_path=${schema}` });
  try {
    await migrateReadStore(readStore, { ...checkpointMigrations, ...READ_MODELS.migrations });
    const runner = new ProjectionRunner(new UpcastingEventStore(new SqliteEventStore(file), EVENT_UPCASTERS), readStore, READ_MODELS.projections[0], {
      clock: systemClock,
    });
    await runner.rebuild();
    await runner.stop();
    const rows = (await readStore.db.selectFrom('case_views').selectAll().execute()) as Record<string, unknown>[];
    await pool.query(`CREATE SCHEMA ${schema}`);
    const columns = Object.keys(rows[0]);
    await pool.query(`CREATE TABLE case_views (${columns.map((c) => `${c} ${c === 'breached' ? 'integer' : 'text'}`).join(', ')}, PRIMARY KEY (id))`);
    const started = performance.now();
    for (let start = 0; start < rows.length; start += 500) {
      const chunk = rows.slice(start, start + 500);
      const values = chunk.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
      await pool.query(`INSERT INTO case_views (${columns.join(', ')}) VALUES ${values}`, chunk.flatMap((row) => columns.map((c) => row[c])));
    }
    return { events, seconds: (performance.now() - started) / 1000 };
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
    await readStore.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function child(args: string[]): Promise<void> {
  const [file, which, postgresUrl] = args;
  // A child is a process that only rebuilds, as `redress rebuild` is: the same cap, at its default unless the environment sets one.
  capRebuildHeapGrowth(Number(process.env['REBUILD_HEAP_GROWTH_PERCENT'] ?? DEFAULT_REBUILD_HEAP_GROWTH_PERCENT));
  const started = performance.now();
  const result: { events: number; seconds?: number; cpuSeconds?: number } =
    which === 'scan' ? rawScan(file) : which === 'pg-insert' ? await postgresInsert(file, postgresUrl) : await rebuild(file, which, postgresUrl);
  const seconds = result.seconds ?? (performance.now() - started) / 1000;
  const figures: ChildFigures = {
    events: result.events,
    seconds,
    eventsPerSecond: result.events / seconds,
    ...(result.cpuSeconds === undefined ? {} : { cpuSeconds: Math.round(result.cpuSeconds * 100) / 100 }),
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** One measurement in a child process of its own, compiled JavaScript (no ts-node). */
export function measure(file: string, which: string, postgresUrl?: string): Promise<ChildFigures> {
  const script = join(compiledCopy(), 'scripts/bench/rebuild.js');
  return new Promise((resolveFigures, reject) => {
    const process_ = spawn(process.execPath, [script, file, which, ...(postgresUrl ? [postgresUrl] : [])], {
      cwd: REPO,
      env: { ...process.env, ...COMPILED_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    process_.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    process_.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    process_.once('exit', (code) => {
      const line = output.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolveFigures(JSON.parse(line) as ChildFigures);
      else reject(new Error(`rebuild ${which} exited with ${code}:\n${errors}${output}`));
    });
  });
}

/**
 * `rebuild.ts --compare <events> [postgres-url]`: only the rebuild rows of the bench, on a fresh log of that many events,
 * each measurement in a compiled child, interleaved, three repetitions (what the README's before/after figures use).
 */
async function compare(events: number, postgresUrl?: string): Promise<void> {
  // Imported here: building a log loads the command path, which a rebuild child (whose peak RSS is measured) must not.
  const { buildLog } = await import('./log');
  const log = await buildLog(events);
  try {
    const variants: Record<string, () => Promise<number>> = {};
    const rss: Record<string, number[]> = {};
    const add = (name: string, which: string, url?: string) => {
      variants[name] = async () => {
        const figures = await measure(log.file, which, url);
        (rss[name] ??= []).push(figures.maxRssMb);
        return figures.eventsPerSecond;
      };
    };
    add('raw scan', 'scan');
    add('SQLite case-views', 'case-views');
    add('SQLite all', 'all');
    if (postgresUrl) {
      add('PostgreSQL multi-row insert', 'pg-insert', postgresUrl);
      add('PostgreSQL all', 'all', postgresUrl);
    }
    const runs = await interleaved(3, variants);
    for (const [name, values] of Object.entries(runs)) {
      const baseline = name.startsWith('PostgreSQL') ? runs['PostgreSQL multi-row insert'] : runs['raw scan'];
      const ratio = ratios(values, baseline);
      const value = spread(values);
      console.log(
        `${name.padEnd(28)} ${String(value.median).padStart(7)} events/s (${value.min}–${value.max})  ratio ${ratio.median} (${ratio.min}–${ratio.max})  peak RSS ${spread(rss[name]).max} MB`,
      );
    }
    console.log(`${log.events} events, ${log.cases} cases`);
  } finally {
    log.remove();
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  (args[0] === '--compare' ? compare(Number(args[1]), args[2]) : child(args)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

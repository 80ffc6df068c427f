import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openReadStore } from '../read-store/read-store';
import { BACKSTOP_PAGES, checkpointInBackground } from './background-checkpoints';

const ROW = 'x'.repeat(2000);

describe('WAL checkpoints in the background', () => {
  let dir: string;
  let file: string;
  let db: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'redress-checkpoints-'));
    file = join(dir, 'data.db');
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  });

  afterEach(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (count: number) => {
    const statement = db.prepare('INSERT INTO rows (body) VALUES (?)');
    db.transaction(() => {
      for (let n = 0; n < count; n++) statement.run(ROW);
    })();
  };
  const walBytes = () => statSync(`${file}-wal`).size;

  it('leaves the writer checkpointing on its own only past the backstop', async () => {
    const checkpoints = checkpointInBackground(db, 'test');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES);
    await checkpoints.stop();
  });

  it('copies the WAL into the database from its own thread, so the writer starts the WAL over', async () => {
    const checkpoints = checkpointInBackground(db, 'test', { intervalMs: 5, walSizeLimit: 0 });
    insert(1000); // ~2 MB of WAL, below any auto-checkpoint: only the background thread copies it
    const written = walBytes();
    expect(written).toBeGreaterThan(1_000_000);
    // Once every frame is in the database file, the next commit starts the WAL over and truncates it.
    const deadline = Date.now() + 10_000;
    while (walBytes() >= written / 10 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      insert(1);
    }
    expect(walBytes()).toBeLessThan(written / 10);
    expect(db.prepare('SELECT COUNT(*) FROM rows').pluck().get()).toBeGreaterThan(1000);
    await checkpoints.stop();
  });

  it('closes its connection when stopped: the last connection to close removes the WAL', async () => {
    const checkpoints = checkpointInBackground(db, 'test');
    insert(10);
    await checkpoints.stop();
    db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  /** Runs `body` in a Node process of its own, after opening a WAL database as `db` and checking it in the background. */
  const inProcess = (body: string) =>
    spawnSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-e',
        `const Database = require('better-sqlite3');
         const { checkpointInBackground } = require('./src/core/sqlite/background-checkpoints');
         const db = new Database(${JSON.stringify(join(dir, 'process.db'))});
         db.pragma('journal_mode = WAL');
         const checkpoints = checkpointInBackground(db, 'test');
         ${body}`,
      ],
      { cwd: join(__dirname, '../../..'), encoding: 'utf8', timeout: 30_000 },
    );

  it('keeps a process that awaits nothing but its stop alive until the work after it is done', () => {
    // A CLI closes its stores last and then sets its exit code: the thread must not let the process end in between.
    const run = inProcess(`checkpoints.stop().then(() => { db.close(); console.log('after stop'); process.exitCode = 3; });`);
    expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({ status: 3, stdout: 'after stop' });
  });

  it('never keeps a process alive that forgot to stop it', () => {
    const run = inProcess(`console.log('done');`);
    expect({ status: run.status, signal: run.signal, stdout: run.stdout.trim() }).toEqual({ status: 0, signal: null, stdout: 'done' });
  });

  it('runs for the read store and stops when the store closes', async () => {
    const readStore = await openReadStore({ dataDir: dir });
    await sql`CREATE TABLE notes (body TEXT)`.execute(readStore.db);
    await sql`INSERT INTO notes VALUES ('kept')`.execute(readStore.db);
    await readStore.close();
    expect(existsSync(join(dir, 'read-models.db-wal'))).toBe(false);
  });
});

import { Logger } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';

/**
 * WAL pages the writing connection lets pile up before it checkpoints on its own thread (SQLite's default is 1,000):
 * the bound on the WAL should the background checkpoints fall behind a writer that never pauses.
 */
export const BACKSTOP_PAGES = 10_000;

export interface CheckpointOptions {
  readonly intervalMs: number;
  /** After a checkpoint lets the WAL start over, SQLite truncates the file to this size (bytes). */
  readonly walSizeLimit: number;
}

/**
 * The WAL file is cut back only past the backstop's size: a WAL that grows again into freshly allocated blocks makes
 * every commit's write (and a FULL commit's fsync) dearer than one that reuses its blocks.
 */
const DEFAULTS: CheckpointOptions = { intervalMs: 20, walSizeLimit: 64 * 1024 * 1024 };

/**
 * The checkpointing thread: its own connection to the file, a PASSIVE checkpoint at each interval (it never waits for
 * a lock, so the writer never waits for it), a last one when told to stop, and every failure reported, not thrown.
 */
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { fileMustExist: true });
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface BackgroundCheckpoints {
  /** Stops the thread after a last checkpoint; resolves when it has closed its connection. */
  stop(): Promise<void>;
}

/**
 * Moves WAL checkpoints off the thread that writes `db`. A checkpoint copies the WAL's pages into the database file and
 * fsyncs it; run by the writer (SQLite's auto-checkpoint) it stalls the writer's commit, and with it every request on
 * the event loop, for 10–20 ms every few hundred commits. Here a worker thread with its own connection checkpoints
 * while the writer goes on; the writer's own auto-checkpoint stays as a backstop at BACKSTOP_PAGES. Durability is
 * unchanged: a commit is as durable as its synchronous setting makes it before any checkpoint (ADR 0008).
 */
export function checkpointInBackground(db: Database.Database, label: string, options: CheckpointOptions = DEFAULTS): BackgroundCheckpoints {
  if (db.memory) return { stop: async () => undefined };
  const logger = new Logger(label);
  db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  db.pragma(`journal_size_limit = ${options.walSizeLimit}`);
  const worker = new Worker(CHECKPOINTER, {
    eval: true,
    workerData: { filename: db.name, driver: require.resolve('better-sqlite3'), intervalMs: options.intervalMs },
  });
  let reported = false;
  const report = (message: string) => {
    if (reported) return;
    reported = true;
    logger.warn(`background WAL checkpoints failed (${message}); the writer checkpoints on its own past ${BACKSTOP_PAGES} pages`);
  };
  worker.on('message', (message: { error: string }) => report(message.error));
  worker.on('error', (error) => report(error.message));
  // A process that forgets to stop it must still be able to exit (after the listeners: a 'message' listener refs the thread).
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop: async () => {
      // Waited for, it must hold the process open until it ends: a caller awaiting nothing else would otherwise exit here.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}

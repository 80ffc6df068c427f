import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreSettings } from '../settings';

/** The lock of the embedded profile's projections, beside the data. */
export const projectionLockPath = (config: Pick<CoreSettings, 'dataDir'>) => join(config.dataDir, 'projections.lock');

/**
 * One process at a time runs the embedded profile's projections: the service or a CLI rebuild.
 * The lock is a file holding the owner's pid; a lock left by a dead process is taken over.
 */
export class ProcessLock {
  private constructor(private readonly path: string) {}

  static acquire(path: string, purpose: string): ProcessLock {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, JSON.stringify({ pid: process.pid, purpose, since: new Date().toISOString() }));
        closeSync(fd);
        return new ProcessLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = readHolder(path);
        if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
          throw new Error(
            `Projections are already run by process ${holder.pid} (${holder.purpose}, since ${holder.since}). ` +
              'Stop it first, or rebuild through the running service: POST /projections/:name/rebuild.',
          );
        }
        rmSync(path, { force: true });
      }
    }
    throw new Error(`Could not take the projection lock ${path}`);
  }

  release(): void {
    const holder = readHolder(this.path);
    if (holder?.pid === process.pid) rmSync(this.path, { force: true });
  }
}

function readHolder(path: string): { pid: number; purpose: string; since: string } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { pid: number; purpose: string; since: string };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

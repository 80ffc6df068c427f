import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { NotFoundError } from '../errors';
import { secondsSince, UNOBSERVED, type CoreObserver } from '../observer';
import { ProcessLock } from './process-lock';
import type { ProjectionControl, ProjectionStatus } from './projection-runner';

/** Thrown when a query asked to see a position the read models have not reached in time. */
export class ReadModelBehindError extends Error {
  constructor(
    readonly projection: string,
    readonly position: number,
    readonly retryAfterSeconds = 1,
  ) {
    super(`The ${projection} read model has not yet reached position ${position}; retry shortly.`);
    this.name = 'ReadModelBehindError';
  }
}

/** Owns the projection runners of this instance: starts them with the app, and answers status and waits. */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Projections');
  private readonly rebuilds = new Map<string, Promise<void>>();

  private lock?: ProcessLock;

  constructor(
    private readonly runners: ReadonlyMap<string, ProjectionControl>,
    private readonly options: {
      readonly readWaitTimeoutMs: number;
      /** Embedded profile: one process runs projections. */ readonly lockPath?: string;
    },
    private readonly observer: CoreObserver = UNOBSERVED,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.lockPath) this.lock = ProcessLock.acquire(this.options.lockPath, 'Redress service');
    await Promise.all([...this.runners.values()].map((runner) => runner.start()));
  }

  /** Before the stores close (their onApplicationShutdown), so no batch is cut off midway. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    this.lock?.release();
  }

  runner(name: string): ProjectionControl {
    const runner = this.runners.get(name);
    if (!runner) throw new NotFoundError(`No projection named "${name}"; known: ${[...this.runners.keys()].join(', ')}`);
    return runner;
  }

  statuses(): Promise<ProjectionStatus[]> {
    return Promise.all([...this.runners.values()].map((runner) => runner.status()));
  }

  /** Read-your-writes: waits (bounded) until `projection` reflects `position`, or throws ReadModelBehindError. */
  async ensureReached(projection: string, position: number | undefined): Promise<void> {
    if (position === undefined) return;
    const startedAt = process.hrtime.bigint();
    const reached = await this.runner(projection).waitForPosition(position, this.options.readWaitTimeoutMs);
    this.observer.readWaited(projection, reached, secondsSince(startedAt));
    if (!reached) throw new ReadModelBehindError(projection, position);
  }

  /** Starts a rebuild in the background; its progress shows in the status. */
  startRebuild(name: string): void {
    const runner = this.runner(name);
    if (this.rebuilds.has(name)) return;
    const rebuild = runner
      .rebuild()
      .catch((error: unknown) => this.logger.error(`Rebuild of ${name} failed: ${String(error)}`))
      .finally(() => this.rebuilds.delete(name));
    this.rebuilds.set(name, rebuild);
  }

  /** Restarts a failed (or stopped) projection from its checkpoint, e.g. after a fix was deployed. */
  async restart(name: string): Promise<void> {
    const runner = this.runner(name);
    await runner.stop();
    await runner.start();
  }
}

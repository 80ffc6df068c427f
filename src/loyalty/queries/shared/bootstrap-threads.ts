import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { bootstrapMeans, type DrawBootstrap } from './intervals';

/**
 * The worker loads the same `bootstrapMeans` the service runs (compiled JavaScript; TypeScript through ts-node where the
 * service itself runs from sources, as under jest), so a draw is the same wherever it is made.
 */
const DRAWER = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.tsNode) require(workerData.tsNode).register({ transpileOnly: true });
const { bootstrapMeans } = require(workerData.intervals);
parentPort.on('message', ({ id, x, y, resamples, seed }) => {
  const [xMeans, yMeans] = bootstrapMeans([x, y], resamples, seed);
  parentPort.postMessage({ id, xMeans, yMeans }, [xMeans.buffer, yMeans.buffer]);
});
`;

interface Task {
  readonly resolve: (means: [Float64Array, Float64Array]) => void;
  readonly redraw: () => void;
}

interface Drawer {
  readonly worker: Worker;
  readonly tasks: Map<number, Task>;
}

/**
 * Bootstrap draws on worker threads, one per core (at most `size`): a loyalty report's tens of millions of draws took
 * about half of it, on the event loop that serves commands. Cells are drawn side by side; each draw is the seeded
 * `bootstrapMeans`, so a report is the same whichever thread drew it. Threads start at the first draw and hold the
 * process open only while they draw. A thread that fails hands its draws back to the calling thread (logged once).
 */
export class BootstrapThreads implements OnModuleDestroy {
  private readonly logger = new Logger('BootstrapThreads');
  private readonly drawers: Drawer[] = [];
  private nextId = 0;
  private failed = false;
  private closed = false;

  constructor(private readonly size = Math.min(2, availableParallelism())) {}

  readonly draw: DrawBootstrap = ([x, y], resamples, seed) =>
    new Promise((resolve) => {
      const drawer = this.leastBusy();
      if (!drawer) return resolve(bootstrapMeans([x, y], resamples, seed));
      const id = this.nextId++;
      drawer.tasks.set(id, { resolve, redraw: () => resolve(bootstrapMeans([x, y], resamples, seed)) });
      drawer.worker.ref();
      // Copies, not transfers: the caller keeps its columns (and a failed thread's draw is made again from them).
      drawer.worker.postMessage({ id, x, y, resamples, seed });
    });

  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  /** Stops the threads; draws in flight, and any asked for later, are made on the calling thread. */
  async close(): Promise<void> {
    this.closed = true;
    const drawers = this.drawers.splice(0);
    await Promise.all(drawers.map((drawer) => drawer.worker.terminate()));
    for (const drawer of drawers) this.handBack(drawer);
  }

  private leastBusy(): Drawer | undefined {
    if (this.closed) return undefined;
    if (this.drawers.length < this.size && !this.failed) this.start();
    return this.drawers.reduce<Drawer | undefined>(
      (best, drawer) => (best && best.tasks.size <= drawer.tasks.size ? best : drawer),
      undefined,
    );
  }

  private start(): void {
    const intervals = require.resolve('./intervals');
    let worker: Worker;
    try {
      worker = new Worker(DRAWER, {
        eval: true,
        workerData: { intervals, tsNode: intervals.endsWith('.ts') ? require.resolve('ts-node') : undefined },
      });
    } catch (error) {
      return this.fail(error);
    }
    const drawer: Drawer = { worker, tasks: new Map() };
    worker.unref();
    worker.on('message', ({ id, xMeans, yMeans }: { id: number; xMeans: Float64Array; yMeans: Float64Array }) => {
      const task = drawer.tasks.get(id);
      drawer.tasks.delete(id);
      if (drawer.tasks.size === 0) worker.unref();
      task?.resolve([xMeans, yMeans]);
    });
    const lost = (error: unknown) => {
      const at = this.drawers.indexOf(drawer);
      if (at < 0) return; // closed
      this.drawers.splice(at, 1);
      this.fail(error);
      this.handBack(drawer);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`bootstrap thread exited with code ${code}`)));
    this.drawers.push(drawer);
  }

  private handBack(drawer: Drawer): void {
    const tasks = [...drawer.tasks.values()];
    drawer.tasks.clear();
    for (const task of tasks) task.redraw();
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.logger.warn(
      `bootstrap threads unavailable, drawing on the main thread: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { WorkerTasks } from '../../../core/worker-tasks';
import { bootstrapMeans, type DrawBootstrap } from './intervals';

/**
 * The worker loads the same `bootstrapMeans` the service runs (compiled JavaScript; TypeScript through ts-node where the
 * service itself runs from sources, as under jest), so a draw is the same wherever it is made.
 */
const DRAWER = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.tsNode) require(workerData.tsNode).register({ transpileOnly: true });
const { bootstrapMeans } = require(workerData.intervals);
parentPort.on('message', ({ id, task: { x, y, resamples, seed } }) => {
  const [xMeans, yMeans] = bootstrapMeans([x, y], resamples, seed);
  parentPort.postMessage({ id, result: [xMeans, yMeans] }, [xMeans.buffer, yMeans.buffer]);
});
`;

interface Draw {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly resamples: number;
  readonly seed: number;
}

type Drawer = WorkerTasks<Draw, [Float64Array, Float64Array]>;

/** A draw on the calling thread. */
const drawHere = async ({ x, y, resamples, seed }: Draw) => bootstrapMeans([x, y], resamples, seed);

/**
 * Bootstrap draws on worker threads, one per core (at most `size`): a loyalty report's tens of millions of draws took
 * about half of it, on the event loop that serves commands. Cells are drawn side by side; each draw is the seeded
 * `bootstrapMeans`, so a report is the same whichever thread drew it. Threads start at the first draw and hold the
 * process open only while they draw. A thread that fails hands its draws back to the calling thread (logged once).
 */
export class BootstrapThreads implements OnModuleDestroy {
  private readonly logger = new Logger('BootstrapThreads');
  private readonly drawers: Drawer[] = [];
  private failed = false;
  private closed = false;

  constructor(private readonly size = Math.min(2, availableParallelism())) {}

  // Copies, not transfers: the caller keeps its columns (and a failed thread's draw is made again from them).
  readonly draw: DrawBootstrap = ([x, y], resamples, seed) => {
    const task = { x, y, resamples, seed };
    const drawer = this.leastBusy();
    return drawer ? drawer.run(task) : drawHere(task);
  };

  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  /** Stops the threads; draws in flight, and any asked for later, are made on the calling thread. */
  async close(): Promise<void> {
    this.closed = true;
    const drawers = this.drawers.splice(0);
    await Promise.all(drawers.map((drawer) => drawer.close(drawHere)));
  }

  private leastBusy(): Drawer | undefined {
    if (this.closed) return undefined;
    if (this.drawers.length < this.size && !this.failed) this.start();
    return this.drawers.reduce<Drawer | undefined>((best, drawer) => (best && best.size <= drawer.size ? best : drawer), undefined);
  }

  private start(): void {
    const intervals = require.resolve('./intervals');
    let drawer: Drawer | undefined = undefined;
    drawer = WorkerTasks.start({
      source: DRAWER,
      workerData: { intervals, tsNode: intervals.endsWith('.ts') ? require.resolve('ts-node') : undefined },
      here: drawHere,
      onLost: (error) => {
        const at = this.drawers.findIndex((each) => each === drawer);
        if (at >= 0) this.drawers.splice(at, 1);
        this.fail(error);
      },
    });
    if (drawer) this.drawers.push(drawer);
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.logger.warn(
      `bootstrap threads unavailable, drawing on the main thread: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

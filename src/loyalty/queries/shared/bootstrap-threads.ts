import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { availableParallelism } from 'node:os';
import { WorkerTasks } from '../../../core/worker-tasks';
import { bootstrapMeansOf, type DrawBootstrap } from './intervals';

/**
 * The worker loads the same `bootstrapMeansOf` the service runs (compiled JavaScript; TypeScript through ts-node where the
 * service itself runs from sources, as under jest), so a draw is the same wherever it is made.
 */
const DRAWER = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.tsNode) require(workerData.tsNode).register({ transpileOnly: true });
const { bootstrapMeansOf } = require(workerData.intervals);
parentPort.on('message', ({ id, task: { x, y, seed, from, to } }) => {
  const [xMeans, yMeans] = bootstrapMeansOf([x, y], seed, from, to);
  parentPort.postMessage({ id, result: [xMeans, yMeans] }, [xMeans.buffer, yMeans.buffer]);
});
`;

/** Resamples `from` to `to` of a cell's draw (see `bootstrapMeansOf`). */
interface Draw {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly seed: number;
  readonly from: number;
  readonly to: number;
}

/**
 * A draw of at least this many picks (resamples × customers) is split across the threads: one cell can be most of a
 * report (at 135,600 cases, 16,950 of 19,775 customers in one cohort), and a cell drawn whole keeps one thread busy
 * while the other waits.
 */
const SPLIT_PICKS = 2_000_000;

type Drawer = WorkerTasks<Draw, [Float64Array, Float64Array]>;

/** A draw on the calling thread. */
const drawHere = async ({ x, y, seed, from, to }: Draw) => bootstrapMeansOf([x, y], seed, from, to);

/** The resamples cut in `parts` stretches of about equal length. */
function stretches(resamples: number, parts: number): Array<{ from: number; to: number }> {
  return Array.from({ length: parts }, (_, part) => ({
    from: Math.round((resamples * part) / parts),
    to: Math.round((resamples * (part + 1)) / parts),
  }));
}

/** The parts' means, one after another, as the whole draw's. */
function joined(parts: ReadonlyArray<[Float64Array, Float64Array]>): [Float64Array, Float64Array] {
  const column = (which: 0 | 1) => {
    const means = new Float64Array(parts.reduce((length, part) => length + part[which].length, 0));
    let at = 0;
    for (const part of parts) {
      means.set(part[which], at);
      at += part[which].length;
    }
    return means;
  };
  return [column(0), column(1)];
}

/**
 * Bootstrap draws on worker threads, one per core (at most `size`): a loyalty report's tens of millions of draws took
 * about half of it, on the event loop that serves commands. Cells are drawn side by side, a large one in stretches of its
 * resamples on every thread; each stretch is the seeded `bootstrapMeansOf`, so a report is the same whichever thread
 * drew which part. Threads start at the first draw and hold the
 * process open only while they draw. A thread that fails hands its draws back to the calling thread (logged once).
 */
export class BootstrapThreads implements OnModuleDestroy {
  private readonly logger = new Logger('BootstrapThreads');
  private readonly drawers: Drawer[] = [];
  private failed = false;
  private closed = false;

  constructor(private readonly size = Math.min(2, availableParallelism())) {}

  // Copies, not transfers: the caller keeps its columns (and a failed thread's draw is made again from them).
  readonly draw: DrawBootstrap = async ([x, y], resamples, seed) => {
    const parts = x.length * resamples >= SPLIT_PICKS ? this.size : 1;
    if (parts === 1) return this.drawPart({ x, y, seed, from: 0, to: resamples });
    return joined(await Promise.all(stretches(resamples, parts).map(({ from, to }) => this.drawPart({ x, y, seed, from, to }))));
  };

  private drawPart(task: Draw): Promise<[Float64Array, Float64Array]> {
    const drawer = this.leastBusy();
    return drawer ? drawer.run(task) : drawHere(task);
  }

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

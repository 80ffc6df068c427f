import { Worker, type TransferListItem } from 'node:worker_threads';

/** What a task's worker posts back: `{ id, result }`, or `{ id, error }` with the error's message and code. */
interface Answer<Result> {
  readonly id: number;
  readonly result?: Result;
  readonly error?: { readonly message: string; readonly code?: string };
}

interface Pending<Task, Result> {
  readonly task: Task;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}

export interface WorkerTasksOptions<Task, Result> {
  /** The worker's CommonJS source: it answers each `{ id, task }` message with an Answer. */
  readonly source: string;
  readonly workerData: unknown;
  /** A task made on the calling thread: what a task in flight becomes when the worker is lost. */
  readonly here: (task: Task) => Promise<Result>;
  /** Called once, when the worker fails or exits before it was closed. */
  readonly onLost: (error: unknown) => void;
  /** The error a task's caller sees for one the worker reports; as reported by default. */
  readonly failure?: (error: Error & { code?: string }) => unknown;
}

/**
 * One worker thread answering tasks by id, for work that would otherwise hold the event loop. It holds the process open
 * only while tasks are in flight. Should it fail or exit, its tasks in flight are made on the calling thread (`here`).
 */
export class WorkerTasks<Task, Result> {
  private readonly pending = new Map<number, Pending<Task, Result>>();
  private nextId = 0;
  /** Once the worker has ended (closed, or lost): how a task is settled instead (`unanswered`, or `here`). */
  private ended?: (task: Task) => Promise<Result>;

  private constructor(
    private readonly worker: Worker,
    private readonly options: WorkerTasksOptions<Task, Result>,
  ) {
    worker.unref();
    worker.on('message', (answer: Answer<Result>) => this.answered(answer));
    worker.on('error', (error) => this.lost(error));
    worker.on('exit', (code) => this.lost(new Error(`the worker thread exited with code ${code}`)));
  }

  /** A started worker, or undefined (after `onLost`) when none can be made. */
  static start<Task, Result>(options: WorkerTasksOptions<Task, Result>): WorkerTasks<Task, Result> | undefined {
    try {
      return new WorkerTasks(new Worker(options.source, { eval: true, workerData: options.workerData }), options);
    } catch (error) {
      options.onLost(error);
      return undefined;
    }
  }

  /** Tasks in flight. */
  get size(): number {
    return this.pending.size;
  }

  /** The task's result; once the worker has ended, settled as the tasks it left were (made here, or refused). */
  run(task: Task, transfer?: readonly TransferListItem[]): Promise<Result> {
    if (this.ended) return this.ended(task);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { task, resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, task }, transfer);
    });
  }

  /** Stops the worker; each task in flight is settled by `unanswered` (made here, or refused). */
  async close(unanswered: (task: Task) => Promise<Result>): Promise<void> {
    this.ended = unanswered;
    await this.worker.terminate();
    this.settleAll(unanswered);
  }

  private answered({ id, result, error }: Answer<Result>): void {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
    if (!pending) return;
    if (!error) return pending.resolve(result as Result);
    const reported = Object.assign(new Error(error.message), { code: error.code });
    pending.reject(this.options.failure ? this.options.failure(reported) : reported);
  }

  private lost(error: unknown): void {
    if (this.ended) return;
    this.ended = this.options.here;
    this.options.onLost(error);
    this.settleAll(this.options.here);
  }

  private settleAll(settle: (task: Task) => Promise<Result>): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const { task, resolve, reject } of pending) settle(task).then(resolve, reject);
  }
}

import { WorkerTasks } from './worker-tasks';

/** A worker that doubles numbers, and exits when asked for a negative one. */
const DOUBLER = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ id, task }) => {
  if (task < 0) process.exit(3);
  parentPort.postMessage({ id, result: task * 2 });
});
`;

describe('WorkerTasks', () => {
  it('answers on its thread; once the thread is lost, the task in flight and every later one are made here', async () => {
    const madeHere: number[] = [];
    const lost: unknown[] = [];
    const tasks = WorkerTasks.start<number, number>({
      source: DOUBLER,
      workerData: undefined,
      here: async (task) => (madeHere.push(task), task * 2),
      onLost: (error) => lost.push(error),
    })!;
    expect(await tasks.run(2)).toBe(4);
    expect(madeHere).toEqual([]);

    expect(await tasks.run(-1)).toBe(-2);
    expect(await tasks.run(5)).toBe(10);
    expect(madeHere).toEqual([-1, 5]);
    expect(lost).toHaveLength(1);
    expect(String(lost[0])).toMatch(/exited with code 3/);
    await tasks.close(async () => 0);
  });

  it('settles a task asked for after close as close settled those in flight', async () => {
    const tasks = WorkerTasks.start<number, number>({
      source: DOUBLER,
      workerData: undefined,
      here: async (task) => task * 2,
      onLost: () => undefined,
    })!;
    await tasks.close(() => Promise.reject(new Error('closed')));
    await expect(tasks.run(1)).rejects.toThrow('closed');
  });
});

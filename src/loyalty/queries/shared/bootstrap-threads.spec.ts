import { BootstrapThreads } from './bootstrap-threads';
import { bootstrapMeans, mulberry32 } from './intervals';

/** As plain numbers: arrays made on a thread belong to another realm than jest's (same values, another constructor). */
const plain = (means: readonly Float64Array[]) => means.map((column) => Array.from(column));

function columns(n: number, seed: number): [Float64Array, Float64Array] {
  const random = mulberry32(seed);
  return [
    Float64Array.from({ length: n }, () => Math.floor(random() * 50_000)),
    Float64Array.from({ length: n }, () => (random() < 0.7 ? 1 : 0)),
  ];
}

describe('BootstrapThreads: bootstrap draws on worker threads', () => {
  let threads: BootstrapThreads;

  beforeEach(() => {
    threads = new BootstrapThreads(2);
  });
  afterEach(() => threads.close());

  it('draws exactly what the calling thread would, for many cells at once', async () => {
    const cells = [1, 2, 3, 4, 5].map((seed) => columns(2_000 + seed * 100, seed));
    const drawn = await Promise.all(cells.map((cell, n) => threads.draw(cell, 300, 40 + n)));
    drawn.forEach((means, n) => expect(plain(means)).toEqual(plain(bootstrapMeans(cells[n], 300, 40 + n))));
  });

  it('draws a large cell in stretches on both threads, and the stretches joined are the whole draw', async () => {
    const large = columns(2_003, 11); // 1,001 resamples × 2,003 customers: past the split, in stretches of 500 and 501
    const small = columns(300, 12);
    const [largeMeans, smallMeans] = await Promise.all([threads.draw(large, 1_001, 7), threads.draw(small, 1_001, 8)]);
    expect(plain(largeMeans)).toEqual(plain(bootstrapMeans(large, 1_001, 7)));
    expect(plain(smallMeans)).toEqual(plain(bootstrapMeans(small, 1_001, 8)));
  });

  it('leaves the caller its columns', async () => {
    const cell = columns(500, 9);
    await threads.draw(cell, 50, 1);
    expect(cell[0]).toHaveLength(500);
    expect(cell).toEqual(columns(500, 9));
  });

  it('makes the draws in flight on the calling thread when closed', async () => {
    const cells = [1, 2, 3].map((seed) => columns(20_000, seed));
    const drawing = cells.map((cell, n) => threads.draw(cell, 2_000, n));
    await threads.close();
    const drawn = await Promise.all(drawing);
    drawn.forEach((means, n) => expect(plain(means)).toEqual(plain(bootstrapMeans(cells[n], 2_000, n))));
  });
});

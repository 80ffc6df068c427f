import {
  bootstrapMeans,
  bootstrapMeansOf,
  imul,
  mulberry32,
  percentileInterval,
  poissonInterval,
  quantile,
  rateRatioInterval,
  streamSeed,
} from './intervals';

describe('mulberry32', () => {
  it('multiplies as Math.imul does', () => {
    const random = mulberry32(1);
    for (let i = 0; i < 1000; i += 1) {
      const a = Math.floor(random() * 2 ** 32) - (i % 2) * 2 ** 31;
      const b = Math.floor(random() * 2 ** 32);
      expect(imul(a, b)).toBe(Math.imul(a, b));
    }
    for (const [a, b] of [
      [0xffffffff, 5],
      [-1, -1],
      [0x80000000, 0x80000000],
      [0xffffffff, 0xffffffff],
      [-0x80000000, 3],
    ])
      expect(imul(a, b)).toBe(Math.imul(a, b));
  });

  it('is a pure function of its seed: the same seed, the same stream; uniform in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const draws = Array.from({ length: 10_000 }, () => a());
    expect(draws.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((sum, x) => sum + x, 0) / draws.length).toBeCloseTo(0.5, 1);
    expect(mulberry32(8)()).not.toBe(mulberry32(7)());
    expect(mulberry32(streamSeed(1, 'cohort:open'))()).not.toBe(mulberry32(streamSeed(1, 'cohort:recovered'))());
  });
});

describe('bootstrap', () => {
  it('takes quantiles between order statistics and leaves non-finite replicates out', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(percentileInterval([Number.NaN, Number.NaN])).toEqual({ low: null, high: null });
  });

  it('resamples every column with the same draw and gives the same means for the same seed', () => {
    const [x, twice] = bootstrapMeans(
      [
        [1, 2, 3, 4],
        [2, 4, 6, 8],
      ],
      50,
      3,
    );
    expect(Array.from(twice)).toEqual(Array.from(x, (mean) => mean * 2));
    const values = [1, 2, 3, 4];
    expect(Array.from(bootstrapMeans([values, [0, 0, 0, 0]], 50, 3)[0])).toEqual(Array.from(x));
  });

  it("draws mulberry32's stream from the seed, so an interval can be redrawn from the seed a report gives", () => {
    const random = mulberry32(3);
    const picks = Array.from({ length: 3 }, () => Array.from({ length: 5 }, () => Math.floor(random() * 5)));
    const indices = [0, 1, 2, 3, 4];
    const [means] = bootstrapMeans([indices, indices], 3, 3);
    expect(Array.from(means)).toEqual(picks.map((draw) => draw.reduce((sum, pick) => sum + pick, 0) / 5));
  });

  it('draws any stretch of the resamples on its own, so a draw split in parts gives the whole one, seeds near 2^32 and long columns too', () => {
    for (const [n, seed] of [
      [7, 3],
      [1_000, 0xfffffff0],
      [30_011, 2026],
    ]) {
      const random = mulberry32(n);
      const columns: [number[], number[]] = [
        Array.from({ length: n }, () => random() * 1000),
        Array.from({ length: n }, () => (random() < 0.6 ? 1 : 0)),
      ];
      const whole = bootstrapMeans(columns, 40, seed);
      const parts = [
        bootstrapMeansOf(columns, seed, 0, 13),
        bootstrapMeansOf(columns, seed, 13, 14),
        bootstrapMeansOf(columns, seed, 14, 40),
      ];
      for (const column of [0, 1]) expect(parts.flatMap((part) => Array.from(part[column]))).toEqual(Array.from(whole[column]));
    }
  });
});

describe('exact intervals for counts (checked against SciPy: chi2.ppf and beta.ppf)', () => {
  it.each([
    [0, 0, 3.688879],
    [1, 0.025318, 5.571643],
    [10, 4.795389, 18.390356],
    [500, 457.128577, 545.809269],
  ])('Poisson(%d): [%d, %d]', (k, low, high) => {
    const interval = poissonInterval(k);
    expect(interval.low).toBeCloseTo(low, 5);
    expect(interval.high).toBeCloseTo(high, 5);
  });

  it.each([
    [1, 1, 0.012739, 78.496835],
    [5, 20, 0.07332, 0.686447],
    [3, 0, 0.413231, null],
    [0, 4, 0, 1.514867],
  ])('rate ratio %d / %d: [%d, %s]', (after, before, low, high) => {
    const interval = rateRatioInterval(after, before);
    expect(interval.low).toBeCloseTo(low, 4);
    if (high === null) expect(interval.high).toBeNull();
    else expect(interval.high!).toBeCloseTo(high, 3);
    expect(rateRatioInterval(0, 0)).toEqual({ low: null, high: null });
  });
});

/**
 * Uncertainty for the analytics: a seeded PRNG, percentile-bootstrap intervals and exact Poisson
 * intervals. Pure functions: the same inputs and seed give the same intervals, on every machine.
 */

/** The confidence level of every interval the analytics report. */
export const CONFIDENCE_LEVEL = 0.95;
export const DEFAULT_RESAMPLES = 2000;
export const MAX_RESAMPLES = 20_000;
export const DEFAULT_SEED = 2026;
export const DEFAULT_MIN_COHORT = 30;

/**
 * Math.imul, written out: under jest's VM context a call to the builtin is not inlined and runs some 40 times slower,
 * which the bootstrap's million draws per report would feel. `b` is split in 16-bit halves, so each product stays
 * under 2^48 and is exact as a double; `| 0` takes it modulo 2^32. Two multiplications where the MDN polyfill has
 * three: the bootstrap's draws take a quarter less time.
 */
export function imul(a: number, b: number): number {
  return (a * (b & 0xffff) + (((a * (b >>> 16)) | 0) << 16)) | 0;
}

const MULBERRY32_STEP = 0x6d2b79f5;

/** mulberry32's draw at a state: a uniform double in [0, 1). */
function mulberry32Draw(state: number): number {
  let t = state;
  t = imul(t ^ (t >>> 15), t | 1);
  t ^= t + imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

/**
 * A tiny seeded PRNG (mulberry32): 32 bits of state, uniform doubles in [0, 1). Written here rather than
 * taken from npm because it is ten lines, has no dependencies, and its output is fixed by this code, not by
 * a package version that could change the stream (and so every reported interval) on an upgrade.
 * `Math.random` cannot be seeded, so it could not make an interval reproducible. Not for cryptography.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => mulberry32Draw((state = (state + MULBERRY32_STEP) >>> 0));
}

/** The seed of a stream of its own for each named quantity (FNV-1a of the name mixed into the seed), so one row's interval does not depend on which other rows exist. */
export function streamSeed(seed: number, name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i += 1) hash = imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return (hash ^ imul(seed >>> 0, 0x9e3779b1)) >>> 0;
}

/** A closed interval; `low` and `high` are null when there is nothing to bound. */
export interface Interval {
  low: number | null;
  high: number | null;
}

export const NO_INTERVAL: Interval = { low: null, high: null };

/** The `q`-quantile of sorted values, linear between order statistics (type 7, as R and NumPy default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** The central `level` percentile interval of replicate values (non-finite replicates, e.g. a ratio over 0, are left out). */
export function percentileInterval(replicates: ArrayLike<number>, level = CONFIDENCE_LEVEL): Interval {
  const finite = Float64Array.from(Array.prototype.filter.call(replicates, Number.isFinite) as number[]).sort();
  if (finite.length === 0) return NO_INTERVAL;
  const tail = (1 - level) / 2;
  return { low: quantile(finite, tail), high: quantile(finite, 1 - tail) };
}

/**
 * Means of `resamples` bootstrap resamples of two columns: rows drawn with replacement, the same draw for both, from
 * mulberry32(`seed`).
 */
export function bootstrapMeans(
  columns: readonly [ArrayLike<number>, ArrayLike<number>],
  resamples: number,
  seed: number,
): [Float64Array, Float64Array] {
  return bootstrapMeansOf(columns, seed, 0, resamples);
}

/**
 * Resamples `from` to `to` (not included) of `bootstrapMeans`'s: mulberry32's state moves by a constant step a draw, so
 * the state before resample `from` is the seed plus `from × n` steps, and a draw split in parts gives the whole's means.
 * The state is kept in a local rather than drawn through the closure, and the sums in locals: the report's tens of
 * millions of draws take half the time.
 */
export function bootstrapMeansOf(
  [x, y]: readonly [ArrayLike<number>, ArrayLike<number>],
  seed: number,
  from: number,
  to: number,
): [Float64Array, Float64Array] {
  const n = x.length;
  const resamples = Math.max(0, to - from);
  if (n === 0) return [new Float64Array(0), new Float64Array(0)];
  const xMeans = new Float64Array(resamples);
  const yMeans = new Float64Array(resamples);
  // from × n stays under 2^53 (MAX_RESAMPLES × any column), and >>> 0 takes it modulo 2^32 exactly.
  let state = ((seed >>> 0) + (imul((from * n) >>> 0, MULBERRY32_STEP) >>> 0)) >>> 0;
  for (let r = 0; r < resamples; r += 1) {
    let xSum = 0;
    let ySum = 0;
    for (let i = 0; i < n; i += 1) {
      state = (state + MULBERRY32_STEP) >>> 0;
      const pick = (mulberry32Draw(state) * n) | 0; // floor for n < 2³¹, without a builtin call in the hot loop
      xSum += x[pick];
      ySum += y[pick];
    }
    xMeans[r] = xSum / n;
    yMeans[r] = ySum / n;
  }
  return [xMeans, yMeans];
}

/** Bootstrap means of two columns (`bootstrapMeans`), wherever they are drawn (the service: BootstrapThreads). */
export type DrawBootstrap = (
  columns: readonly [Float64Array, Float64Array],
  resamples: number,
  seed: number,
) => Promise<[Float64Array, Float64Array]>;

/** The draws on the calling thread. */
export const drawHere: DrawBootstrap = async (columns, resamples, seed) => bootstrapMeans(columns, resamples, seed);

/** value / baseline − 1 replicate by replicate (same index = same resample of each side). */
export function liftReplicates(values: Float64Array, baseline: Float64Array): Float64Array {
  const lifts = new Float64Array(Math.min(values.length, baseline.length));
  for (let r = 0; r < lifts.length; r += 1) lifts[r] = baseline[r] === 0 ? Number.NaN : values[r] / baseline[r] - 1;
  return lifts;
}

// ── Exact intervals for counts ─────────────────────────────────────────────────────────────

/** log(0!), …, log(n!). */
function logFactorials(n: number): Float64Array {
  const table = new Float64Array(n + 1);
  for (let i = 2; i <= n; i += 1) table[i] = table[i - 1] + Math.log(i);
  return table;
}

/** P(X ≤ k) for X ~ Poisson(mean), summed in log space. */
function poissonCdf(k: number, mean: number): number {
  if (k < 0) return 0;
  if (mean === 0) return 1;
  let sum = 0;
  let logTerm = -mean; // log P(X = 0)
  for (let i = 0; i <= k; i += 1) {
    if (i > 0) logTerm += Math.log(mean) - Math.log(i);
    sum += Math.exp(logTerm);
  }
  return Math.min(1, sum);
}

/** P(X ≤ k) for X ~ Binomial(n, p). */
function binomialCdf(k: number, n: number, p: number, logFact: Float64Array): number {
  if (k < 0) return 0;
  if (p <= 0) return 1;
  if (p >= 1) return k >= n ? 1 : 0;
  let sum = 0;
  for (let i = 0; i <= k; i += 1) sum += Math.exp(logFact[n] - logFact[i] - logFact[n - i] + i * Math.log(p) + (n - i) * Math.log1p(-p));
  return Math.min(1, sum);
}

/** The x in [low, high] where the decreasing function f crosses target (bisection, 1e-10 relative). */
function solveDecreasing(f: (x: number) => number, target: number, low: number, high: number): number {
  for (let i = 0; i < 200 && high - low > 1e-10 * Math.max(1, high); i += 1) {
    const middle = (low + high) / 2;
    if (f(middle) > target) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/**
 * The exact (Garwood) interval for the mean of a Poisson count k: the means at which seeing ≥ k, resp.
 * ≤ k, has probability (1 − level) / 2. Solved by bisection on the Poisson CDF (no gamma quantiles needed).
 */
export function poissonInterval(k: number, level = CONFIDENCE_LEVEL): { low: number; high: number } {
  const tail = (1 - level) / 2;
  const ceiling = k + 20 * Math.sqrt(k + 1) + 20;
  // P(X ≥ k) = 1 − P(X ≤ k − 1) rises with the mean: the low end is where it reaches the tail.
  const low = k === 0 ? 0 : solveDecreasing((mean) => poissonCdf(k - 1, mean), 1 - tail, 0, ceiling);
  const high = solveDecreasing((mean) => poissonCdf(k, mean), tail, 0, ceiling);
  return { low, high };
}

/**
 * The exact interval for the ratio of two Poisson rates over equal exposures, after / before: given the
 * total n = a + b, a is Binomial(n, p) with p = ratio / (1 + ratio), so the Clopper–Pearson interval for p
 * maps onto the ratio. High is null (unbounded) when nothing was counted before; both null when nothing at all.
 */
export function rateRatioInterval(after: number, before: number, level = CONFIDENCE_LEVEL): Interval {
  const n = after + before;
  if (n === 0) return NO_INTERVAL;
  const tail = (1 - level) / 2;
  const logFact = logFactorials(n);
  const pLow = after === 0 ? 0 : solveDecreasing((p) => binomialCdf(after - 1, n, p, logFact), 1 - tail, 0, 1);
  const pHigh = after === n ? 1 : solveDecreasing((p) => binomialCdf(after, n, p, logFact), tail, 0, 1);
  return { low: pLow / (1 - pLow), high: pHigh >= 1 ? null : pHigh / (1 - pHigh) };
}

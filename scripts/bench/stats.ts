/** Small statistics shared by the benchmark parts: repetitions are summarised as min/median/max. */

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: round(sorted[0] ?? 0), median: round(sorted[Math.floor((sorted.length - 1) / 2)] ?? 0), max: round(sorted[sorted.length - 1] ?? 0) };
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function round(value: number, digits = 3): number {
  if (!Number.isFinite(value)) return value;
  const magnitude = Math.abs(value) >= 100 ? 0 : digits;
  const factor = 10 ** magnitude;
  return Math.round(value * factor) / factor;
}

/** Runs every variant once per repetition, interleaved (a, b, a, b, …), so drift on a shared machine hits both alike. */
export async function interleaved<K extends string>(
  repetitions: number,
  variants: Record<K, () => Promise<number>>,
): Promise<Record<K, number[]>> {
  const results = Object.fromEntries(Object.keys(variants).map((key) => [key, [] as number[]])) as Record<K, number[]>;
  for (let repetition = 0; repetition < repetitions; repetition++) {
    for (const key of Object.keys(variants) as K[]) results[key].push(await variants[key]());
  }
  return results;
}

/** The ratio of each repetition's figure to the baseline's in the same repetition. */
export function ratios(values: readonly number[], baseline: readonly number[]): Spread {
  return spread(values.map((value, index) => value / (baseline[index] || Number.NaN)));
}

export async function timed<T>(work: () => Promise<T> | T): Promise<{ seconds: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { seconds: (performance.now() - started) / 1000, value };
}

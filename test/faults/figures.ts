/**
 * What the fault suite measured, for the README's "what we tried" table: each fault spec records one row per
 * fault as test/faults/results/<key>.json (one file per row, so suites running in parallel never race), and
 * `npm run faults:report` renders the rows, in key order, between the README's markers.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RESULTS_DIR = join(__dirname, 'results');

export interface FaultFigure {
  /** The fault, as a reader would name it. */
  readonly fault: string;
  /** What Redress did, in words. */
  readonly outcome: string;
  /** The measured figures, as short "name: value" texts. */
  readonly figures: readonly string[];
  /** When it was measured, and on which Node.js. */
  readonly at?: string;
  readonly node?: string;
}

export function recordFigure(key: string, figure: FaultFigure, dir = RESULTS_DIR): void {
  if (!/^[a-z0-9-]+$/.test(key)) throw new Error(`A figure key is lower-case words joined by -, got "${key}"`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${key}.json`);
  writeFileSync(`${file}.tmp`, `${JSON.stringify({ ...figure, at: new Date().toISOString(), node: process.version }, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function readFigures(dir = RESULTS_DIR): Array<FaultFigure & { key: string }> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return files
    .sort()
    .map((name) => ({ key: name.slice(0, -'.json'.length), ...(JSON.parse(readFileSync(join(dir, name), 'utf8')) as FaultFigure) }));
}

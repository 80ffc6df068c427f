import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../..');

let compiled: string | undefined;

/**
 * The bench and the code it runs, compiled once per bench run (type-checking is the test suite's job), so that a child is
 * plain Node as the service runs. Under ts-node a child pays for what the service never does: its peak RSS includes the
 * TypeScript compiler (about 110 MB), and ts-node loads Node's `domain` module (through `repl`), which routes every
 * callback and event emitted through domain wrappers.
 */
export function compiledCopy(): string {
  if (compiled) return compiled;
  const outDir = mkdtempSync(join(tmpdir(), 'redress-bench-dist-'));
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--outDir', outDir, '--noCheck', '--sourceMap', 'false'], {
    cwd: REPO,
    stdio: 'inherit',
  });
  process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
  return (compiled = outDir);
}

/** A compiled bench script's environment: its imports resolve from the repository's node_modules. */
export const COMPILED_ENV = { NODE_PATH: join(REPO, 'node_modules') };

/** The service exactly as `npm start` runs it: dist/main.js, built first when a source is newer than it. */
export function builtService(): string {
  execFileSync(process.execPath, ['scripts/build-if-stale.js'], { cwd: REPO, stdio: 'inherit' });
  return join(REPO, 'dist/main.js');
}

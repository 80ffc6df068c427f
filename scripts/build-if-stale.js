#!/usr/bin/env node
// Builds dist/ only when a source is newer than it, so `npm start` and `npm run redress` start at once on a current
// build. Plain JavaScript: it must run before anything is compiled. Messages go to stderr (stdout may be a token).
'use strict';
const { readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const outputs = ['dist/main.js', 'dist/cli/main.js'].map((file) => join(root, file));
const inputs = ['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((file) => join(root, file));

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

const built = outputs.map(mtime);
const builtAt = built.includes(undefined) ? -Infinity : Math.min(...built);
const newest = Math.max(...[...inputs, ...sources(join(root, 'src'))].map((path) => mtime(path) ?? 0));
if (newest > builtAt || process.argv.includes('--force')) {
  process.stderr.write(built.includes(undefined) ? 'Building dist/\n' : 'Sources changed since the last build: rebuilding dist/\n');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  process.exit(tsc.status ?? 1);
}

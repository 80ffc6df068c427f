/**
 * `npm run faults:report`: renders the fault suite's last figures (test/faults/results/*.json, written by
 * `CI=true npx jest test/faults`) as the README's "What we tried" table, between its markers.
 *
 *   npm run faults:report              # rewrite README.md
 *   npm run faults:report -- --check   # exit 1 if README.md differs from what the results give
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFigures } from '../test/faults/figures';
import { renderFaultTable, replaceBetweenMarkers } from './faults-table';

const README = join(__dirname, '..', 'README.md');

function main(): void {
  const rows = readFigures();
  if (rows.length === 0) {
    process.stderr.write('No fault figures in test/faults/results/: run `CI=true npx jest test/faults` first.\n');
    process.exit(1);
  }
  const current = readFileSync(README, 'utf8');
  const next = replaceBetweenMarkers(current, renderFaultTable(rows));
  if (process.argv.includes('--check')) {
    if (next !== current) {
      process.stderr.write('README.md\'s "What we tried" table is not the last run\'s: run npm run faults:report.\n');
      process.exit(1);
    }
    return;
  }
  writeFileSync(README, next);
  process.stdout.write(`README.md: ${rows.length} fault rows written.\n`);
}

main();

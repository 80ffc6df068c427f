import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The source of every spec of a module (`src/<module>`): the cross-cutting ones in domain/ and each use case's under commands/. */
export function moduleSpecSources(moduleDir: string): string {
  const specsIn = (dir: string) =>
    readdirSync(dir)
      .filter((file) => file.endsWith('.spec.ts'))
      .map((file) => join(dir, file));
  const commands = join(moduleDir, 'commands');
  const useCases = readdirSync(commands, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(commands, entry.name));
  return [join(moduleDir, 'domain'), ...useCases]
    .flatMap(specsIn)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
}

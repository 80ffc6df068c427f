import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The rooms of the house, checked over every import statement in src/:
 * - core/ is the framework of the product and knows no domain: it imports nothing else of src/;
 * - kernel/ holds what every module shares (actor, money) and imports nothing else of src/;
 * - a domain (a module's domain/ folder and every use case's *.decide.ts) is pure: no framework, no I/O;
 * - a feature module reaches into another only through that module's public.ts, or its headless.ts (the same without
 *   its HTTP layer), and what a rebuild and the CLI load (headless.ts, the read models, the event schemas) loads no HTTP layer.
 */
const SRC = resolve(__dirname, '../../src');
const FEATURE_MODULES = ['complaints', 'customers', 'loyalty', 'audit', 'identity', 'privacy'];
const IMPURE_PACKAGES = /^(@nestjs\/|fastify|@fastify\/|kysely|pg$|better-sqlite3|@eventstore\/|node:(fs|net|http|child_process))/;
/** The HTTP layer: what a rebuild, the CLI and other headless work must not load (Nest's logger, @nestjs/common, is not it). */
const HTTP_PACKAGES = /^(fastify$|@nestjs\/(core|swagger|cqrs|platform-fastify|terminus)|@fastify\/|class-validator|class-transformer)/;

interface Import {
  readonly file: string;
  readonly specifier: string;
  /** `import type …`: erased from the JavaScript, so it loads nothing. */
  readonly typeOnly: boolean;
  /** The imported file relative to src/, for imports inside the project. */
  readonly target?: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

function importsOf(path: string): Import[] {
  const text = readFileSync(path, 'utf8');
  const file = relative(SRC, path);
  return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map(([statement, specifier]) => ({
    file,
    specifier: specifier,
    typeOnly: /^(?:import|export) type\s/.test(statement),
    target: specifier.startsWith('.') ? relative(SRC, resolve(dirname(path), specifier)) : undefined,
  }));
}

const imports = sourceFiles(SRC).flatMap(importsOf);

/** The files of src/ that loading `file` loads (static imports that are not type-only), `file` included. */
function loadedBy(file: string): Set<string> {
  const loaded = new Set<string>();
  const visit = (current: string) => {
    if (loaded.has(current)) return;
    loaded.add(current);
    for (const i of imports)
      if (i.file === current && !i.typeOnly && i.target !== undefined)
        visit(existsSync(join(SRC, `${i.target}.ts`)) ? `${i.target}.ts` : join(i.target, 'index.ts'));
  };
  visit(file);
  return loaded;
}
const room = (path: string) => path.split('/')[0];
const isDomain = (file: string) => /^[a-z-]+\/domain\//.test(file) || /\.decide(\.ts)?$/.test(file);
const describeImport = ({ file, specifier }: Import) => `${file} imports ${specifier}`;

describe('Dependency rules', () => {
  it('reads the imports of the whole source tree', () => {
    expect(imports.length).toBeGreaterThan(300);
  });

  it('core/ imports nothing from the rest of src/ (no domain word, no configuration)', () => {
    const broken = imports.filter((i) => room(i.file) === 'core' && i.target !== undefined && room(i.target) !== 'core');
    expect(broken.map(describeImport)).toEqual([]);
  });

  it('kernel/ imports nothing from the rest of src/', () => {
    const broken = imports.filter((i) => room(i.file) === 'kernel' && i.target !== undefined && room(i.target) !== 'kernel');
    expect(broken.map(describeImport)).toEqual([]);
  });

  it('domains are pure: no framework, no storage, no I/O, nothing of core but its pure parts', () => {
    const broken = imports.filter(
      (i) =>
        isDomain(i.file) &&
        (IMPURE_PACKAGES.test(i.specifier) ||
          (i.target !== undefined && /^core\/(http|event-store|read-store|projections|commands)\//.test(i.target)) ||
          (i.target !== undefined && !isDomain(i.target) && !/^(core|kernel)\//.test(i.target))),
    );
    expect(broken.map(describeImport)).toEqual([]);
  });

  it("a feature module reaches another only through that module's public.ts", () => {
    const broken = imports.filter((i) => {
      if (i.target === undefined) return false;
      const from = room(i.file);
      const to = room(i.target);
      return from !== to && FEATURE_MODULES.includes(to) && i.target !== `${to}/public` && i.target !== `${to}/headless`;
    });
    expect(broken.map(describeImport)).toEqual([]);
  });

  it('a rebuild and the CLI load no HTTP layer: the headless barrels, the read models, the event schemas, the CLI itself', () => {
    const roots = [...FEATURE_MODULES.map((module) => `${module}/headless.ts`), 'read-models.ts', 'event-schemas.ts', 'cli/main.ts'];
    const loaded = new Set(roots.flatMap((root) => [...loadedBy(root)]));
    expect(loaded.size).toBeGreaterThan(50);
    const broken = imports.filter((i) => loaded.has(i.file) && !i.typeOnly && HTTP_PACKAGES.test(i.specifier));
    expect(broken.map(describeImport)).toEqual([]);
  });
});

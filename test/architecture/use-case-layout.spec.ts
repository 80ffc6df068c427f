import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CASE_COMMAND_CONTROLLERS } from '../../src/complaints/complaints.module';
import { COMPLAINT_COMMAND_TYPES } from '../../src/complaints/domain/complaint.decider';
import { CUSTOMER_COMMAND_TYPES } from '../../src/customers/domain/customer.decider';

/**
 * ADR 0004: a use-case folder holds the use case. For every command the deciders dispatch, the folder
 * `commands/<kebab-name>/` holds its decision (declaring the command type), its spec, and — unless only
 * Redress's own processes issue it — its route, whose controller the module registers. A new command is
 * those three files plus one entry in the decider and one in the module.
 */
const SRC = resolve(__dirname, '../../src');
const SYSTEM_ONLY = new Set(['RecordDeadlineBreach']);
const kebab = (type: string) => type.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();

function touchPoints(module: string, type: string): string[] {
  const folder = `${module}/commands/${kebab(type)}`;
  const files = [`${folder}/${kebab(type)}.decide.ts`, `${folder}/${kebab(type)}.spec.ts`];
  return SYSTEM_ONLY.has(type) ? files : [...files, `${folder}/${kebab(type)}.http.ts`];
}

describe.each([
  ['complaints', COMPLAINT_COMMAND_TYPES],
  ['customers', CUSTOMER_COMMAND_TYPES],
] as const)('Use cases of %s', (module, types) => {
  it.each(types.map((type) => [type]))('%s has its decision, spec and route in its own folder', (type) => {
    const missing = touchPoints(module, type).filter((file) => !existsSync(join(SRC, file)));
    expect(missing).toEqual([]);
    const decision = readFileSync(join(SRC, touchPoints(module, type)[0]), 'utf8');
    expect(decision).toMatch(new RegExp(`export type ${type}\\b`));
  });
});

describe('Case command routes', () => {
  it('registers exactly one controller per routed complaint command, each from its own folder', async () => {
    const routed = COMPLAINT_COMMAND_TYPES.filter((type) => !SYSTEM_ONLY.has(type));
    const controllerFiles = await Promise.all(
      routed.map(async (type) => {
        const exports = (await import(join(SRC, `complaints/commands/${kebab(type)}/${kebab(type)}.http`))) as Record<string, unknown>;
        return Object.values(exports).find((value) => (CASE_COMMAND_CONTROLLERS as readonly unknown[]).includes(value));
      }),
    );
    expect(controllerFiles.filter((controller) => controller === undefined)).toEqual([]);
    expect(CASE_COMMAND_CONTROLLERS).toHaveLength(routed.length);
  });
});

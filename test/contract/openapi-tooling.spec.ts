import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const OPENAPI = join(ROOT, 'openapi.json');
const CLIENT_DIR = join(ROOT, 'test', 'openapi-client');
const GENERATED = join(ROOT, 'test', 'artifacts', 'openapi-client', 'redress-api.d.ts');
// The tools' own update notices and telemetry stay off: the check must not depend on the network.
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_UPDATE_NOTIFIER: '1' };

function node(script: string, args: string[]) {
  return run(process.execPath, [join(ROOT, 'node_modules', script), ...args], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * The committed openapi.json as the tools frontends use take it (openapi.e2e.spec.ts proves the
 * file is what the service serves): Redocly's recommended rules find no error in it, and a client
 * generated from it type-checks a whole case lifecycle and every read (test/openapi-client/lifecycle.ts).
 */
describe('openapi.json with the tools clients use', () => {
  it('passes Redocly lint with the recommended rules (redocly.yaml) without an error', async () => {
    const { stdout } = await node('@redocly/cli/bin/cli.js', ['lint', 'openapi.json', '--format=json']).catch((failed) => failed);
    const report = JSON.parse(stdout) as {
      totals: { errors: number };
      problems: Array<{ severity: string; ruleId: string; message: string }>;
    };
    const errors = report.problems.filter((problem) => problem.severity === 'error').map((p) => `${p.ruleId}: ${p.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 60_000);

  it('generates a typed client (openapi-typescript + openapi-fetch) that type-checks a case lifecycle and every read', async () => {
    mkdirSync(join(GENERATED, '..'), { recursive: true });
    // A field with a default may be left out of a request: the generator's default would make it required.
    await node('openapi-typescript/bin/cli.js', [OPENAPI, '--default-non-nullable', 'false', '-o', GENERATED]);
    const checked = await node('typescript/bin/tsc', ['-p', join(CLIENT_DIR, 'tsconfig.json')]).then(
      () => ({ errors: '' }),
      (failed: { stdout: string }) => ({ errors: failed.stdout }),
    );
    expect(checked).toEqual({ errors: '' });
  }, 120_000);
});

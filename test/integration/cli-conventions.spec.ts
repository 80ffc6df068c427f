import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { UpcastingEventStore } from '../../src/core/event-store/upcasting-event-store';
import { EVENT_UPCASTERS } from '../../src/event-schemas';
import { writeComplaintHistory } from '../support/complaint-history';
import { runCli } from '../support/run-cli';

const SUBCOMMANDS = [
  ['serve'],
  ['demo'],
  ['rebuild'],
  ['verify'],
  ['export'],
  ['import', 'purchases'],
  ['token'],
  ['projections', 'status'],
  ['audit', 'witness'],
  ['audit', 'prove'],
  ['audit', 'check-proof'],
];

/** The program in this process, its output captured: for help and usage, which run no command. */
async function runHere(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { writeOut: (text) => void (stdout += text), writeErr: (text) => void (stderr += text) });
  return { code, stdout, stderr };
}

/** The `redress` binary behaves as a conventional CLI: help and version, exit codes 0/1/2, --json for scripts. */
describe('redress, as a conventional command line', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'redress-cli-conventions-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('prints its version and its help, exit 0, as the binary', async () => {
    const [version, help] = await Promise.all([
      runCli(['--version'], {}),
      runCli(['verify', '--help'], { DATA_DIR: join(scratch, 'none') }),
    ]);
    expect(version).toMatchObject({
      code: 0,
      stdout: `${(JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version}\n`,
    });
    // verify --help verifies nothing: no data directory was opened (nor made).
    expect(help).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: redress verify \[options\] \[caseId\.\.\.\]/) });
    expect(help.stdout).not.toContain('stream(s) verified');
    expect(existsSync(join(scratch, 'none'))).toBe(false);
  }, 60_000);

  it('answers --help on every subcommand with its usage and exit 0, and lists them all with the exit codes', async () => {
    const top = await runHere(['--help']);
    expect(top.code).toBe(0);
    for (const [name] of SUBCOMMANDS) expect(top.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    expect(top.stdout).toMatch(/Exit codes: 0 ok; 1 a check failed .* 2 usage/s);
    for (const words of SUBCOMMANDS) {
      for (const flag of ['--help', '-h']) {
        const help = await runHere([...words, flag]);
        expect({ words, flag, code: help.code, usage: help.stdout.split('\n')[0] }).toEqual({
          words,
          flag,
          code: 0,
          usage: expect.stringMatching(new RegExp(`^Usage: redress ${words.join(' ')}\\b`)),
        });
      }
    }
  });

  it('exits 2 on usage errors, naming the problem on stderr and writing nothing on stdout', async () => {
    const cases: [string[], string][] = [
      [['no-such-command'], "unknown command 'no-such-command'"],
      [['verify', '--no-such-option'], "unknown option '--no-such-option'"],
      [['export'], "required option '--out <dir>' not specified"],
      [['demo', '--customers', 'many'], '--customers must be a whole number'],
      [['demo', '--group-by', 'colour'], 'Allowed choices are category'],
      [['token', '--sub', 'a'], "required option '--role <role>' not specified"],
      [['audit', 'check-proof'], "missing required argument 'file'"],
      [[], 'Usage: redress'],
    ];
    for (const [argv, message] of cases) {
      const result = await runHere(argv);
      expect({ argv, code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
        argv,
        code: 2,
        stdout: '',
        stderr: expect.stringContaining(message),
      });
    }
    // The binary itself exits with 2.
    expect(await runCli(['verify', '--no-such-option'], {})).toMatchObject({ code: 2, stdout: '' });
  }, 60_000);

  describe('--json over a data directory', () => {
    const dataDir = join(scratch, 'data');
    let caseIds: readonly string[];
    beforeAll(async () => {
      mkdirSync(dataDir, { recursive: true });
      const raw = new SqliteEventStore(join(dataDir, 'events.db'));
      const store = new UpcastingEventStore(raw, EVENT_UPCASTERS);
      try {
        caseIds = (await writeComplaintHistory(store, { cases: 3, idPrefix: 'json' })).caseIds;
      } finally {
        await store.close();
      }
    });

    it('rebuild, projections status and verify print one JSON document on stdout, progress with rate on stderr; a failed check exits 1', async () => {
      const rebuilt = await runCli(['rebuild', 'case-views', '--json'], { DATA_DIR: dataDir }, 120_000);
      expect(rebuilt.code).toBe(0);
      const head = (JSON.parse(rebuilt.stdout) as { rebuilt: { name: string; checkpoint: number }[] }).rebuilt;
      expect(head).toEqual([{ name: 'case-views', checkpoint: expect.any(Number) }]);
      expect(rebuilt.stderr).toMatch(/Rebuilding case-views: 100% \(\d+\/\d+\) \d+\/s, in \d+:\d\d/);

      // Four processes at once: each may take long to start on a busy machine.
      const slow = 150_000;
      const [status, table, verified, token] = await Promise.all([
        runCli(['projections', 'status', '--json'], { DATA_DIR: dataDir }, slow),
        runCli(['projections', 'status'], { DATA_DIR: dataDir }, slow),
        runCli(['verify', '--json', caseIds[0], 'no-such-case'], { DATA_DIR: dataDir }, slow),
        runCli(['token', '--sub', 'prometheus', '--role', 'monitor', '--ttl', '7d', '--json'], { DATA_DIR: dataDir }, slow),
      ]);
      expect(status.code).toBe(0);
      const statuses = JSON.parse(status.stdout) as { name: string; checkpoint: number; behind: number }[];
      expect(statuses.find((entry) => entry.name === 'case-views')).toMatchObject({ checkpoint: head[0].checkpoint, behind: 0 });
      expect(statuses.find((entry) => entry.name === 'loyalty-facts')).toMatchObject({ checkpoint: 0, behind: expect.any(Number) });
      expect(table.stdout).toMatch(/^case-views\s+\d+\s+0\s+up to date$/m);

      expect(verified.code).toBe(1);
      expect(JSON.parse(verified.stdout)).toEqual({
        verified: 2,
        broken: 1,
        streams: expect.arrayContaining([
          { stream: `complaint-${caseIds[0]}`, status: 'ok', revision: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
          { stream: 'complaint-no-such-case', status: 'missing' },
        ]),
      });

      expect(token.code).toBe(0);
      expect(JSON.parse(token.stdout)).toEqual({
        token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        sub: 'prometheus',
        role: 'monitor',
        ttl: '7d',
      });
    }, 300_000);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act, agent, readCase, receive } from '../support/case-scenarios';
import { startTestServer, type TestServer } from '../support/test-server';
import { expectProblem } from './e2e-helpers';

const ACME_1 = {
  version: 'acme@2026-01',
  effectiveFrom: '2020-01-01T00:00:00Z',
  categories: { returns: { refused: 'A return was refused', 'label-missing': 'No return label was sent' } },
};
/** The next version: `returns/refused` is split in two, so it is no longer a code an assessment may give. */
const ACME_2 = {
  version: 'acme@2026-02',
  effectiveFrom: '2021-01-01T00:00:00Z',
  categories: { returns: { 'refused-late': 'Refused as too late', 'refused-worn': 'Refused as worn', 'label-missing': 'No label' } },
};
const assessment = (causeCode: string) => ({
  category: causeCode.split('/')[0],
  severity: 'medium',
  justified: 'yes',
  rootCause: 'one-off',
  findings: 'Checked',
  causeCode,
});

describe("the firm's root-cause taxonomy from TAXONOMY_FILE, over HTTP", () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-taxonomy-'));
  const file = join(dir, 'taxonomy.json');
  let server: TestServer;
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves and checks against the firm's version; a case keeps the version it was assessed with after a newer one", async () => {
    writeFileSync(file, JSON.stringify([ACME_1]));
    server = await startTestServer({ env: { DEADLINE_CHECK_INTERVAL_MS: '86400000', TAXONOMY_FILE: file } });
    const taxonomy = (await server.get('/taxonomy', agent)).body;
    expect(taxonomy.current.version).toBe('acme@2026-01');
    expect(taxonomy.versions.map((v: { version: string }) => v.version)).toEqual(['taxonomy@2026-01', 'acme@2026-01']);

    const { caseId } = await receive(server, { customerId: 'cust-tax', channel: 'email', summary: 'Return refused' });
    const assessed = await act(server, caseId, 'assess', assessment('returns/refused'));
    expect((await readCase(server, caseId, assessed.position)).body).toMatchObject({
      causeCode: 'returns/refused',
      taxonomyVersion: 'acme@2026-01',
    });
    // The built-in version is no longer in force: its codes are refused.
    expect((await server.post(`/cases/${caseId}/assess`, assessment('delivery/late'), agent)).body.rule).toBe('cause-code-unknown');

    // The firm adds a version (never editing the one in force before) and restarts.
    writeFileSync(file, JSON.stringify([ACME_1, ACME_2]));
    server = await server.restart();
    expect((await server.get('/taxonomy', agent)).body.current.version).toBe('acme@2026-02');
    expect((await readCase(server, caseId, assessed.position)).body).toMatchObject({
      causeCode: 'returns/refused',
      taxonomyVersion: 'acme@2026-01',
    });
    const refused = await server.post(`/cases/${caseId}/assess`, assessment('returns/refused'), agent);
    expectProblem(refused, 409);
    expect(refused.body.rule).toBe('cause-code-unknown');
    const again = await act(server, caseId, 'assess', assessment('returns/refused-late'));
    expect((await readCase(server, caseId, again.position)).body.taxonomyVersion).toBe('acme@2026-02');
  });

  it.each<[string, string, RegExp]>([
    ['a file that is not there', join(dir, 'missing.json'), /TAXONOMY_FILE .*missing\.json: cannot be read \(ENOENT\)/],
    ['a file that is not JSON', 'not json', /TAXONOMY_FILE .*: is not JSON/],
    [
      'a category that is not a slug',
      JSON.stringify([{ ...ACME_1, categories: { Returns: { refused: 'x' } } }]),
      /category "Returns" must be a lower-case slug/,
    ],
  ])('refuses to start with %s, naming the file and the problem', async (_, content, message) => {
    const path = content.endsWith('.json') ? content : join(dir, 'bad.json');
    if (path !== content) writeFileSync(path, content);
    await expect(startTestServer({ env: { TAXONOMY_FILE: path } })).rejects.toThrow(message);
  });
});

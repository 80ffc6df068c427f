import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointProblem, consistencyHolds, eventLeafHash, inclusionHolds } from '../../src/audit/public';
import { runCli } from '../support/run-cli';
import { describeWithPostgres, postgresUrl, useTemporarySchemas } from '../support/postgres';
import { TestServer } from '../support/test-server';
import { agent, contact, openCase, succeed, withTestServer } from './e2e-helpers';

const auditor = { 'X-Actor-Id': 'auditor-1', 'X-Actor-Role': 'auditor' };

/** Waits until the service has signed a checkpoint of at least `size` leaves. */
async function checkpointOf(server: TestServer, size: number) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await server.request('GET', '/audit/checkpoints/latest', { anonymous: true });
    if (response.status === 200 && response.body.treeSize >= size) return response.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no checkpoint of ${size} leaves`);
}

describe('The ledger: RFC 9162 proofs and signed checkpoints', () => {
  const server = withTestServer({ env: { LEDGER_CHECKPOINT_EVERY: '1', LEDGER_CHECKPOINT_SECONDS: '1' } });
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'redress-witness-'));
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('signs checkpoints anyone can fetch and check, and proves inclusion and consistency to auditors', () => signsAndProves(server));

  it('witnesses: a first run keeps the checkpoint, a later one proves consistency and spot-checks events; prove and check-proof work offline', async () => {
    const token = await server.token({ sub: 'witness', role: 'auditor' });
    const state = join(work, 'witness.json');
    const env = { REDRESS_TOKEN: token };
    const firstRun = await runCli(['audit', 'witness', '--url', server.url, '--state', state], env);
    expect(firstRun.stderr).toBe('');
    expect(firstRun.code).toBe(0);
    const kept = JSON.parse(readFileSync(state, 'utf8'));
    const opened = await openCase(server);
    await checkpointOf(server, kept.checkpoint.treeSize + 1);
    const second = await runCli(['audit', 'witness', '--url', server.url, '--state', state, '--spot-check', '1000'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/consistent with the witnessed checkpoint/);
    expect(second.stdout).toMatch(/event\(s\) spot-checked/);

    const proofFile = join(work, 'case-proof.json');
    const prove = await runCli(['audit', 'prove', '--case', opened.caseId, '--url', server.url, '--out', proofFile], env);
    expect(prove.stderr).toBe('');
    expect(prove.code).toBe(0);
    const check = await runCli(['audit', 'check-proof', proofFile], {});
    expect(check.stdout).toMatch(/1 event\(s\) of case .* verified/);
    expect(check.code).toBe(0);

    const forged = JSON.parse(readFileSync(proofFile, 'utf8'));
    forged.events[0].record.data.channel = 'phone';
    writeFileSync(proofFile, JSON.stringify(forged));
    const refused = await runCli(['audit', 'check-proof', proofFile], {});
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/does not hash to its recorded hash/);

    // A witness holding another key refuses the service's checkpoints.
    const otherKey = { ...kept.publicKey, x: Buffer.alloc(32, 7).toString('base64url') };
    writeFileSync(join(work, 'other.jwk'), JSON.stringify(otherKey));
    const wrongKey = await runCli(
      ['audit', 'witness', '--url', server.url, '--state', state, '--public-key', join(work, 'other.jwk')],
      env,
    );
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/another key/);
  }, 120_000);
});

/** Checkpoints anyone can check, inclusion and consistency proofs for auditors, and the problems of bad requests. */
async function signsAndProves(server: TestServer): Promise<void> {
  const opened = await openCase(server);
  await succeed(server, opened.caseId, 'log-contact', contact('called back'));
  const first = await checkpointOf(server, 2);
  const key = await server.request('GET', '/audit/public-key', { anonymous: true });
  expect(key.status).toBe(200);
  expect(key.body).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: first.keyId });
  expect(checkpointProblem(first, key.body)).toBeUndefined();
  expect(checkpointProblem({ ...first, treeSize: first.treeSize + 1 }, key.body)).toMatch(/signature does not verify/);

  const stream = `complaint-${opened.caseId}`;
  const proof = await server.get(`/audit/proofs/inclusion?stream=${stream}&revision=1&treeSize=${first.treeSize}`, auditor);
  expect(proof.status).toBe(200);
  expect(proof.body.leaf).toMatchObject({ stream, revision: 1 });
  expect(eventLeafHash(proof.body.leaf).toString('hex')).toBe(proof.body.leafHash);
  expect(inclusionHolds(proof.body.leafHash, proof.body.leafIndex, first, proof.body.auditPath)).toBe(true);

  for (let i = 0; i < 5; i++) await openCase(server, { customerId: `cust-${i}`, channel: 'email', summary: `Complaint ${i}` });
  const later = await checkpointOf(server, first.treeSize + 5);
  const consistency = await server.get(`/audit/proofs/consistency?from=${first.treeSize}&to=${later.treeSize}`, auditor);
  expect(consistency.status).toBe(200);
  expect(consistencyHolds(first, later, consistency.body.path)).toBe(true);

  const page = await server.request('GET', '/audit/checkpoints?limit=1', { anonymous: true });
  expect(page.body.items).toHaveLength(1);
  expect(page.body.next).toBe(page.body.items[0].treeSize);
  expect(page.headers.get('link')).toBe(`</audit/checkpoints?limit=1&after=${page.body.next}>; rel="next"`);
  const rest = await server.request('GET', `/audit/checkpoints?after=${page.body.next}`, { anonymous: true });
  expect(rest.body.items.at(-1)).toEqual(later);
  expect(rest.headers.get('link')).toBeNull();

  expect((await server.get('/audit/proofs/consistency?from=1&to=2', agent)).status).toBe(403);
  expect((await server.get('/audit/proofs/consistency?from=0&to=2', auditor)).status).toBe(400);
  expect((await server.get(`/audit/proofs/inclusion?leafIndex=0&treeSize=${later.treeSize + 1000}`, auditor)).status).toBe(400);
}

describeWithPostgres('The ledger on the PostgreSQL read store', () => {
  const schema = useTemporarySchemas();
  const server = withTestServer(() => ({
    env: { LEDGER_CHECKPOINT_EVERY: '1', LEDGER_CHECKPOINT_SECONDS: '1', READ_STORE_URL: postgresUrl(), READ_STORE_SCHEMA: schema() },
  }));

  it('signs checkpoints and proves inclusion and consistency as on SQLite', () => signsAndProves(server));
});

import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseKeyText } from '../../src/config/app-config';
import { PersonalDataKeys } from '../../src/privacy/key-store';
import { runCli } from '../support/run-cli';
import { startTestServer, TestServer } from '../support/test-server';
import { agent, CommandBody, customer, succeed, validAssessment } from './e2e-helpers';

/**
 * No key material ever leaves the key store: neither the master key nor any customer's data key (raw or
 * wrapped) appears, in any encoding, in an HTTP answer (body or headers), a log line of the service at its
 * most verbose, or the CLI's export and output.
 */
describe('personal-data keys never appear in answers, logs or exports', () => {
  let server: TestServer;
  const logs: string[] = [];
  const answers: string[] = [];
  const restore: Array<() => void> = [];
  const outDir = mkdtempSync(join(tmpdir(), 'redress-keys-export-'));

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
        logs.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      };
      restore.push(() => {
        stream.write = write;
      });
    }
    const fetchOriginal = globalThis.fetch;
    globalThis.fetch = async (...args: Parameters<typeof fetch>) => {
      const response = await fetchOriginal(...args);
      answers.push(`${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n\n${await response.clone().text()}`);
      return response;
    };
    restore.push(() => {
      globalThis.fetch = fetchOriginal;
    });
    server = await startTestServer({ env: { LOG_LEVEL: 'verbose' } });
  });
  afterAll(async () => {
    await server.close();
    for (const undo of restore.reverse()) undo();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('holds for a customer from receipt to erasure and beyond', async () => {
    const opened = await server.post<CommandBody>(
      '/cases',
      {
        customerId: 'keys-1',
        channel: 'email',
        summary: 'The lamp flickers',
        contact: { name: 'Ada', email: 'ada@example.com', phone: '+44 20 7946 0000' },
      },
      agent,
    );
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId;
    await succeed(server, caseId, 'log-contact', { direction: 'inbound', channel: 'phone', summary: 'Called about the lamp' });
    await succeed(server, caseId, 'assess', validAssessment);
    await succeed(server, caseId, 'resolve', { resolution: 'New lamp', outcome: 'upheld' });
    const last = await succeed(server, caseId, 'follow-up', { satisfied: true, csat: 5, comment: 'Lovely' }, customer);
    expect(
      (await server.post('/cases', { customerId: 'keys-2', channel: 'email', summary: 'x', contact: { email: 'not-an-email' } }, agent))
        .status,
    ).toBe(400);

    // The key material, read the way an intruder with the files and the master key would.
    const masterKey = parseKeyText(readFileSync(join(server.dataDir, 'master-key'), 'utf8').trim())!;
    const keys = new PersonalDataKeys(join(server.dataDir, 'keys.db'), masterKey);
    const lookup = keys.lookup('keys-1', 1);
    keys.close();
    expect(lookup.state).toBe('live');
    const db = new Database(join(server.dataDir, 'keys.db'), { readonly: true });
    const wrapped = (db.prepare('SELECT wrapped_key FROM data_keys').all() as Array<{ wrapped_key: Buffer }>).map((row) => row.wrapped_key);
    db.close();
    expect(wrapped).toHaveLength(1);
    const material = [masterKey.bytes(), (lookup as { key: Buffer }).key, ...wrapped];

    const read = async () => {
      const min = `minPosition=${last.body.position}`;
      for (const path of [`/cases/${caseId}?${min}`, `/cases?customerId=keys-1&${min}`, '/customers/keys-1', `/cases/${caseId}/events`])
        expect((await server.get(path)).status).toBe(200);
      const ndjson = await fetch(`${server.url}/cases/${caseId}/history?format=ndjson`, {
        headers: await server.authorization({ role: 'auditor' }),
      });
      expect(ndjson.status).toBe(200);
      for (const path of [`/cases/${caseId}/history`, `/cases/${caseId}/state?atRevision=1`, `/cases/${caseId}/verify`]) {
        expect((await server.get(path, { 'X-Actor-Id': 'auditor-1', 'X-Actor-Role': 'auditor' })).status).toBe(200);
      }
      expect(
        (
          await server.get('/analytics/loyalty-outcomes?from=2025-01-01&to=2030-01-01', {
            'X-Actor-Id': 'analyst-1',
            'X-Actor-Role': 'analyst',
          })
        ).status,
      ).toBe(200);
      expect((await server.get('/projections', { 'X-Actor-Id': 'admin-1', 'X-Actor-Role': 'admin' })).status).toBe(200);
    };
    await read();
    const exported = await runCli(['export', '--out', outDir], {
      DATA_DIR: server.dataDir,
      LOG_LEVEL: 'verbose',
      ...(server.eventStoreUrl ? { EVENTSTORE_URL: server.eventStoreUrl } : {}),
    });
    expect(exported.code).toBe(0);
    const admin = { 'X-Actor-Id': 'admin-1', 'X-Actor-Role': 'admin' };
    for (let attempt = 0; attempt < 2; attempt++)
      expect((await server.request('DELETE', '/customers/keys-1/personal-data', { headers: admin })).status).toBe(200);
    expect((await server.request('DELETE', '/customers/nobody/personal-data', { headers: admin })).status).toBe(404);
    await read();
    expect((await server.get(`/cases/${caseId}`)).body.summary).toBe('[erased]');

    const exports = readdirSync(outDir).map((name) => readFileSync(join(outDir, name), 'utf8'));
    expect(exports.join('')).toContain('The lamp flickers');
    const texts = [...answers, ...logs, exported.stdout, exported.stderr, ...exports];
    expect(answers.length).toBeGreaterThan(20);
    expect(logs.join('')).toMatch(/Made a master key for personal data in .*master-key/);
    const leaks = material.flatMap((bytes, index) => [
      ...texts.filter((text) => text.toLowerCase().includes(bytes.toString('hex'))).map(() => `material ${index} in hex`),
      ...(['base64', 'base64url'] as const).flatMap((encoding) =>
        texts.filter((text) => text.includes(bytes.toString(encoding).replace(/=+$/, ''))).map(() => `material ${index} in ${encoding}`),
      ),
    ]);
    expect(leaks).toEqual([]);
  }, 120_000);
});

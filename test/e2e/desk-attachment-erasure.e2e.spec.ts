import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { receive } from '../support/case-scenarios';
import { describeWithPostgres, postgresUrl, useTemporarySchemas } from '../support/postgres';
import { eventsOf, withTestServer } from './e2e-helpers';

const ADMIN = { 'X-Actor-Id': 'admin-1', 'X-Actor-Role': 'admin' };
const AUDITOR = { 'X-Actor-Id': 'auditor-1', 'X-Actor-Role': 'auditor' };
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(600, 9)]);
const SHARED = Buffer.from('The courier left the parcel in the rain: a note both customers sent.\n');
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Erasure removes the customer's attachment files (content-addressed under DATA_DIR) unless the same bytes are attached
 * for a customer not erased; the events keep size, type and SHA-256 (the chain verifies), and the download answers 410.
 */
function attachmentErasureOver(env: () => Record<string, string>): void {
  let auth: Record<string, string>;
  const server = withTestServer(() => ({ env: { DEADLINE_CHECK_INTERVAL_MS: '86400000', ...env() } }));
  beforeAll(async () => {
    auth = await server.authorization({ sub: 'agent-7', role: 'agent' });
  });

  const stored = (bytes: Buffer) => existsSync(join(server.dataDir, 'attachments', sha(bytes).slice(0, 2), sha(bytes)));
  const upload = async (caseId: string, bytes: Buffer, name: string) => {
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    const response = await fetch(`${server.url}/cases/${caseId}/attachments`, { method: 'POST', headers: auth, body: form });
    expect(response.status).toBe(200);
    return (await response.json()) as { attachmentId: string; position: number };
  };
  const download = (caseId: string, attachmentId: string) =>
    fetch(`${server.url}/cases/${caseId}/attachments/${attachmentId}`, { headers: auth });
  const erase = async (customerId: string) => {
    const response = await server.request('DELETE', `/customers/${customerId}/personal-data`, { headers: ADMIN });
    expect({ status: response.status, body: response.body }).toMatchObject({ status: 200 });
  };

  it("removes the erased customer's files but not bytes another customer's case still holds; downloads answer 410", async () => {
    const erased = (await receive(server, { customerId: 'cust-ae1', channel: 'email', summary: 'Wet parcel' })).caseId;
    const kept = (await receive(server, { customerId: 'cust-ae2', channel: 'email', summary: 'Wet parcel too' })).caseId;
    const photo = await upload(erased, PNG, 'Quasthoff kitchen.png');
    const note = await upload(erased, SHARED, 'note.txt');
    const theirs = await upload(kept, SHARED, 'my note.txt');
    expect([stored(PNG), stored(SHARED)]).toEqual([true, true]);

    await erase('cust-ae1');
    expect(stored(PNG)).toBe(false);
    expect(stored(SHARED)).toBe(true);

    for (const attachmentId of [photo.attachmentId, note.attachmentId]) {
      const gone = await download(erased, attachmentId);
      expect(gone.status).toBe(410);
      expect(gone.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await gone.json()).toMatchObject({ status: 410, type: expect.stringMatching(/attachment-erased$/) });
    }
    const still = await download(kept, theirs.attachmentId);
    expect(still.status).toBe(200);
    expect(Buffer.from(await still.arrayBuffer())).toEqual(SHARED);

    // The history keeps what the audit chain covers: the name is personal data (sealed, now erased), the rest stays.
    const added = (await eventsOf(server, erased)).filter((event) => event.type === 'AttachmentAdded');
    expect(added.map((event) => event.data)).toEqual([
      expect.objectContaining({ name: '[erased]', size: PNG.length, contentType: 'image/png', sha256: sha(PNG) }),
      expect.objectContaining({ name: '[erased]', size: SHARED.length, contentType: 'text/plain', sha256: sha(SHARED) }),
    ]);
    expect((await server.get(`/cases/${erased}/verify`, AUDITOR)).body).toMatchObject({ valid: true });

    // Asking again answers the same and removes nothing more; erasing the other customer takes the shared bytes.
    await erase('cust-ae1');
    expect(stored(SHARED)).toBe(true);
    await erase('cust-ae2');
    expect(stored(SHARED)).toBe(false);
    expect((await download(kept, theirs.attachmentId)).status).toBe(410);
  });

  it('serves bytes uploaded again for a live customer after an erasure, but never on the erased case', async () => {
    const bytes = Buffer.from('A receipt both customers happen to hold.\n');
    const first = (await receive(server, { customerId: 'cust-ae3', channel: 'email', summary: 'Receipt' })).caseId;
    const before = await upload(first, bytes, 'receipt.txt');
    await erase('cust-ae3');
    expect(stored(bytes)).toBe(false);
    const second = (await receive(server, { customerId: 'cust-ae4', channel: 'email', summary: 'Receipt again' })).caseId;
    const after = await upload(second, bytes, 'receipt.txt');
    expect(stored(bytes)).toBe(true);
    expect((await download(second, after.attachmentId)).status).toBe(200);
    expect((await download(first, before.attachmentId)).status).toBe(410);
  });
}

describe('erasure and attachments over HTTP (SQLite read store)', () => {
  attachmentErasureOver(() => ({}));
});

describeWithPostgres('erasure and attachments over HTTP (PostgreSQL read store)', () => {
  const schema = useTemporarySchemas();
  const chosen = schema();
  attachmentErasureOver(() => ({ READ_STORE_URL: postgresUrl(), READ_STORE_SCHEMA: chosen }));
});

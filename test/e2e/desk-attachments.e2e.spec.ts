import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCase, receive } from '../support/case-scenarios';
import { storedFiles } from '../support/attachment-store';
import { eventsOf, withTestServer } from './e2e-helpers';

const LIMIT = 4096;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(600, 7)]);
interface Uploaded {
  caseId: string;
  attachmentId: string;
  sha256: string;
  position: number;
}
const uploaded = (response: Response) => response.json() as Promise<Uploaded>;
const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

describe('attachments: streamed multipart uploads, content-addressed, sniffed, limited, hash-checked on download', () => {
  let caseId: string;
  let auth: Record<string, string>;
  const server = withTestServer({ env: { DEADLINE_CHECK_INTERVAL_MS: '86400000', ATTACHMENT_MAX_BYTES: String(LIMIT) } });
  beforeAll(async () => {
    caseId = (await receive(server, { customerId: 'cust-att', channel: 'email', summary: 'Broken lamp' })).caseId;
    auth = await server.authorization({ sub: 'agent-7', role: 'agent' });
  });

  const upload = (bytes: Buffer, name: string, type: string, target = caseId) => {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), name);
    return fetch(`${server.url}/cases/${target}/attachments`, { method: 'POST', headers: auth, body: form });
  };
  const download = (attachmentId: string) => fetch(`${server.url}/cases/${caseId}/attachments/${attachmentId}`, { headers: auth });

  it('stores a PNG under its hash, records name, size, type and SHA-256 with the actor, and serves the same bytes', async () => {
    const response = await upload(PNG, 'photo of lamp.png', 'image/png');
    expect(response.status).toBe(200);
    const body = await uploaded(response);
    expect(body).toMatchObject({ caseId, attachmentId: expect.any(String), sha256: sha(PNG) });
    const view = (await readCase(server, caseId, body.position)).body;
    expect(view.attachments).toEqual([
      {
        attachmentId: body.attachmentId,
        name: 'photo of lamp.png',
        size: PNG.length,
        contentType: 'image/png',
        sha256: sha(PNG),
        at: expect.any(String),
        by: { id: 'agent-7', role: 'agent' },
      },
    ]);
    const event = (await eventsOf(server, caseId)).find((e) => e.type === 'AttachmentAdded')!;
    expect(event.data).toMatchObject({ size: PNG.length, contentType: 'image/png', sha256: sha(PNG) });
    expect(storedFiles(server.dataDir)).toEqual([join(server.dataDir, 'attachments', sha(PNG).slice(0, 2), sha(PNG))]);

    const got = await download(body.attachmentId);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('x-content-sha256')).toBe(sha(PNG));
    expect(Buffer.from(await got.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('judges the type by the bytes: a PDF named .txt is a PDF, and text is text', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% not really\n');
    const asPdf = await uploaded(await upload(pdf, 'notes.txt', 'text/plain'));
    expect((await download(asPdf.attachmentId)).headers.get('content-type')).toBe('application/pdf');
    const text = await uploaded(await upload(Buffer.from('Receipt: £12.99, paid 3 March\n'), 'receipt.txt', 'application/octet-stream'));
    expect((await download(text.attachmentId)).headers.get('content-type')).toMatch(/^text\/plain/);
  });

  describe('bad uploads get a clear problem and leave nothing behind', () => {
    let before: string[];
    beforeEach(() => {
      before = storedFiles(server.dataDir);
    });
    afterEach(() => {
      expect(storedFiles(server.dataDir)).toEqual(before);
    });

    it('413 for a file over ATTACHMENT_MAX_BYTES', async () => {
      const response = await upload(Buffer.alloc(LIMIT + 1, 0x41), 'big.txt', 'text/plain');
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({
        type: expect.stringMatching(/\/problems\/attachment-too-large$/),
        detail: expect.stringContaining(String(LIMIT)),
      });
    });

    it('415 for a type not allowed, whatever it claims to be', async () => {
      const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 0)]);
      const response = await upload(zip, 'photo.png', 'image/png');
      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({ type: expect.stringMatching(/\/problems\/attachment-type-not-allowed$/) });
    });

    it('400 for a truncated multipart body', async () => {
      const boundary = 'x-redress-boundary';
      const partial = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.txt"\r\nContent-Type: text/plain\r\n\r\nThis body stops befo`;
      const response = await fetch(`${server.url}/cases/${caseId}/attachments`, {
        method: 'POST',
        headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: partial,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ type: expect.stringMatching(/\/problems\/upload-incomplete$/) });
    });

    it('404 for an unknown case, and 415 for multipart sent to any other route', async () => {
      expect((await upload(PNG.subarray(0, 100), 'x.png', 'image/png', 'no-such-case')).status).toBe(404);
      const form = new FormData();
      form.append('file', new Blob([PNG]), 'x.png');
      const elsewhere = await fetch(`${server.url}/cases/${caseId}/notes`, { method: 'POST', headers: auth, body: form });
      expect(elsewhere.status).toBe(415);
    });
  });

  it('refuses to serve bytes that no longer match the recorded hash', async () => {
    const text = Buffer.from('Original evidence\n');
    const { attachmentId } = await uploaded(await upload(text, 'evidence.txt', 'text/plain'));
    writeFileSync(join(server.dataDir, 'attachments', sha(text).slice(0, 2), sha(text)), 'Tampered evidence\n');
    const response = await download(attachmentId);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ type: expect.stringMatching(/\/problems\/attachment-altered$/) });
    expect((await fetch(`${server.url}/cases/${caseId}/attachments/no-such`, { headers: auth })).status).toBe(404);
  });
});

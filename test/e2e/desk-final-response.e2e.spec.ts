import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { act, agent, readCase, receive } from '../support/case-scenarios';
import type { TestServer } from '../support/test-server';
import { eventsOf, expectProblem, withTestServer } from './e2e-helpers';

const ADMIN = { 'X-Actor-Id': 'admin-1', 'X-Actor-Role': 'admin' };
const assessment = { category: 'delivery', severity: 'high', justified: 'yes', rootCause: 'one-off', findings: 'Courier' };

/** The text of a PDF, extracted by pdfjs-dist (an ES module, so in a plain Node process rather than inside Jest). */
function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'redress-pdf-'));
  try {
    const file = join(dir, 'letter.pdf');
    writeFileSync(file, pdf);
    const script = `
      const pdfjs = await import(${JSON.stringify(resolve('node_modules/pdfjs-dist/legacy/build/pdf.mjs'))});
      const data = new Uint8Array((await import('node:fs')).readFileSync(process.argv[1]));
      const doc = await pdfjs.getDocument({ data, disableFontFace: true, standardFontDataUrl: ${JSON.stringify(resolve('node_modules/pdfjs-dist/standard_fonts') + '/')} }).promise;
      let text = '';
      for (let page = 1; page <= doc.numPages; page++) {
        const content = await (await doc.getPage(page)).getTextContent();
        text += content.items.map((item) => item.str + (item.hasEOL ? '\\n' : '')).join('');
      }
      process.stdout.write(text);`;
    return execFileSync(process.execPath, ['--input-type=module', '-e', script, file], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function letter(server: TestServer, caseId: string, accept: string): Promise<Response> {
  return fetch(`${server.url}/cases/${caseId}/final-response`, {
    headers: { ...(await server.authorization({ sub: 'agent-7', role: 'agent' })), accept },
  });
}

describe('final-response letters: rendered per regime, recorded with their hash, served as text and PDF', () => {
  const server = withTestServer({ env: { DEADLINE_CHECK_INTERVAL_MS: '86400000' } });

  it('FCA: the letter meets the final-response deadline and carries the ombudsman rights, in text and in the PDF', async () => {
    const { caseId } = await receive(server, {
      customerId: 'cust-fr',
      channel: 'email',
      summary: 'Lamp arrived broken',
      regime: 'FCA',
      contact: { name: 'Ada Lovelace' },
    });
    await act(server, caseId, 'assess', assessment);
    await act(server, caseId, 'apologize', { channel: 'email', message: 'We are sorry we let you down.' });
    await act(server, caseId, 'notes', { text: 'INTERNAL do not send' });
    const sent = await server.post(`/cases/${caseId}/final-response`, { outcome: 'upheld' }, agent);
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({
      caseId,
      templateVersion: 'final-response/FCA@2026-01',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const view = (await readCase(server, caseId, sent.body.position)).body;
    const finalResponse = view.deadlines.find((d: { kind: string }) => d.kind === 'final-response');
    expect(finalResponse).toMatchObject({ status: 'met' });
    expect(view.finalResponse).toMatchObject({
      templateVersion: 'final-response/FCA@2026-01',
      outcome: 'upheld',
      sha256: sent.body.sha256,
    });
    const recorded = (await eventsOf(server, caseId)).find((event) => event.type === 'FinalResponseIssued')!;
    expect(recorded.data['by']).toEqual({ id: 'agent-7', role: 'agent' });

    const text = await letter(server, caseId, 'text/plain');
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    const body = await text.text();
    expect(createHash('sha256').update(body).digest('hex')).toBe(sent.body.sha256);
    expect(text.headers.get('x-content-sha256')).toBe(sent.body.sha256);
    expect(body).toContain('Dear Ada Lovelace');
    expect(body).toContain('Financial Ombudsman Service');
    expect(body).toContain('within six months of the date of this final response');
    expect(body).not.toContain('INTERNAL');

    const pdf = await letter(server, caseId, 'application/pdf');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const extracted = pdfText(bytes).replace(/\s+/g, ' ');
    expect(extracted).toContain('Dear Ada Lovelace');
    expect(extracted).toContain('Financial Ombudsman Service');
    expect(extracted).toContain('within six months of the date of this final response');
  }, 30_000);

  it('ASIC and CFPB letters carry their own mandatory wording', async () => {
    for (const [regime, words] of [
      ['ASIC', 'Australian Financial Complaints Authority'],
      ['CFPB', 'company response'],
    ] as const) {
      const { caseId } = await receive(server, { customerId: `cust-${regime}`, channel: 'email', summary: 'Late', regime });
      await act(server, caseId, 'assess', assessment);
      await act(server, caseId, 'resolve', { resolution: 'Refunded', outcome: 'partially-upheld' });
      expect((await server.post(`/cases/${caseId}/final-response`, {}, agent)).status).toBe(200);
      const body = await (await letter(server, caseId, 'text/plain')).text();
      expect(body).toContain(words);
      expect(body).toContain('we uphold your complaint in part');
    }
  });

  it('refuses a letter before assessment, answers 404 before one is sent, and 410 once the customer is erased', async () => {
    const { caseId } = await receive(server, { customerId: 'cust-fr-erase', channel: 'email', summary: 'x', regime: 'FCA' });
    const early = await server.post(`/cases/${caseId}/final-response`, { outcome: 'rejected' }, agent);
    expectProblem(early, 409);
    expect(early.body.rule).toBe('final-response-needs-assessment');
    expect((await letter(server, caseId, 'text/plain')).status).toBe(404);
    await act(server, caseId, 'assess', assessment);
    expect((await server.post(`/cases/${caseId}/final-response`, {}, agent)).body.rule).toBe('final-response-needs-outcome');
    expect((await server.post(`/cases/${caseId}/final-response`, { outcome: 'rejected' }, agent)).status).toBe(200);
    expect((await server.request('DELETE', '/customers/cust-fr-erase/personal-data', { headers: ADMIN })).status).toBe(200);
    expect((await letter(server, caseId, 'text/plain')).status).toBe(410);
  });
});

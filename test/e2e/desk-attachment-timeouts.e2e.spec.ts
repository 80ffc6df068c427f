import { request as httpRequest, type IncomingMessage } from 'node:http';
import { receive } from '../support/case-scenarios';
import { storedFiles } from '../support/attachment-store';
import { withTestServer } from './e2e-helpers';

const IDLE_MS = 400;
const TOTAL_MS = 1500;
const BOUNDARY = 'redress-upload-boundary';
const PREAMBLE = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="slow.txt"\r\nContent-Type: text/plain\r\n\r\n`;

describe('an upload that stalls or drags is answered 408 and leaves nothing behind', () => {
  let caseId: string;
  let auth: Record<string, string>;
  const server = withTestServer({
    env: { DEADLINE_CHECK_INTERVAL_MS: '86400000', STREAM_IDLE_TIMEOUT_MS: String(IDLE_MS), ATTACHMENT_TIMEOUT_MS: String(TOTAL_MS) },
  });
  beforeAll(async () => {
    caseId = (await receive(server, { customerId: 'cust-slow', channel: 'email', summary: 'Slow upload' })).caseId;
    auth = await server.authorization({ sub: 'agent-7', role: 'agent' });
  });

  /** Sends the upload's headers and then what `send` writes, never ending the body; resolves with the answer. */
  function upload(send: (write: (text: string) => void) => () => void) {
    const url = new URL(`${server.url}/cases/${caseId}/attachments`);
    return new Promise<{ status: number; type: string; body: Record<string, unknown>; ms: number }>((resolve, reject) => {
      const started = Date.now();
      let stop = () => undefined as void;
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { ...auth, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
        },
        (response: IncomingMessage) => {
          stop();
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => {
            req.destroy();
            resolve({
              status: response.statusCode ?? 0,
              type: String(response.headers['content-type']),
              body: JSON.parse(text),
              ms: Date.now() - started,
            });
          });
        },
      );
      req.on('error', reject);
      req.flushHeaders();
      stop = send((text) => req.write(text));
    });
  }

  it(`answers 408 when no byte of the upload comes for STREAM_IDLE_TIMEOUT_MS (${IDLE_MS} ms)`, async () => {
    const answer = await upload((write) => {
      write(PREAMBLE + 'The first words of the file, then nothing');
      return () => undefined;
    });
    expect(answer).toMatchObject({ status: 408, body: { status: 408, type: expect.stringMatching(/request-timeout$/) } });
    expect(answer.type).toMatch(/^application\/problem\+json/);
    expect(answer.ms).toBeLessThan(TOTAL_MS);
    expect(storedFiles(server.dataDir)).toEqual([]);
  });

  it('answers 408 to a client that never sends the body at all', async () => {
    const answer = await upload(() => () => undefined);
    expect(answer.status).toBe(408);
    expect(storedFiles(server.dataDir)).toEqual([]);
  });

  it(`answers 408 to an upload that keeps trickling past ATTACHMENT_TIMEOUT_MS (${TOTAL_MS} ms)`, async () => {
    const answer = await upload((write) => {
      write(PREAMBLE);
      const trickle = setInterval(() => write('a'), IDLE_MS / 4);
      return () => clearInterval(trickle);
    });
    expect(answer).toMatchObject({ status: 408, body: { detail: expect.stringContaining(`within ${TOTAL_MS} ms`) } });
    expect(answer.ms).toBeGreaterThanOrEqual(TOTAL_MS - 50);
    expect(storedFiles(server.dataDir)).toEqual([]);
  });
});

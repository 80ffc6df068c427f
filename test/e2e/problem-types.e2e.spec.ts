import { startTestServer } from '../support/test-server';
import { agent, expectProblem, openCase, withTestServer } from './e2e-helpers';

/**
 * RFC 9457 problem `type`s are absolute URIs a developer can follow: under PUBLIC_BASE_URL, served by
 * Redress itself at /problems/<code>, as JSON for programs and HTML for browsers, with the rule in words.
 */
describe('problem types', () => {
  const server = withTestServer();

  /** Follows a problem's `type` on this server (the default base is the configured public URL, not the test's port). */
  const follow = (type: string, accept = 'application/json') => {
    const { pathname } = new URL(type);
    return fetch(server.url + pathname, { headers: { accept } });
  };

  it('a rule refusal names an absolute type whose page states the rule, as JSON and as HTML', async () => {
    const { caseId } = await openCase(server);
    const refused = await server.post(`/cases/${caseId}/follow-up`, { satisfied: true, csat: 5 }, agent);
    expectProblem(refused, 409);
    expect(refused.body.type).toBe('http://localhost:3000/problems/follow-up-needs-resolution');

    const json = await follow(refused.body.type);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await json.json()).toEqual({
      type: refused.body.type,
      code: 'follow-up-needs-resolution',
      title: refused.body.title,
      status: 409,
      description: expect.stringContaining('follow-up-needs-resolution'),
      rule: expect.stringMatching(/\w+/),
    });

    const html = await follow(refused.body.type, 'text/html,application/xhtml+xml,*/*;q=0.8');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await html.text();
    expect(page).toContain('<h1>Refused by a business rule</h1>');
    expect(page).toContain('follow-up-needs-resolution');
  });

  it('every problem the HTTP layer raises dereferences, without a token', async () => {
    const invalid = await server.post('/cases', { channel: 'pigeon' }, agent);
    const missing = await server.get('/cases/no-such-case', agent);
    const anonymous = await server.request('GET', '/cases', { anonymous: true });
    for (const [response, code, status] of [
      [invalid, 'validation', 400],
      [missing, 'not-found', 404],
      [anonymous, 'unauthorized', 401],
    ] as const) {
      expect(response.body.type).toBe(`http://localhost:3000/problems/${code}`);
      const page = await follow(response.body.type);
      expect({ code, status: page.status, body: await page.json() }).toMatchObject({ code, status: 200, body: { code, status } });
    }
  });

  it('an unknown problem type is a 404 problem', async () => {
    const response = await server.request('GET', '/problems/no-such-problem', { anonymous: true });
    expectProblem(response, 404, '/problems/no-such-problem');
  });

  it('types are absolute under PUBLIC_BASE_URL when it is set', async () => {
    const behindProxy = await startTestServer({ env: { PUBLIC_BASE_URL: 'https://redress.example.com/api/' } });
    try {
      const missing = await behindProxy.get('/cases/no-such-case', agent);
      expect(missing.body.type).toBe('https://redress.example.com/api/problems/not-found');
      const doc = await behindProxy.get('/docs-json');
      expect(doc.body.servers).toEqual([expect.objectContaining({ url: 'https://redress.example.com/api' })]);
    } finally {
      await behindProxy.close();
    }
  });
});

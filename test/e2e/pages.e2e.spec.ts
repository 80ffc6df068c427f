import { withTestServer } from './e2e-helpers';

/** The browser pages are public shells and static files; their data comes from the API with the user's token. */
describe('dashboard and timeline pages', () => {
  const server = withTestServer();

  const get = (path: string) => fetch(`${server.url}${path}`);

  it.each(['/dashboard', '/cases/any-case/timeline'])(
    'serves %s without a token, as HTML that loads only its own scripts',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await response.text();
      const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, source]) => source);
      expect(sources.length).toBeGreaterThan(2);
      for (const source of sources) expect(source).toMatch(/^(\/dashboard\/assets\/|data:|#)/);
      expect(html).not.toMatch(/<script>(?!<\/script>)/); // no inline script: the CSP allows none
    },
  );

  it("serves the charting library from node_modules and the pages' scripts, and nothing else", async () => {
    const chart = await get('/dashboard/assets/chart.umd.min.js');
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toMatch(/javascript/);
    expect(await chart.text()).toContain('Chart');
    for (const asset of ['dashboard.js', 'timeline.js', 'common.js', 'redress.css'])
      expect((await get(`/dashboard/assets/${asset}`)).status).toBe(200);
    expect((await get('/dashboard/assets/..%2Fpackage.json')).status).toBe(404);
    expect((await get('/dashboard/assets/pages.controller.ts')).status).toBe(404);
  });

  it('keeps the data behind the token: the analytics still refuse an anonymous caller', async () => {
    expect((await get('/analytics/loyalty-outcomes?from=2025-01-01&to=2025-01-31')).status).toBe(401);
  });
});

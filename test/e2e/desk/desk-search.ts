import { act, agent, read, receive } from '../../support/case-scenarios';
import { SteppingClock } from '../../support/stepping-clock';
import { startTestServer, type TestServer } from '../../support/test-server';
import { expectFieldErrors } from '../e2e-helpers';

const ADMIN = { 'X-Actor-Id': 'admin-1', 'X-Actor-Role': 'admin' };
type Name = 'S1' | 'S2' | 'S3' | 'S4';

/**
 * GET /cases?q= over a handful of cases whose words are known: where each word sits decides the ranking (a match in the
 * summary ranks above one elsewhere), every word must occur, words are stemmed, and an erasure takes the customer's text
 * out of the index, for good (a rebuild does not bring it back).
 */
export function searchOverCases(env: () => Record<string, string>): void {
  let server: TestServer;
  const ids = {} as Record<Name, string>;
  const names = new Map<string, Name>();
  let position = 0;

  beforeAll(async () => {
    server = await startTestServer({
      clock: new SteppingClock('2026-03-02T09:00:00.000Z', { seconds: 1 }),
      env: { DEADLINE_CHECK_INTERVAL_MS: '86400000', ...env() },
    });
    const open = async (name: Name, body: Record<string, unknown>) => {
      const result = await receive(server, { channel: 'email', ...body });
      ids[name] = result.caseId;
      names.set(result.caseId, name);
      position = result.position;
    };
    const step = async (name: Name, action: string, body: unknown) => {
      position = (await act(server, ids[name], action, body, agent)).position;
    };
    await open('S1', { customerId: 'cust-s1', summary: 'Turquoise lamp arrived shattered', details: 'The box was crushed' });
    await open('S2', { customerId: 'cust-s2', summary: 'Refund missing' });
    await step('S2', 'notes', { text: 'Customer mentioned the turquoise lamp as well' });
    await open('S3', { customerId: 'cust-s3', summary: 'Wrong colour sent' });
    await step('S3', 'assess', {
      category: 'delivery',
      severity: 'low',
      justified: 'yes',
      rootCause: 'one-off',
      findings: 'Courier swapped the turquoise labels',
    });
    await step('S3', 'tags', { tag: 'press' });
    await open('S4', { customerId: 'cust-search-4', summary: 'Parcel delayed', orderRef: 'ORD-7788' });
    await step('S4', 'log-contact', { direction: 'inbound', channel: 'phone', summary: 'Says the parcel was delivered to a neighbour' });
  }, 60_000);
  afterAll(() => server?.close());

  async function search(query: string, at = position): Promise<Name[]> {
    const found: Name[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/cases?${query}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const { body } = await read<{ items: Array<{ caseId: string }>; nextCursor: string | null }>(server, path, at);
      found.push(...body.items.map((item) => names.get(item.caseId)!));
      cursor = body.nextCursor;
    } while (cursor);
    return found;
  }

  it('ranks a match in the summary above matches in notes or findings', async () => {
    const hits = await search('q=turquoise');
    expect(hits[0]).toBe('S1');
    expect(hits.slice(1).sort()).toEqual(['S2', 'S3']);
  });

  it('needs every word, in any of the searched fields', async () => {
    expect(await search('q=turquoise%20lamp')).toEqual(['S1', 'S2']);
    expect(await search('q=lamp%20crushed')).toEqual(['S1']);
    expect(await search('q=turquoise%20refund%20zebra')).toEqual([]);
  });

  it('finds contact summaries by a stemmed word, order references and customer ids', async () => {
    expect(await search('q=delivering')).toEqual(['S4']);
    expect(await search('q=ORD-7788')).toEqual(['S4']);
    expect(await search('q=cust-search-4')).toEqual(['S4']);
    expect(await search('q=NEIGHBOUR')).toEqual(['S4']);
  });

  it('combines with the filters, and with a sort of its own pages by that sort', async () => {
    expect(await search('q=turquoise&tag=press')).toEqual(['S3']);
    expect(await search('q=turquoise&sort=receivedAt')).toEqual(['S1', 'S2', 'S3']);
    expect(await search('q=turquoise&sort=-receivedAt')).toEqual(['S3', 'S2', 'S1']);
  });

  it('refuses a search without a word', async () => {
    expectFieldErrors(await server.get('/cases?q=%21%21%21'), ['q']);
  });

  it("takes an erased customer's text out of the index, and a rebuild leaves it out", async () => {
    const erased = await server.request('DELETE', '/customers/cust-s1/personal-data', { headers: ADMIN });
    expect(erased.status).toBe(200);
    const at = erased.body.position as number;
    expect(await search('q=shattered', at)).toEqual([]);
    expect((await search('q=turquoise', at)).sort()).toEqual(['S2', 'S3']);

    expect((await server.post('/projections/case-search/rebuild', undefined, ADMIN)).status).toBe(202);
    let after: Name[] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      const response = await server.get(`/cases?q=turquoise&minPosition=${at}`);
      if (response.status === 200) {
        after = response.body.items.map((item: { caseId: string }) => names.get(item.caseId)!);
        if (after.length === 2) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(after.sort()).toEqual(['S2', 'S3']);
    expect(await search('q=shattered', at)).toEqual([]);
  });
}

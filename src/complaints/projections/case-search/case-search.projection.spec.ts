import { evolveSearchSource, searchText, stem, terms } from './case-search.projection';

describe('search terms', () => {
  it('stems plurals, -ed, -ing and a final e or y to one term', () => {
    expect(['delivered', 'delivering', 'deliveries', 'delivery', 'deliver'].map(stem)).toEqual(Array(5).fill('deliver'));
    expect(['lamps', 'lamp'].map(stem)).toEqual(['lamp', 'lamp']);
    expect(['glass', 'bus', 'ORD'].map((w) => stem(w.toLowerCase()))).toEqual(['glass', 'bus', 'ord']);
  });

  it('digests every term, so the index never spells a word, and splits at anything but letters and digits', () => {
    const [ord, number] = terms('ORD-7788');
    expect(terms('ord 7788')).toEqual([ord, number]);
    expect(ord).toMatch(/^[a-p]{16}$/);
    expect(terms('Quasthoff').join(' ')).not.toMatch(/quasthoff/i);
  });

  it('indexes summary apart from the rest, leaving out what cannot be opened', () => {
    const source = evolveSearchSource(null, {
      type: 'ComplaintReceived',
      data: {
        caseId: 'c',
        customerId: 'cust-1',
        channel: 'email',
        summary: 'sealed-summary',
        details: 'sealed-details',
        regime: 'default',
        receivedAt: '2026-01-01T00:00:00Z',
        deadlines: [],
        by: { id: 'a', role: 'agent' },
        at: '2026-01-01T00:00:00Z',
      },
    })!;
    const text = searchText(source, (value) => (value === 'sealed-summary' ? 'Broken lamp' : undefined));
    expect(text.summary).toBe(terms('Broken lamp').join(' '));
    expect(text.body).toBe(terms('cust-1').join(' '));
  });
});

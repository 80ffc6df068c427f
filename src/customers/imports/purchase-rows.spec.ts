import { Readable } from 'node:stream';
import { DomainRuleViolation } from '../../core/errors';
import { importPurchases } from './import-purchases';
import { ImportFileError, ParsedLine, formatOfContentType, readPurchaseLines, splitCsvLine } from './purchase-rows';

async function lines(text: string | string[], format: 'csv' | 'ndjson'): Promise<ParsedLine[]> {
  const chunks = Array.isArray(text) ? text : [text];
  const parsed: ParsedLine[] = [];
  for await (const line of readPurchaseLines(Readable.from(chunks), format)) parsed.push(line);
  return parsed;
}

describe('splitCsvLine (RFC 4180 on one line)', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['a,,c,', ['a', '', 'c', '']],
    ['"a,1","b ""quoted""",c', ['a,1', 'b "quoted"', 'c']],
    ['""', ['']],
    ['x', ['x']],
  ])('splits %s', (line, fields) => {
    expect(splitCsvLine(line)).toEqual(fields);
  });

  it.each([
    ['"open,b', 'has a quoted field that is not closed on the same line'],
    ['"a"b,c', 'has text after a closing quote at character 4'],
    ['a"b,c', 'has a quote inside an unquoted field at character 2'],
  ])('says what is wrong with %s', (line, problem) => {
    expect(splitCsvLine(line)).toBe(problem);
  });
});

describe('readPurchaseLines', () => {
  it('reads CSV rows under a header in any column order, across chunk boundaries, skipping blank lines', async () => {
    const parsed = await lines(
      [
        '\uFEFFat,currency,amount,orderId,cust',
        'omerId\r\n2025-01-01T10:00:00+01:00,GBP,1999,o-1,c-1\r\n\r\n',
        '2025-01-02T10:00:00Z,EUR,5,o-2,c-2\n',
      ],
      'csv',
    );
    expect(parsed).toEqual([
      { line: 2, row: { customerId: 'c-1', orderId: 'o-1', amount: 1999, currency: 'GBP', at: '2025-01-01T09:00:00.000Z' } },
      { line: 4, row: { customerId: 'c-2', orderId: 'o-2', amount: 5, currency: 'EUR', at: '2025-01-02T10:00:00.000Z' } },
    ]);
  });

  it('reports each bad row with its line number and the same reasons the HTTP endpoint gives', async () => {
    const parsed = await lines(
      [
        'customerId,orderId,amount,currency,at',
        'c-1,o-1,1e3,GBP,2025-01-01T10:00:00Z',
        'c-1,o-2,,GBP,2025-01-01T10:00:00Z',
        'c-1,o-3,10,gbp,2025-01-01',
        'c 1,o-4,10,GBP,2025-01-01T10:00:00Z',
        'c-1,o-5,10,GBP',
      ].join('\n'),
      'csv',
    );
    expect(parsed.map((p) => [p.line, p.error])).toEqual([
      [2, 'amount: must be an integer number; amount: must not be less than 0; amount: must not be greater than 9007199254740991'],
      [3, 'amount: must be an integer number; amount: must not be less than 0; amount: must not be greater than 9007199254740991'],
      [
        4,
        'currency: must be an ISO 4217 currency code such as GBP, EUR or USD; at: must include a time and a UTC offset, e.g. 2026-11-23T10:00:00Z',
      ],
      [5, 'customerId: may hold only letters, digits and - _ . : (1 to 128 characters)'],
      [6, 'has 4 field(s), the header has 5'],
    ]);
  });

  it('refuses a CSV whose header lacks purchase columns, names unknown or repeated ones, before reading any row', async () => {
    await expect(lines('customerId,orderId,amount,currency\nc,o,1,GBP\n', 'csv')).rejects.toThrow(
      new ImportFileError(
        1,
        'The CSV header (line 1) must name the columns customerId, orderId, amount, currency, at (any order): missing column(s) at.',
      ),
    );
    await expect(lines('\n\ncustomerId,orderId,amount,currency,at,at,note\n', 'csv')).rejects.toThrow(
      /line 3.*unknown column\(s\) note; repeated column\(s\) at/,
    );
  });

  it('reads NDJSON objects and refuses non-objects, broken JSON, unknown and prototype fields', async () => {
    const good = { customerId: 'c', orderId: 'o', amount: 1, currency: 'USD', at: '2025-01-01T00:00:00Z' };
    const parsed = await lines(
      [
        JSON.stringify(good),
        '{"a":',
        '"text"',
        JSON.stringify({ ...good, extra: 1 }),
        '{"customerId":"c","orderId":"o","amount":1,"currency":"USD","at":"2025-01-01T00:00:00Z","__proto__":{}}',
        JSON.stringify({ ...good, amount: '1' }),
      ].join('\n'),
      'ndjson',
    );
    expect(parsed[0]).toEqual({ line: 1, row: { ...good, at: '2025-01-01T00:00:00.000Z' } });
    expect(parsed.slice(1).map((p) => [p.line, p.error])).toEqual([
      [2, expect.stringMatching(/^is not valid JSON/)],
      [3, 'is not a JSON object'],
      [4, 'extra: property extra should not exist'],
      [5, '__proto__: property __proto__ should not exist'],
      [6, 'amount: must be an integer number; amount: must not be less than 0; amount: must not be greater than 9007199254740991'],
    ]);
  });

  it('reports a line too long to hold instead of keeping it', async () => {
    const parsed = await lines(`customerId,orderId,amount,currency,at\n${'x'.repeat(70_000)}\n`, 'csv');
    expect(parsed).toEqual([{ line: 2, error: 'the line is longer than 65536 characters' }]);
  });

  it('knows the content types of both formats', () => {
    expect(formatOfContentType('text/csv; charset=utf-8')).toBe('csv');
    expect(formatOfContentType('application/x-ndjson')).toBe('ndjson');
    expect(formatOfContentType('application/jsonl')).toBe('ndjson');
    expect(formatOfContentType('application/json')).toBeUndefined();
    expect(formatOfContentType(undefined)).toBeUndefined();
  });
});

describe('importPurchases', () => {
  it('records valid rows, counts repeats, lists rule refusals with their line, and stops on anything else', async () => {
    const parsed: ParsedLine[] = [
      { line: 2, row: { customerId: 'a', orderId: '1', amount: 1, currency: 'GBP', at: 'x' } },
      { line: 3, error: 'bad' },
      { line: 4, row: { customerId: 'a', orderId: '1', amount: 1, currency: 'GBP', at: 'x' } },
      { line: 5, row: { customerId: 'a', orderId: '1', amount: 2, currency: 'GBP', at: 'x' } },
    ];
    const seen = new Map<string, number>();
    const report = await importPurchases('csv', parsed, async (row) => {
      const known = seen.get(row.orderId);
      if (known !== undefined && known !== row.amount) throw new DomainRuleViolation('order-already-recorded', 'Differs.');
      seen.set(row.orderId, row.amount);
      return { replayed: known !== undefined, position: 7 };
    });
    expect(report).toEqual({
      format: 'csv',
      rows: 4,
      recorded: 1,
      duplicates: 1,
      invalidCount: 2,
      position: 7,
      invalid: [
        { line: 3, reason: 'bad' },
        { line: 5, reason: 'Differs.', rule: 'order-already-recorded' },
      ],
    });
    await expect(
      importPurchases('csv', parsed, async () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
  });
});

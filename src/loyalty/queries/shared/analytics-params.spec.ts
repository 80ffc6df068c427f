import { RequestValidationError } from '../../../core/http/problem-details';
import { addDays, boundaryInstant, periodOf, round, toNumber } from './analytics-params';
import { toCsv, wantsCsv } from './csv';

describe('analytics parameters', () => {
  it('reads a date as the start of its day for `from` and the end of it for `to`; instants as given, in UTC', () => {
    expect(periodOf('2025-01-01', '2025-03-31')).toEqual({ from: '2025-01-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z' });
    expect(periodOf('2025-01-01T10:00:00+02:00', '2025-01-02T00:00:00Z')).toEqual({
      from: '2025-01-01T08:00:00.000Z',
      to: '2025-01-02T00:00:00.000Z',
    });
    expect(boundaryInstant('2024-02-29', 'to', 'to')).toBe('2024-03-01T00:00:00.000Z');
  });

  it('refuses days that do not exist and periods that end before they start, naming the field', () => {
    for (const [from, to, field] of [
      ['2025-02-29', '2025-03-01', 'from'],
      ['2025-01-01', '2025-04-31', 'to'],
      ['2025-02-01', '2025-01-31', 'to'],
      ['2025-02-01T00:00:00Z', '2025-02-01T00:00:00Z', 'to'],
    ] as const) {
      let thrown: unknown;
      try {
        periodOf(from, to);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(RequestValidationError);
      expect((thrown as RequestValidationError).errors.map((error) => error.field)).toEqual([field]);
    }
  });

  it('adds days, rounds half away from zero without binary surprises, and reads PostgreSQL aggregates', () => {
    expect(addDays('2025-01-31T00:00:00.000Z', 30)).toBe('2025-03-02T00:00:00.000Z');
    expect(round(1.005, 2)).toBe(1.01);
    expect(round(-0.78575, 4)).toBe(-0.7858);
    expect(round(2333.3333333, 2)).toBe(2333.33);
    expect(toNumber('12')).toBe(12);
    expect(toNumber(null)).toBe(0);
    expect(() => toNumber('abc')).toThrow();
  });
});

describe('CSV', () => {
  it('writes RFC 4180: a header, CRLF lines, quoted fields where needed, empty for null', () => {
    expect(
      toCsv(
        ['a', 'b', 'c'],
        [
          { a: 1, b: 'x,y', c: null },
          { a: -0.5, b: 'say "hi"', c: undefined },
        ],
      ),
    ).toBe('a,b,c\r\n1,"x,y",\r\n-0.5,"say ""hi""",\r\n');
  });

  it('is chosen when Accept prefers text/csv', () => {
    expect(wantsCsv('text/csv')).toBe(true);
    expect(wantsCsv('application/json, text/csv;q=0.5')).toBe(false);
    expect(wantsCsv('text/csv, application/json;q=0.9')).toBe(true);
    expect(wantsCsv('text/csv;q=0')).toBe(false);
    expect(wantsCsv('*/*')).toBe(false);
    expect(wantsCsv(undefined)).toBe(false);
  });
});

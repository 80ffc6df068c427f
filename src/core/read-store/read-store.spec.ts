import type { SqliteDatabase } from 'kysely';
import { withPreparedStatements } from './read-store';

describe('The read store on SQLite', () => {
  it('prepares each SQL text once, and past its bound forgets the statement used least recently', () => {
    const prepared: string[] = [];
    const database: SqliteDatabase = {
      close: () => undefined,
      prepare: (text: string) => {
        prepared.push(text);
        return {
          reader: true,
          all: () => [],
          run: () => ({ changes: 0, lastInsertRowid: 0 }),
          iterate: () => [][Symbol.iterator](),
        };
      },
    };
    const cached = withPreparedStatements(database);
    const hot = 'select 1';
    expect(cached.prepare(hot)).toBe(cached.prepare(hot));
    for (let n = 0; n < 2000; n++) {
      cached.prepare(`select ${n + 2}`);
      cached.prepare(hot);
    }
    cached.prepare('select 2');
    expect(prepared.filter((text) => text === hot)).toHaveLength(1);
    expect(prepared.filter((text) => text === 'select 2')).toHaveLength(2);
  });
});

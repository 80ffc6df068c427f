import { BatchSlice } from './log-pages';

describe('BatchSlice', () => {
  it('sizes the next batch to what fits in its target from what events have cost, between its least size and the most asked', () => {
    const slice = new BatchSlice({ targetMs: 4, minSize: 4 });
    expect(slice.upTo(500)).toBe(50);
    slice.took(10, 2); // 0.2 ms an event: 20 fit in 4 ms
    expect(slice.upTo(500)).toBe(20);
    expect(slice.upTo(8)).toBe(8);
    for (let i = 0; i < 20; i++) slice.took(10, 50); // 5 ms an event: not even one fits, the least size still goes
    expect(slice.upTo(500)).toBe(4);
  });

  it('keeps batches short on SQLite, where a batch holds the thread, and longer on PostgreSQL, where it mostly waits', () => {
    const sqlite = BatchSlice.for('sqlite');
    const postgres = BatchSlice.for('postgres');
    for (const slice of [sqlite, postgres]) slice.took(100, 10); // 0.1 ms an event
    expect(sqlite.upTo(500)).toBe(40);
    expect(postgres.upTo(500)).toBe(200);
    for (const slice of [sqlite, postgres]) for (let i = 0; i < 20; i++) slice.took(10, 50);
    expect(sqlite.upTo(500)).toBe(4);
    expect(postgres.upTo(500)).toBe(25);
  });

  it('grows a batch whose read is a round trip until applying takes four times the read, so a catch-up does not crawl', () => {
    const slice = BatchSlice.for('sqlite');
    // 4 events in 6 ms, 5 of them waiting for the read: a 4 ms batch would be mostly waiting.
    for (let i = 0; i < 30; i++) slice.took(4, 6, 5);
    // 4 × 5 ms = 20 ms of applying at 0.25 ms an event (the moving averages come to it from below)
    expect(slice.upTo(500)).toBeGreaterThanOrEqual(75);
    expect(slice.upTo(500)).toBeLessThanOrEqual(80);
  });

  it("counts an embedded store's read in the batch's time: it holds the thread as applying does, and grows with the page", () => {
    const embedded = BatchSlice.for('sqlite', { readsHoldThread: true });
    // 100 events in 10 ms, 6 of them reading: 0.1 ms an event in all, so 40 fit in 4 ms, however long the read.
    for (let i = 0; i < 30; i++) embedded.took(100, 10, 6);
    expect(embedded.upTo(500)).toBe(40);
  });

  it('keeps every batch at the size asked for when its target is unbounded', () => {
    const slice = BatchSlice.for('sqlite', { targetMs: Number.POSITIVE_INFINITY });
    expect(slice.upTo(10)).toBe(10);
    for (let i = 0; i < 20; i++) slice.took(10, 500);
    expect(slice.upTo(10)).toBe(10);
    expect(slice.upTo(500)).toBe(500);
  });
});

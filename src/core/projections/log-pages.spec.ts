import { BatchSlice } from './log-pages';

describe('BatchSlice', () => {
  it('sizes the next batch to what fits in its target from what events have cost, between its least size and the most asked', () => {
    const live = new BatchSlice({ targetMs: 4, minSize: 4 });
    expect(live.upTo(500)).toBe(50);
    live.took(10, 2); // 0.2 ms an event: 20 fit in 4 ms
    expect(live.upTo(500)).toBe(20);
    expect(live.upTo(8)).toBe(8);
    for (let i = 0; i < 20; i++) live.took(10, 50); // 5 ms an event: not even one fits, the least size still goes
    expect(live.upTo(500)).toBe(4);
  });

  it('keeps a batch to about 4 ms and 4 events at least by default', () => {
    const slice = new BatchSlice();
    slice.took(100, 10); // 0.1 ms an event
    expect(slice.upTo(500)).toBe(40);
    for (let i = 0; i < 20; i++) slice.took(10, 50);
    expect(slice.upTo(500)).toBe(4);
  });
});

import { validate, version } from 'uuid';
import { uuidV5 } from './deterministic-id';
import { commandEventIds } from './event-ids';

describe('the ids of a command’s events', () => {
  it('names them after a command that may come again, so a retry finds what the first attempt appended', () => {
    const first = commandEventIds('complaint-1', 'key-1', true);
    const retry = commandEventIds('complaint-1', 'key-1', true);
    expect([first(0), first(1)]).toEqual([retry(0), retry(1)]);
    expect(first(0)).toBe(uuidV5('complaint-1/key-1/0'));
    expect(commandEventIds('complaint-2', 'key-1', true)(0)).not.toBe(first(0));
  });

  it('gives a command that cannot come again fresh time-ordered ids, the same for an index however often it is asked', () => {
    const ids = commandEventIds('complaint-1', 'made-for-this-request', false);
    const minted = [ids(0), ids(1), ids(2)];
    expect(minted.every((id) => validate(id) && version(id) === 7)).toBe(true);
    expect([ids(0), ids(1), ids(2)]).toEqual(minted);
    // A later command's ids sort after these: the event-id index grows at one end.
    const later = commandEventIds('complaint-9', 'made-for-this-request', false);
    const all = [...minted, later(0), later(1)];
    expect([...all].sort()).toEqual(all);
    expect(new Set(all).size).toBe(all.length);
  });
});

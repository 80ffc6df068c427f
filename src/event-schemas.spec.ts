import { COMPLAINT_STREAM_PREFIX } from './complaints/domain/complaint.decider';
import { CUSTOMER_STREAM_PREFIX } from './customers/domain/customer.decider';
import { COMPLAINT_UPCASTERS } from './complaints/domain/complaint.upcasters';
import { CUSTOMER_UPCASTERS } from './customers/domain/customer.upcasters';
import { EVENT_UPCASTERS, REDRESS_STREAM_PREFIXES } from './event-schemas';

describe('the event log of Redress', () => {
  it("reads as the application's log exactly the streams the deciders write", () => {
    expect([...REDRESS_STREAM_PREFIXES].sort()).toEqual([COMPLAINT_STREAM_PREFIX, CUSTOMER_STREAM_PREFIX].sort());
  });

  it('reads every event type of every stream kind, no type belonging to two kinds', () => {
    const kinds = [COMPLAINT_UPCASTERS, CUSTOMER_UPCASTERS];
    expect(Object.keys(EVENT_UPCASTERS).sort()).toEqual(kinds.flatMap((kind) => Object.keys(kind)).sort());
  });
});

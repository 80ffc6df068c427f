import type { RecordedEvent } from '../../../core/event-store/event-store.port';
import { SqliteEventStore } from '../../../core/event-store/sqlite-event-store';
import { factsState } from '../../../loyalty/projection/case-facts';
import { writeComplaintHistory } from '../../../../test/support/complaint-history';
import type { CaseView } from './case-view';
import { evolveCaseView } from './case-view.evolve';
import { foldCaseView } from './case-view.shared-fold';

/** Folds `events` per stream with `fold`, returning each event's resulting view. */
function foldAll(events: readonly RecordedEvent[], fold: typeof foldCaseView, start = new Map<string, CaseView>()): CaseView[] {
  return events.map((event) => {
    const view = fold(start.get(event.streamName) ?? null, event);
    start.set(event.streamName, view);
    return view;
  });
}

describe('foldCaseView: one fold of each complaint event shared by the case views and the loyalty facts', () => {
  let events: RecordedEvent[];

  beforeAll(async () => {
    const store = new SqliteEventStore(':memory:');
    await writeComplaintHistory(store, { cases: 24 });
    events = await store.readAll();
    await store.close();
  });

  it('folds every event as evolveCaseView does', () => {
    expect(foldAll(events, foldCaseView)).toEqual(foldAll(events, evolveCaseView));
  });

  it('never changes the view it is given (a shared fold is held by both read models)', () => {
    const deepFreeze = <T>(value: T): T => {
      if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const member of Object.values(value)) deepFreeze(member);
      }
      return value;
    };
    const frozen = new Map<string, CaseView>();
    const folded = events.map((event) => {
      const view = evolveCaseView(frozen.get(event.streamName) ?? null, event);
      frozen.set(event.streamName, deepFreeze(view));
      return view;
    });
    expect(folded).toEqual(foldAll(events, evolveCaseView));
  });

  it('hands a second caller folding the same event, from the revision before it, the view already folded', () => {
    const first = foldAll(events, foldCaseView);
    // The loyalty facts hold views without their words (factsState): their fold of each event is the case views' own.
    const wordless = new Map<string, CaseView>();
    const second = events.map((event) => {
      const view = foldCaseView(wordless.get(event.streamName) ?? null, event);
      wordless.set(event.streamName, factsState(view));
      return view;
    });
    second.forEach((view, index) => expect(view).toBe(first[index]));
  });

  it('folds for itself a caller whose view is at another revision, or whose event is another object', () => {
    const views = foldAll(events, foldCaseView);
    const last = events.length - 1;
    const event = events[last];
    // Applied again onto the view it made (a projection replaying an event): not the shared result, and folded from that view.
    const again = foldCaseView(views[last], event);
    expect(again).not.toBe(views[last]);
    expect(again).toEqual(evolveCaseView(views[last], event));
    const before = events
      .slice(0, last)
      .map((earlier) => earlier.streamName)
      .lastIndexOf(event.streamName);
    const previous = before < 0 ? null : views[before];
    const copy = { ...event, data: structuredClone(event.data) };
    const fromCopy = foldCaseView(previous, copy);
    expect(fromCopy).not.toBe(views[last]);
    expect(fromCopy).toEqual(views[last]);
  });

  it('remembers only the latest folds', () => {
    const views = foldAll(events, foldCaseView);
    const [firstEvent] = events;
    // Another thousand and more folds since (replays of the history under fresh event objects).
    for (let round = 0; round * events.length < 1_100; round++)
      foldAll(
        events.map((event) => ({ ...event })),
        foldCaseView,
      );
    expect(foldCaseView(null, firstEvent)).not.toBe(views[0]);
  });
});

import type { RecordedEvent } from '../../../core/event-store/event-store.port';
import { SqliteEventStore } from '../../../core/event-store/sqlite-event-store';
import { factsState } from '../../../loyalty/projection/case-facts';
import { writeComplaintHistory } from '../../../../test/support/complaint-history';
import type { CaseView } from './case-view';
import { evolveCaseView } from './case-view.evolve';
import { foldCaseFacts, foldCaseView } from './case-view.shared-fold';

/** Folds `events` per stream with `fold`, returning each event's resulting view. */
function foldAll(events: readonly RecordedEvent[], fold: typeof foldCaseView, start = new Map<string, CaseView>()): CaseView[] {
  return events.map((event) => {
    const view = fold(start.get(event.streamName) ?? null, event);
    start.set(event.streamName, view);
    return view;
  });
}

/** The view of the same stream before `events[index]` was folded, from the views folded event by event. */
function viewBefore(events: readonly RecordedEvent[], views: readonly CaseView[], index: number): CaseView | null {
  const before = events
    .slice(0, index)
    .map((earlier) => earlier.streamName)
    .lastIndexOf(events[index].streamName);
  return before < 0 ? null : views[before];
}

describe("foldCaseView and foldCaseFacts: the case views' fold of each complaint event, taken by the loyalty facts", () => {
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

  it("hands the loyalty facts, folding the same event from the revision before it, the case views' own fold", () => {
    const first = foldAll(events, foldCaseView);
    // The loyalty facts hold views without their words (factsState): their fold of each event is the case views' own.
    const wordless = new Map<string, CaseView>();
    const second = events.map((event) => {
      const view = foldCaseFacts(wordless.get(event.streamName) ?? null, event);
      wordless.set(event.streamName, factsState(view));
      return view;
    });
    second.forEach((view, index) => expect(view).toBe(first[index]));
  });

  it('never hands the case views a fold made without the words, whoever folds first', () => {
    // Live projections catch up on their own: the loyalty facts may fold an event before the case views do. Fresh event
    // objects, so no fold remembered by an earlier test is found.
    const wordless = new Map<string, CaseView>();
    const worded = new Map<string, CaseView>();
    const views = events
      .map((recorded) => ({ ...recorded }))
      .map((event) => {
        wordless.set(event.streamName, factsState(foldCaseFacts(wordless.get(event.streamName) ?? null, event)));
        const view = foldCaseView(worded.get(event.streamName) ?? null, event);
        worded.set(event.streamName, view);
        return view;
      });
    expect(views).toEqual(foldAll(events, evolveCaseView));
    expect(views.some((view) => view.summary !== '')).toBe(true);
  });

  it('folds the case views from their own view, erased words and all, never taking a fold remembered for the event', () => {
    const views = foldAll(events, foldCaseView);
    const last = events.length - 1;
    const event = events[last];
    const previous = viewBefore(events, views, last);
    const erased = previous && { ...previous, summary: '[erased]', details: '[erased]' };
    const folded = foldCaseView(erased, event);
    expect(folded).toEqual(evolveCaseView(erased, event));
    expect(folded).not.toBe(views[last]);
  });

  it('folds for itself a facts caller whose view is at another revision, or whose event is another object', () => {
    const views = foldAll(events, foldCaseView);
    const last = events.length - 1;
    const event = events[last];
    // Applied again onto the view it made (a projection replaying an event): not the shared result, and folded from that view.
    const again = foldCaseFacts(views[last], event);
    expect(again).not.toBe(views[last]);
    expect(again).toEqual(evolveCaseView(views[last], event));
    const previous = viewBefore(events, views, last);
    const copy = { ...event, data: structuredClone(event.data) };
    const fromCopy = foldCaseFacts(previous, copy);
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
    expect(foldCaseFacts(null, firstEvent)).not.toBe(views[0]);
  });
});

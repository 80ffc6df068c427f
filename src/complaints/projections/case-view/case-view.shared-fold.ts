import type { RecordedEvent } from '../../../core/event-store/event-store.port';
import type { CaseView } from './case-view';
import { evolveCaseView } from './case-view.evolve';

/**
 * The case views most recently folded, by the very event object that folded them: the case views and the loyalty facts
 * both fold every complaint event with evolveCaseView (about 15 µs an event, a quarter of a rebuild of all), and in a
 * rebuild's shared pass, as among live projections handed the same page, the second finds the first's result here.
 * Enough for a page of a rebuild (500 events) with room to spare; the oldest are let go first.
 */
const recentFolds = new Map<RecordedEvent, CaseView>();
const REMEMBERED_FOLDS = 1_024;

/**
 * evolveCaseView, sharing its result with the next caller that folds the same event object onto a view of the same
 * stream at the revision before it. evolveCaseView is pure and reads nothing but the event and the fields every
 * caller's view has at that revision, so that caller would have folded the same view (the loyalty facts fold views
 * without their words, and nothing they keep is derived from the words). The result is shared: neither may change it.
 */
export function foldCaseView(view: CaseView | null, event: RecordedEvent): CaseView {
  const folded = recentFolds.get(event);
  if (folded && (view === null ? event.revision === 0 : view.revision === event.revision - 1)) return folded;
  const next = evolveCaseView(view, event);
  if (recentFolds.size >= REMEMBERED_FOLDS) recentFolds.delete(recentFolds.keys().next().value!);
  recentFolds.set(event, next);
  return next;
}

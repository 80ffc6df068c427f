import type { RecordedEvent } from '../../../core/event-store/event-store.port';
import type { CaseView } from './case-view';
import { evolveCaseView } from './case-view.evolve';

/**
 * The case views most recently folded by the case-view projection, by the very event object that folded them: the case
 * views and the loyalty facts both fold every complaint event with evolveCaseView (about 15 µs an event, a quarter of a
 * rebuild of all), and in a rebuild's shared pass, as among live projections handed the same page, the case views go
 * first and the loyalty facts find their result here. Enough for a page of a rebuild (500 events) with room to spare;
 * the oldest are let go first.
 */
const recentFolds = new Map<RecordedEvent, CaseView>();
const REMEMBERED_FOLDS = 1_024;

/**
 * The case views' fold: evolveCaseView, always folded from the caller's own view (its words, erased or not, are the case
 * view's), and remembered for foldCaseFacts.
 */
export function foldCaseView(view: CaseView | null, event: RecordedEvent): CaseView {
  const next = evolveCaseView(view, event);
  if (recentFolds.size >= REMEMBERED_FOLDS) recentFolds.delete(recentFolds.keys().next().value!);
  recentFolds.set(event, next);
  return next;
}

/**
 * The fold for a reader of a case's facts and never its words (the loyalty facts): the case views' own fold of this very
 * event when the caller's view is at the revision just before it, else its own. evolveCaseView is pure and derives no
 * fact from the words, so the facts are those the caller would have folded; the words may be the case view's (with what
 * erasure left of them), so a caller must not store them. Its own folds are never shared: a case view must not take a
 * view folded from one without words. The result may be shared: it must not be changed.
 */
export function foldCaseFacts(view: CaseView | null, event: RecordedEvent): CaseView {
  const folded = recentFolds.get(event);
  // The caller's view is at the revision just before the event (none before a stream's first), as the case views' was.
  if (folded && (view?.revision ?? -1) === event.revision - 1) return folded;
  return evolveCaseView(view, event);
}

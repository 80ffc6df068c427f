import { Ensure, ruleBook } from '../../../core/errors';
import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import type { ComplaintCase } from '../../domain/complaint.state';

export type TagCase = ComplaintCommandOf<'TagCase', { tag: string }>;

/** A desk keeps its labels few enough to mean something. */
export const MAX_TAGS_PER_CASE = 20;

export const TAG_CASE_RULES = {
  'tag-already-on-case': 'The case already carries this tag.',
  'too-many-tags': `A case carries at most ${MAX_TAGS_PER_CASE} tags; remove one first.`,
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof TAG_CASE_RULES> = ruleBook(TAG_CASE_RULES).ensure;

/** Tags stay on a case whatever its status: a closed case is still found by its labels. */
export function decideTagCase(command: TagCase, state: ComplaintCase): ComplaintEvent[] {
  const tags = state.tags ?? [];
  ensure(!tags.includes(command.data.tag), 'tag-already-on-case', `Tag: ${command.data.tag}.`);
  ensure(tags.length < MAX_TAGS_PER_CASE, 'too-many-tags');
  return [{ type: 'CaseTagged', data: { tag: command.data.tag, ...stamp(command) } }];
}

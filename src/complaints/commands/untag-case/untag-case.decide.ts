import { Ensure, ruleBook } from '../../../core/errors';
import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import type { ComplaintCase } from '../../domain/complaint.state';

export type UntagCase = ComplaintCommandOf<'UntagCase', { tag: string }>;

export const UNTAG_CASE_RULES = {
  'tag-not-on-case': 'The case does not carry this tag.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof UNTAG_CASE_RULES> = ruleBook(UNTAG_CASE_RULES).ensure;

export function decideUntagCase(command: UntagCase, state: ComplaintCase): ComplaintEvent[] {
  ensure((state.tags ?? []).includes(command.data.tag), 'tag-not-on-case', `Tag: ${command.data.tag}.`);
  return [{ type: 'CaseUntagged', data: { tag: command.data.tag, ...stamp(command) } }];
}

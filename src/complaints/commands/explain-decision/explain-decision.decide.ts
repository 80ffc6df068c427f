import { Ensure, ruleBook } from '../../../core/errors';
import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import type { ComplaintCase } from '../../domain/complaint.state';
import type { Channel } from '../../domain/complaint.vocabulary';

export type ExplainDecision = ComplaintCommandOf<'ExplainDecision', { channel: Channel; message: string }>;

export const EXPLAIN_DECISION_RULES = {
  'explanation-needs-unjustified-assessment':
    'A decision is explained only after the complaint was assessed as not justified or partly justified.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof EXPLAIN_DECISION_RULES> = ruleBook(EXPLAIN_DECISION_RULES).ensure;

export function ensureExplainable(state: ComplaintCase): void {
  const justified = state.assessment?.justified;
  ensure(justified === 'no' || justified === 'partly', 'explanation-needs-unjustified-assessment');
}

export function decideExplainDecision(command: ExplainDecision, state: ComplaintCase): ComplaintEvent[] {
  ensureExplainable(state);
  return [{ type: 'ExplanationGiven', data: { channel: command.data.channel, message: command.data.message, ...stamp(command) } }];
}

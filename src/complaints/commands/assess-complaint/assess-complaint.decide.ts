import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent, EventFacts } from '../../domain/complaint.events';
import { ensureOpen } from '../../domain/complaint.rules';
import type { ComplaintCase } from '../../domain/complaint.state';

export type AssessComplaint = ComplaintCommandOf<'AssessComplaint', EventFacts<'ComplaintAssessed'>>;

export function decideAssessComplaint(command: AssessComplaint, state: ComplaintCase): ComplaintEvent[] {
  ensureOpen(state);
  const { category, severity, justified, rootCause, findings } = command.data;
  return [{ type: 'ComplaintAssessed', data: { category, severity, justified, rootCause, findings, ...stamp(command) } }];
}

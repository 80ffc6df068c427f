import { Ensure, ruleBook } from '../../../core/errors';
import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent, EventFacts } from '../../domain/complaint.events';
import { ensureOpen } from '../../domain/complaint.rules';
import type { ComplaintPolicy } from '../../domain/complaint-policy';
import type { ComplaintCase } from '../../domain/complaint.state';
import { causeLevels, isCauseCode, taxonomyAt } from '../../domain/root-cause-taxonomy';

export type AssessComplaint = ComplaintCommandOf<'AssessComplaint', Omit<EventFacts<'ComplaintAssessed'>, 'taxonomyVersion'>>;

export const ASSESS_COMPLAINT_RULES = {
  'cause-code-unknown': 'The root-cause code is not in the root-cause taxonomy in force.',
  'cause-code-outside-category': "The root-cause code's first level must be the assessed category.",
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof ASSESS_COMPLAINT_RULES> = ruleBook(ASSESS_COMPLAINT_RULES).ensure;

export function decideAssessComplaint(command: AssessComplaint, state: ComplaintCase, policy: ComplaintPolicy): ComplaintEvent[] {
  ensureOpen(state);
  const { category, severity, justified, rootCause, findings, causeCode } = command.data;
  const taxonomy = causeCode === undefined ? undefined : taxonomyAt(command.at, policy.taxonomies);
  if (taxonomy && causeCode !== undefined) {
    ensure(isCauseCode(taxonomy, causeCode), 'cause-code-unknown', `${causeCode} is not in ${taxonomy.version}.`);
    ensure(causeLevels(causeCode)?.level1 === category, 'cause-code-outside-category', `${causeCode} is not under ${category}.`);
  }
  return [
    {
      type: 'ComplaintAssessed',
      data: present({
        category,
        severity,
        justified,
        rootCause,
        findings,
        causeCode,
        taxonomyVersion: taxonomy?.version,
        ...stamp(command),
      }),
    },
  ];
}

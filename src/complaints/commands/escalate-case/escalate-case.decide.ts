import { Ensure, ruleBook } from '../../../core/errors';
import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { ensureOpen } from '../../domain/complaint.rules';
import type { ComplaintPolicy } from '../../domain/complaint-policy';
import type { ComplaintCase } from '../../domain/complaint.state';
import type { Actor } from '../../../kernel/actor';

/** `level` defaults to one above the current level. */
export type EscalateCase = ComplaintCommandOf<'EscalateCase', { reason: string; level?: number; team?: string }>;

export const ESCALATE_CASE_RULES = {
  'escalation-level-must-rise': 'An escalation must raise the case to a whole-number level above its current one.',
  'escalation-above-top-level': 'An escalation cannot go above the top escalation level.',
  'top-escalation-needs-supervisor': 'Only a supervisor escalates a case to the top level.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof ESCALATE_CASE_RULES> = ruleBook(ESCALATE_CASE_RULES).ensure;

export function ensureEscalationRises(level: number, currentLevel: number): void {
  ensure(Number.isInteger(level) && level > currentLevel, 'escalation-level-must-rise', `Level ${level} is not above ${currentLevel}.`);
}

/** The top level is the firm's last resort (a complaints director, say): a supervisor's call. */
export function ensureMayEscalateTo(level: number, by: Actor, policy: ComplaintPolicy): void {
  const top = policy.topEscalationLevel;
  ensure(level <= top, 'escalation-above-top-level', `The top level is ${top}.`);
  ensure(level < top || by.role === 'supervisor', 'top-escalation-needs-supervisor', `Level ${top} is the top.`);
}

export function decideEscalateCase(command: EscalateCase, state: ComplaintCase, policy: ComplaintPolicy): ComplaintEvent[] {
  ensureOpen(state);
  const level = command.data.level ?? state.escalationLevel + 1;
  ensureEscalationRises(level, state.escalationLevel);
  ensureMayEscalateTo(level, command.by, policy);
  return [{ type: 'CaseEscalated', data: present({ level, reason: command.data.reason, team: command.data.team, ...stamp(command) }) }];
}

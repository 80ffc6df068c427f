import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';

export type AssignCase = ComplaintCommandOf<'AssignCase', { agentId: string; team?: string }>;

export function decideAssignCase(command: AssignCase): ComplaintEvent[] {
  return [{ type: 'CaseAssigned', data: present({ agentId: command.data.agentId, team: command.data.team, ...stamp(command) }) }];
}

import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';

/** Puts the case on a team's queue with no agent: the team picks it up (Zendesk's "assign to group"). */
export type RouteCase = ComplaintCommandOf<'RouteCase', { team: string; reason?: string }>;

export function decideRouteCase(command: RouteCase): ComplaintEvent[] {
  return [{ type: 'CaseRouted', data: present({ team: command.data.team, reason: command.data.reason, ...stamp(command) }) }];
}

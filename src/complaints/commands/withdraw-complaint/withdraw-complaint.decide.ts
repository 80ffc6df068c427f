import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { ensureOpen } from '../../domain/complaint.rules';
import type { ComplaintCase } from '../../domain/complaint.state';

export type WithdrawComplaint = ComplaintCommandOf<'WithdrawComplaint', { reason?: string }>;

export function decideWithdrawComplaint(command: WithdrawComplaint, state: ComplaintCase): ComplaintEvent[] {
  ensureOpen(state);
  return [{ type: 'ComplaintWithdrawn', data: present({ reason: command.data.reason, ...stamp(command) }) }];
}

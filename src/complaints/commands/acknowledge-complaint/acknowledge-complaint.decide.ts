import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { ensureOpen } from '../../domain/complaint.rules';
import type { ComplaintCase } from '../../domain/complaint.state';
import type { Channel } from '../../domain/complaint.vocabulary';

export type AcknowledgeComplaint = ComplaintCommandOf<'AcknowledgeComplaint', { channel: Channel; message: string }>;

export function decideAcknowledgeComplaint(command: AcknowledgeComplaint, state: ComplaintCase): ComplaintEvent[] {
  ensureOpen(state);
  return [{ type: 'ComplaintAcknowledged', data: { channel: command.data.channel, message: command.data.message, ...stamp(command) } }];
}

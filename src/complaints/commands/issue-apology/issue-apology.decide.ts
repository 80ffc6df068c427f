import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import type { Channel } from '../../domain/complaint.vocabulary';

export type IssueApology = ComplaintCommandOf<'IssueApology', { channel: Channel; message: string }>;

export function decideIssueApology(command: IssueApology): ComplaintEvent[] {
  return [{ type: 'ApologyIssued', data: { channel: command.data.channel, message: command.data.message, ...stamp(command) } }];
}

import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import type { Channel, ContactDirection } from '../../domain/complaint.vocabulary';

export type LogCustomerContact = ComplaintCommandOf<
  'LogCustomerContact',
  { direction: ContactDirection; channel: Channel; summary: string }
>;

export function decideLogCustomerContact(command: LogCustomerContact): ComplaintEvent[] {
  const { direction, channel, summary } = command.data;
  return [{ type: 'CustomerContactLogged', data: { direction, channel, summary, ...stamp(command) } }];
}

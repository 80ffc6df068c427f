import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { ensureAwaitingApproval, ensureSecondPerson, ensureSupervisor, existingOffer } from '../../domain/complaint.rules';
import type { ComplaintCase } from '../../domain/complaint.state';

export type DeclineGoodwill = ComplaintCommandOf<'DeclineGoodwill', { offerId: string; reason: string }>;

export function decideDeclineGoodwill(command: DeclineGoodwill, state: ComplaintCase): ComplaintEvent[] {
  ensureSupervisor(command.by);
  const offer = existingOffer(state, command.data.offerId);
  ensureAwaitingApproval(offer);
  ensureSecondPerson(command.by, offer);
  return [{ type: 'GoodwillRejected', data: { offerId: command.data.offerId, reason: command.data.reason, ...stamp(command) } }];
}

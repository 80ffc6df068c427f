import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { ensureAwaitingApproval, ensureSecondPerson, ensureSupervisor, existingOffer } from '../../domain/complaint.rules';
import type { ComplaintCase } from '../../domain/complaint.state';

export type ApproveGoodwill = ComplaintCommandOf<'ApproveGoodwill', { offerId: string; note?: string }>;

export function decideApproveGoodwill(command: ApproveGoodwill, state: ComplaintCase): ComplaintEvent[] {
  ensureSupervisor(command.by);
  const offer = existingOffer(state, command.data.offerId);
  ensureAwaitingApproval(offer);
  ensureSecondPerson(command.by, offer);
  return [{ type: 'GoodwillApproved', data: present({ offerId: command.data.offerId, note: command.data.note, ...stamp(command) }) }];
}

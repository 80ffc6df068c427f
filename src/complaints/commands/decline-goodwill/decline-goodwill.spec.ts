import { DomainRuleViolation, NotFoundError } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import type { Actor } from '../../../kernel/actor';
import { complaintDecider } from '../../domain/complaint.decider';
import {
  AGENT,
  approvalRequested,
  SUPERVISOR,
  command,
  event,
  justifiedCase,
  offered,
  pendingOffer,
} from '../../domain/complaint.test-fixtures';
import type { ComplaintEvent } from '../../domain/complaint.events';

const spec = DeciderSpecification.for(complaintDecider());

describe('DeclineGoodwill', () => {
  const decline = (by: Actor = SUPERVISOR, offerId = 'offer-1') => command('DeclineGoodwill', { offerId, reason: 'Too generous' }, { by });

  it('a supervisor declines an offer awaiting approval', () =>
    spec
      .given([...justifiedCase(), ...pendingOffer()])
      .when(decline())
      .then([event('GoodwillRejected', { offerId: 'offer-1', reason: 'Too generous' }, { by: SUPERVISOR })]));

  it('refuses a decline by an agent', () =>
    spec
      .given([...justifiedCase(), ...pendingOffer()])
      .when(decline(AGENT))
      .thenThrows(DomainRuleViolation, 'approval-needs-supervisor'));

  it('refuses an offer not awaiting approval', () =>
    spec
      .given([...justifiedCase(), offered('offer-1', 100)])
      .when(decline())
      .thenThrows(DomainRuleViolation, 'offer-not-awaiting-approval'));

  it('refuses an unknown offer as not found', () =>
    spec.given(justifiedCase()).when(decline(SUPERVISOR, 'offer-x')).thenThrows(NotFoundError));
});

describe('DeclineGoodwill: four eyes', () => {
  const OTHER_SUPERVISOR: Actor = { id: 'supervisor-kim', role: 'supervisor' };
  /** A supervisor's own offer above the supervisor's limit: another supervisor must judge it. */
  const supervisorsOwnOffer = (): ComplaintEvent[] => [
    offered('offer-1', 900_000, 'coupon', { by: SUPERVISOR }),
    approvalRequested('offer-1', 50_000, { by: SUPERVISOR }),
  ];
  const judge = (by: Actor) => command('DeclineGoodwill', { offerId: 'offer-1', reason: 'Too much' }, { by });

  it('refuses the supervisor who made the offer', () =>
    spec
      .given([...justifiedCase(), ...supervisorsOwnOffer()])
      .when(judge(SUPERVISOR))
      .thenThrows(DomainRuleViolation, 'approval-needs-second-person'));

  it('lets another supervisor judge it, and records who did', () =>
    spec
      .given([...justifiedCase(), ...supervisorsOwnOffer()])
      .when(judge(OTHER_SUPERVISOR))
      .then([event('GoodwillRejected', { offerId: 'offer-1', reason: 'Too much' }, { by: OTHER_SUPERVISOR })]));
});

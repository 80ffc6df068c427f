import { DomainRuleViolation, NotFoundError } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import type { Actor } from '../../../kernel/actor';
import { complaintDecider } from '../../domain/complaint.decider';
import {
  AGENT,
  approvalRequested,
  CUSTOMER,
  SUPERVISOR,
  approved,
  command,
  event,
  justifiedCase,
  offered,
  pendingOffer,
} from '../../domain/complaint.test-fixtures';
import type { ComplaintEvent } from '../../domain/complaint.events';

const spec = DeciderSpecification.for(complaintDecider());

describe('ApproveGoodwill', () => {
  const approve = (by: Actor = SUPERVISOR, offerId = 'offer-1') => command('ApproveGoodwill', { offerId, note: 'Fair' }, { by });

  it('a supervisor approves an offer awaiting approval', () =>
    spec
      .given([...justifiedCase(), ...pendingOffer()])
      .when(approve())
      .then([event('GoodwillApproved', { offerId: 'offer-1', note: 'Fair' }, { by: SUPERVISOR })]));

  it.each([AGENT, CUSTOMER])('refuses approval by a(n) $role', (by) =>
    spec
      .given([...justifiedCase(), ...pendingOffer()])
      .when(approve(by))
      .thenThrows(DomainRuleViolation, 'approval-needs-supervisor'),
  );

  it('refuses an offer that was approved as made', () =>
    spec
      .given([...justifiedCase(), offered('offer-1', 100)])
      .when(approve())
      .thenThrows(DomainRuleViolation, 'offer-not-awaiting-approval'));

  it('refuses an offer already approved', () =>
    spec
      .given([...justifiedCase(), ...pendingOffer(), approved()])
      .when(approve())
      .thenThrows(DomainRuleViolation, 'offer-not-awaiting-approval'));

  it('refuses an unknown offer as not found', () =>
    spec
      .given(justifiedCase())
      .when(approve(SUPERVISOR, 'offer-x'))
      .thenThrows(NotFoundError, (error) => expect(error.message).toBe('Goodwill offer offer-x does not exist on this case.')));
});

describe('ApproveGoodwill: four eyes', () => {
  const OTHER_SUPERVISOR: Actor = { id: 'supervisor-kim', role: 'supervisor' };
  /** A supervisor's own offer above the supervisor's limit: another supervisor must judge it. */
  const supervisorsOwnOffer = (): ComplaintEvent[] => [
    offered('offer-1', 900_000, 'coupon', { by: SUPERVISOR }),
    approvalRequested('offer-1', 50_000, { by: SUPERVISOR }),
  ];
  const judge = (by: Actor) => command('ApproveGoodwill', { offerId: 'offer-1', note: 'Fair' }, { by });

  it('refuses the supervisor who made the offer', () =>
    spec
      .given([...justifiedCase(), ...supervisorsOwnOffer()])
      .when(judge(SUPERVISOR))
      .thenThrows(DomainRuleViolation, 'approval-needs-second-person'));

  it('lets another supervisor judge it, and records who did', () =>
    spec
      .given([...justifiedCase(), ...supervisorsOwnOffer()])
      .when(judge(OTHER_SUPERVISOR))
      .then([event('GoodwillApproved', { offerId: 'offer-1', note: 'Fair' }, { by: OTHER_SUPERVISOR })]));
});

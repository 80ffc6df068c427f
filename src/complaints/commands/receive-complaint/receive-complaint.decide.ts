import { Ensure, ruleBook } from '../../../core/errors';
import type { ComplaintPolicy } from '../../domain/complaint-policy';
import { deadlinesOnReceipt, policyFor, summaryResolutionEndsAt } from '../../domain/deadline-policies';
import type { Money } from '../../../kernel/money';
import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent, CustomerContact } from '../../domain/complaint.events';
import { millis } from '../../domain/complaint.rules';
import { caseExists, type ComplaintState, type NoComplaintCase } from '../../domain/complaint.state';
import type { AsicComplaintType, Channel, Regime } from '../../domain/complaint.vocabulary';

export type ReceiveComplaint = ComplaintCommandOf<
  'ReceiveComplaint',
  {
    caseId: string;
    customerId: string;
    channel: Channel;
    summary: string;
    details?: string;
    remedySought?: string;
    /** How to reach the customer; only the parts they gave. */
    contact?: CustomerContact;
    orderRef?: string;
    /** An earlier case this complaint follows on from (a withdrawn complaint is not reopened: a new one is received). */
    relatedCaseId?: string;
    orderValue?: Money;
    regime: Regime;
    /** When the customer complained; defaults to `at`. Never in the future. */
    receivedAt?: string;
    /** FCA: a payment-services or e-money complaint (DISP 1.6.2AR: final response within 15 business days). */
    paymentServices?: boolean;
    /** ASIC: a complaint type with its own maximum IDR timeframe (RG 271: 21 or 45 calendar days). */
    asicComplaintType?: AsicComplaintType;
  }
>;

export const RECEIVE_COMPLAINT_RULES = {
  'case-already-received': 'A complaint is received once: this case already exists.',
  'received-in-future': 'A complaint cannot be received later than the moment it is recorded.',
  'payment-services-not-in-regime':
    "Payment-services complaints have their own deadline under the FCA (DISP 1.6.2AR) only: the case's regime sets none.",
  'complaint-type-not-in-regime':
    "Complaint types with their own maximum IDR timeframe (default notices, hardship, postponement requests: 21 days; superannuation trustees: 45 days) are ASIC's (RG 271) only: the case's regime sets none.",
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof RECEIVE_COMPLAINT_RULES> = ruleBook(RECEIVE_COMPLAINT_RULES).ensure;

export function ensureNewCase(state: ComplaintState): asserts state is NoComplaintCase {
  ensure(!caseExists(state), 'case-already-received');
}

export function ensureReceivedNotInFuture(receivedAt: string, at: string): void {
  ensure(millis(receivedAt) <= millis(at), 'received-in-future');
}

/** `true` for a payment-services complaint (under a regime that sets its deadline apart), else absent. */
function paymentServicesOf({ regime, paymentServices }: ReceiveComplaint['data'], receivedAt: string): true | undefined {
  if (!paymentServices) return undefined;
  const version = policyFor(regime, receivedAt);
  ensure(version.paymentServicesFinalResponse !== undefined, 'payment-services-not-in-regime', `The case follows ${version.version}.`);
  return true;
}

/** The ASIC complaint type, under a regime whose policy gives it its own IDR timeframe. */
function asicComplaintTypeOf({ regime, asicComplaintType }: ReceiveComplaint['data'], receivedAt: string): AsicComplaintType | undefined {
  if (asicComplaintType === undefined) return undefined;
  const version = policyFor(regime, receivedAt);
  ensure(version.idrTimeframes !== undefined, 'complaint-type-not-in-regime', `The case follows ${version.version}.`);
  return asicComplaintType;
}

/** Opens the case: the one decision taken on a stream that has no case yet. */
export function decideReceiveComplaint(command: ReceiveComplaint, state: ComplaintState, policy: ComplaintPolicy): ComplaintEvent[] {
  ensureNewCase(state);
  const receivedAt = command.data.receivedAt ?? command.at;
  ensureReceivedNotInFuture(receivedAt, command.at);
  const { caseId, customerId, channel, summary, details, remedySought, orderRef, relatedCaseId, orderValue, regime } = command.data;
  const contact = command.data.contact && present(command.data.contact);
  return [
    {
      type: 'ComplaintReceived',
      data: present({
        caseId,
        customerId,
        channel,
        summary,
        details,
        remedySought,
        contact: contact && Object.keys(contact).length > 0 ? contact : undefined,
        orderRef,
        relatedCaseId,
        orderValue,
        regime,
        receivedAt,
        paymentServices: paymentServicesOf(command.data, receivedAt),
        asicComplaintType: asicComplaintTypeOf(command.data, receivedAt),
        deadlines: deadlinesOnReceipt(
          regime,
          receivedAt,
          { settings: policy.calendars },
          { paymentServices: command.data.paymentServices, asicComplaintType: command.data.asicComplaintType },
        ),
        summaryResolutionEndsAt: summaryResolutionEndsAt(
          { regime, receivedAt, policyVersion: policyFor(regime, receivedAt).version },
          { settings: policy.calendars },
        ),
        ...stamp(command),
      }),
    },
  ];
}

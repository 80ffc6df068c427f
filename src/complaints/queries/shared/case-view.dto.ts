import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiInteger, ApiIntegerOptional, ApiNullable } from '../../../core/http/openapi-shapes';
import { ACTOR_ROLES, type Actor, type ActorRole } from '../../../kernel/actor';
import type { Money } from '../../../kernel/money';
import { VULNERABILITY_REASONS } from '../../../kernel/vulnerability';
import { GOODWILL_OFFER_STATUSES, type GoodwillOfferStatus } from '../../domain/complaint.state';
import {
  ASIC_COMPLAINT_TYPES,
  CHANNELS,
  CLOSE_REASONS,
  CONTACT_DIRECTIONS,
  GOODWILL_KINDS,
  DEADLINE_EXCEPTION_GROUNDS,
  FIVE_DAY_ROUTE_BASES,
  HARDSHIP_MATTERS,
  JUSTIFIED,
  OUTCOMES,
  REGIMES,
  ROOT_CAUSES,
  SEVERITIES,
  WRITTEN_IDR_RESPONSE_MATTERS,
  type AsicComplaintType,
  type Channel,
  type CloseReason,
  type ContactDirection,
  type DeadlineExceptionGround,
  type FiveDayRouteBasis,
  type GoodwillKind,
  type HardshipMatter,
  type Justified,
  type Outcome,
  type Regime,
  type RootCause,
  type Severity,
  type WrittenIdrResponseMatter,
} from '../../domain/complaint.vocabulary';
import { DEADLINE_KINDS, type DeadlineKind } from '../../domain/deadline-policies';
import { RESCHEDULE_BASES, type CaseDeadlineStatus, type RescheduleBasis } from '../../domain/deadlines';
import type { CaseDisplayStatus, CaseView, DeadlineView, GoodwillOfferView } from '../../projections/case-view/case-view';
import type { CustomerCases } from '../customer-cases/customer-cases.query';
import type { CasePage } from '../list-cases/list-cases.query';
import type { CaseSummary } from './case-summary';

/**
 * The read models of cases as the API document describes them. Each class implements the read
 * model's own type, so the compiler refuses a document that leaves out or mistypes a field.
 */

export const CASE_DISPLAY_STATUSES: readonly CaseDisplayStatus[] = [
  'received',
  'acknowledged',
  'in-progress',
  'resolved',
  'closed',
  'withdrawn',
];
const DEADLINE_STATUSES: readonly CaseDeadlineStatus[] = ['pending', 'met', 'breached', 'cancelled', 'excepted'];
const CASE_ID_EXAMPLE = '0b8a5f0e-7c4e-5d0b-9a43-1f2e3d4c5b6a';
const INSTANT = { format: 'date-time', example: '2026-11-23T09:15:00.000Z' } as const;

export class ActorDto implements Actor {
  @ApiProperty({ example: 'agent-7' }) id!: string;
  @ApiProperty({ enum: ACTOR_ROLES, example: 'agent' }) role!: ActorRole;
}

export class MoneyViewDto implements Money {
  @ApiInteger({ description: 'Integer minor units', example: 4999 }) amount!: number;
  @ApiProperty({ example: 'GBP' }) currency!: string;
}

class ContactDetailsDto {
  @ApiPropertyOptional({ example: 'Ada Lovelace' }) name?: string;
  @ApiPropertyOptional({ example: 'ada@example.com' }) email?: string;
  @ApiPropertyOptional({ example: '+44 20 7946 0958' }) phone?: string;
}

class AssigneeDto {
  @ApiProperty({ example: 'agent-7' }) agentId!: string;
  @ApiPropertyOptional({ example: 'returns' }) team?: string;
}

class ContactLogDto {
  @ApiProperty({ enum: CONTACT_DIRECTIONS }) direction!: ContactDirection;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty({ example: 'Called the customer to say sorry and gather details' }) summary!: string;
  @ApiProperty(INSTANT) at!: string;
  @ApiProperty({ type: ActorDto }) by!: ActorDto;
}

class MessageDto {
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty({ example: 'We are sorry your parcel was left in the rain.' }) message!: string;
  @ApiProperty(INSTANT) at!: string;
  @ApiProperty({ type: ActorDto }) by!: ActorDto;
}

class PlanViewDto {
  @ApiProperty({ example: 'plan-1' }) planId!: string;
  @ApiProperty({ type: [String], example: ['Send a replacement lamp', 'Refund the delivery charge'] }) actions!: string[];
  @ApiProperty(INSTANT) dueBy!: string;
  @ApiProperty({ enum: ['pending', 'accepted', 'rejected'] }) response!: 'pending' | 'accepted' | 'rejected';
  @ApiPropertyOptional() comment?: string;
  @ApiProperty(INSTANT) communicatedAt!: string;
}

export class GoodwillOfferViewDto implements GoodwillOfferView {
  @ApiProperty({ example: 'offer-2026-0001' }) offerId!: string;
  @ApiProperty({ enum: GOODWILL_KINDS }) kind!: GoodwillKind;
  @ApiInteger({ description: 'Integer minor units', example: 1500 }) amount!: number;
  @ApiProperty({ example: 'GBP' }) currency!: string;
  @ApiProperty() withoutAdmission!: boolean;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ enum: GOODWILL_OFFER_STATUSES }) status!: GoodwillOfferStatus;
  @ApiProperty({ description: "Above the offering actor's authority: waits for a supervisor" }) needsApproval!: boolean;
  @ApiProperty({ type: ActorDto }) offeredBy!: ActorDto;
  @ApiProperty(INSTANT) offeredAt!: string;
  @ApiPropertyOptional({ type: ActorDto }) decidedBy?: ActorDto;
  @ApiPropertyOptional(INSTANT) fulfilledAt?: string;
  @ApiPropertyOptional({ example: 'refund-88213' }) reference?: string;
}

class GoodwillViewDto {
  @ApiProperty({ type: [GoodwillOfferViewDto] }) offers!: GoodwillOfferViewDto[];
  @ApiProperty({ type: [MoneyViewDto], description: 'Accepted or fulfilled goodwill, summed per currency' }) granted!: MoneyViewDto[];
}

class SystemFixViewDto {
  @ApiProperty({ example: 'fix-1' }) fixId!: string;
  @ApiProperty() description!: string;
  @ApiProperty() procedureChange!: string;
  @ApiProperty(INSTANT) effectiveFrom!: string;
  @ApiProperty() customerNotified!: boolean;
  @ApiProperty(INSTANT) at!: string;
}

class ResolutionViewDto {
  @ApiProperty({ example: 'Replacement sent and delivery charge refunded' }) resolution!: string;
  @ApiProperty({ enum: OUTCOMES }) outcome!: Outcome;
  @ApiProperty(INSTANT) at!: string;
  @ApiPropertyOptional({
    enum: FIVE_DAY_ROUTE_BASES,
    description: 'ASIC (RG 271): why a complaint closed within 5 business days needed no written IDR response',
  })
  fiveDayRouteBasis?: FiveDayRouteBasis;
  @ApiPropertyOptional({ enum: [true], description: 'ASIC: the complainant asked for a written IDR response' })
  writtenResponseRequested?: true;
  @ApiPropertyOptional({ enum: HARDSHIP_MATTERS, description: 'ASIC: the complaint is about financial hardship' })
  hardshipMatter?: HardshipMatter;
  @ApiPropertyOptional({
    enum: WRITTEN_IDR_RESPONSE_MATTERS,
    description:
      "ASIC: the complaint is about a declined insurance claim, an insurance claim's value or a superannuation trustee's decision",
  })
  writtenResponseMatter?: WrittenIdrResponseMatter;
}

class FollowUpViewDto {
  @ApiProperty() satisfied!: boolean;
  @ApiInteger({ minimum: 1, maximum: 5, example: 5 }) csat!: number;
  @ApiIntegerOptional({ minimum: 0, maximum: 10, example: 9 }) nps?: number;
  @ApiPropertyOptional() comment?: string;
  @ApiProperty(INSTANT) at!: string;
}

class CloseViewDto {
  @ApiProperty({ enum: CLOSE_REASONS }) reason!: CloseReason;
  @ApiPropertyOptional() note?: string;
}

class WithdrawalViewDto {
  @ApiPropertyOptional() reason?: string;
}

class CaseTimestampsDto {
  @ApiProperty(INSTANT) receivedAt!: string;
  @ApiPropertyOptional(INSTANT) acknowledgedAt?: string;
  @ApiPropertyOptional(INSTANT) firstContactAt?: string;
  @ApiPropertyOptional({ ...INSTANT, description: 'First apology, explanation, plan or resolution' }) firstResponseAt?: string;
  @ApiPropertyOptional(INSTANT) resolvedAt?: string;
  @ApiPropertyOptional(INSTANT) closedAt?: string;
  @ApiPropertyOptional(INSTANT) withdrawnAt?: string;
  @ApiProperty(INSTANT) updatedAt!: string;
}

class DeadlineExceptionDto {
  @ApiProperty(INSTANT) at!: string;
  @ApiProperty({ enum: DEADLINE_EXCEPTION_GROUNDS }) ground!: DeadlineExceptionGround;
  @ApiProperty() reason!: string;
  @ApiPropertyOptional({ description: 'The case this one duplicates, for the duplicate ground' }) reference?: string;
}

class IdrDelayNoticeDto {
  @ApiProperty({ example: 'We are waiting for the merchant’s records', description: 'Why the IDR response is late' }) reasons!: string;
  @ApiProperty({ ...INSTANT, description: 'When the firm expects to give its IDR response' }) expectedBy!: string;
  @ApiProperty(INSTANT) at!: string;
  @ApiProperty({ type: ActorDto }) by!: ActorDto;
}

class ReschedulingDto {
  @ApiProperty({ ...INSTANT, description: 'The due instant it had' }) dueAt!: string;
  @ApiProperty({ example: 'FCA@2026-11', description: 'The policy version that set that due instant' }) policyVersion!: string;
  @ApiProperty({ ...INSTANT, description: 'When it stopped applying' }) until!: string;
  @ApiProperty({ enum: RESCHEDULE_BASES, description: 'What moved it' }) by!: RescheduleBasis;
}

export class DeadlineViewDto implements DeadlineView {
  @ApiProperty({ enum: DEADLINE_KINDS }) kind!: DeadlineKind;
  @ApiProperty(INSTANT) dueAt!: string;
  @ApiProperty({ example: 'FCA-DISP-2026' }) policyVersion!: string;
  @ApiProperty({ enum: DEADLINE_STATUSES }) status!: CaseDeadlineStatus;
  @ApiPropertyOptional({ ...INSTANT, description: 'When it was answered (the first event that meets it), on time or late' })
  answeredAt?: string;
  @ApiPropertyOptional({ enum: [true], description: 'Present when the answer came after the due instant' }) late?: true;
  @ApiPropertyOptional(INSTANT) breachedAt?: string;
  @ApiPropertyOptional({ description: "True once a DeadlineBreached event records the breach in the case's history" })
  breachRecorded?: boolean;
  @ApiPropertyOptional({ ...INSTANT, description: 'The due instant before a holding reply extended it (FCA payment services)' })
  extendedFrom?: string;
  @ApiPropertyOptional({
    ...INSTANT,
    description: "While a vulnerable customer's shortened target brings it forward, the regime's own due instant",
  })
  shortenedFrom?: string;
  @ApiPropertyOptional({ type: [ReschedulingDto], description: 'The due instants it had before, oldest first (none is rewritten)' })
  rescheduled?: ReschedulingDto[];
  @ApiPropertyOptional({ type: DeadlineExceptionDto, description: 'The documented regulatory exception that ended it' })
  exception?: DeadlineExceptionDto;
}

class ResolutionEntryDto extends ResolutionViewDto {
  @ApiProperty({ description: 'The resolution the case stands on now (none after a reopen)' }) current!: boolean;
}

class FollowUpEntryDto extends FollowUpViewDto {
  @ApiProperty({ description: 'The latest follow-up of the current resolution' }) current!: boolean;
}

class PlanEntryDto extends PlanViewDto {
  @ApiProperty({ description: 'The plan the case follows now' }) current!: boolean;
}

class EscalationEntryDto {
  @ApiInteger({ minimum: 1, example: 1 }) level!: number;
  @ApiProperty({ example: 'Customer asked for a manager' }) reason!: string;
  @ApiPropertyOptional({ example: 'complaints-escalations' }) team?: string;
  @ApiProperty(INSTANT) at!: string;
  @ApiProperty({ type: ActorDto }) by!: ActorDto;
}

class ReopeningEntryDto {
  @ApiProperty({ example: 'Customer says the replacement never arrived' }) reason!: string;
  @ApiProperty(INSTANT) at!: string;
  @ApiProperty({ type: ActorDto }) by!: ActorDto;
}

class SummaryResolutionDto {
  @ApiProperty({ ...INSTANT, description: 'Close of the 3rd business day after receipt (FCA DISP 1.5; ASIC: 5 business days)' })
  windowEndsAt!: string;
  @ApiProperty({ description: 'Resolved within the window' }) qualifies!: boolean;
  @ApiPropertyOptional({ ...INSTANT, description: 'When the summary resolution communication was sent' }) communicationSentAt?: string;
}

/** GET /cases/{caseId}: everything an agent desk shows of a case. */
/** A customer's own vulnerability flag (POST /customers/{customerId}/vulnerability), shown on each of their cases. */
class CustomerVulnerabilityDto {
  @ApiProperty({ enum: VULNERABILITY_REASONS, description: 'The FCA FG21/1 driver' }) reason!: string;
  @ApiProperty(INSTANT) flaggedAt!: string;
}

export class CaseViewDto implements CaseView {
  @ApiProperty({ example: CASE_ID_EXAMPLE }) caseId!: string;
  @ApiProperty({ example: 'cust-10293' }) customerId!: string;
  @ApiProperty({ enum: CASE_DISPLAY_STATUSES, description: 'received → acknowledged → in-progress → resolved → closed; or withdrawn' })
  status!: CaseDisplayStatus;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty({ enum: REGIMES }) regime!: Regime;
  @ApiProperty({ example: 'Parcel arrived damaged and left outside in the rain' }) summary!: string;
  @ApiPropertyOptional() details?: string;
  @ApiPropertyOptional() remedySought?: string;
  @ApiPropertyOptional({ type: ContactDetailsDto, description: 'Personal data: `[erased]` once the customer is erased' })
  contact?: ContactDetailsDto;
  @ApiPropertyOptional({ example: 'order-55812' }) orderRef?: string;
  @ApiPropertyOptional({ description: 'An earlier case this complaint follows on from (e.g. one the customer withdrew)' })
  relatedCaseId?: string;
  @ApiPropertyOptional({ type: MoneyViewDto }) orderValue?: MoneyViewDto;
  @ApiPropertyOptional({ example: 'delivery' }) category?: string;
  @ApiPropertyOptional({ enum: SEVERITIES }) severity?: Severity;
  @ApiPropertyOptional({ enum: JUSTIFIED }) justified?: Justified;
  @ApiPropertyOptional({ enum: ROOT_CAUSES }) rootCause?: RootCause;
  @ApiPropertyOptional() findings?: string;
  @ApiPropertyOptional({ description: 'The two-level root-cause code of the latest assessment', example: 'delivery/late' })
  causeCode?: string;
  @ApiPropertyOptional({
    description: 'The root-cause taxonomy version the code was checked against (GET /taxonomy lists every version)',
    example: 'taxonomy@2026-01',
  })
  taxonomyVersion?: string;
  @ApiPropertyOptional({ type: AssigneeDto }) assignee?: AssigneeDto;
  @ApiInteger({ minimum: 0, example: 0 }) escalationLevel!: number;
  @ApiProperty({ type: [ContactLogDto] }) contacts!: ContactLogDto[];
  @ApiProperty({ type: [MessageDto] }) apologies!: MessageDto[];
  @ApiProperty({ type: [MessageDto] }) explanations!: MessageDto[];
  @ApiPropertyOptional({ type: PlanViewDto }) plan?: PlanViewDto;
  @ApiProperty({ type: GoodwillViewDto }) goodwill!: GoodwillViewDto;
  @ApiProperty({ type: [SystemFixViewDto] }) systemFixes!: SystemFixViewDto[];
  @ApiPropertyOptional({ type: ResolutionViewDto }) resolution?: ResolutionViewDto;
  @ApiPropertyOptional({ type: FollowUpViewDto }) followUp?: FollowUpViewDto;
  @ApiProperty({ type: [ResolutionEntryDto], description: 'Every resolution, newest last' }) resolutions!: ResolutionEntryDto[];
  @ApiProperty({ type: [FollowUpEntryDto], description: "Every follow-up, newest last: an unsatisfied customer's word stays visible" })
  followUps!: FollowUpEntryDto[];
  @ApiProperty({ type: [PlanEntryDto], description: 'Every resolution plan communicated, newest last' }) plans!: PlanEntryDto[];
  @ApiProperty({ type: [EscalationEntryDto], description: 'Every escalation, newest last' }) escalations!: EscalationEntryDto[];
  @ApiProperty({ type: [ReopeningEntryDto], description: 'Every reopen, newest last' }) reopenings!: ReopeningEntryDto[];
  @ApiPropertyOptional({ type: CloseViewDto }) close?: CloseViewDto;
  @ApiPropertyOptional({ type: WithdrawalViewDto }) withdrawal?: WithdrawalViewDto;
  @ApiInteger({ minimum: 0, example: 0 }) reopenCount!: number;
  @ApiProperty({ type: CaseTimestampsDto }) timestamps!: CaseTimestampsDto;
  @ApiPropertyOptional({ example: 'FCA@2026-11', description: 'The deadline policy version the case follows (recorded at receipt)' })
  policyVersion?: string;
  @ApiPropertyOptional({ enum: [true], description: 'FCA payment-services complaint (15 business days, DISP 1.6.2AR)' })
  paymentServices?: true;
  @ApiPropertyOptional({
    enum: ASIC_COMPLAINT_TYPES,
    description: 'ASIC: a complaint type with its own maximum IDR timeframe (RG 271: 21 or 45 calendar days)',
  })
  asicComplaintType?: AsicComplaintType;
  @ApiPropertyOptional({ type: SummaryResolutionDto }) summaryResolution?: SummaryResolutionDto;
  @ApiPropertyOptional({ type: [IdrDelayNoticeDto], description: 'ASIC: the IDR delay notifications sent (RG 271), oldest first' })
  idrDelayNotices?: IdrDelayNoticeDto[];
  @ApiProperty({ type: [DeadlineViewDto] }) deadlines!: DeadlineViewDto[];
  @ApiProperty({ description: 'True once any deadline was breached' }) breached!: boolean;
  @ApiInteger({ minimum: 0, description: 'The case stream revision this view reflects (also its ETag)', example: 3 }) revision!: number;
  @ApiInteger({ description: 'Global log position of the last event folded in', example: 42 }) position!: number;
  @ApiPropertyOptional({
    type: CustomerVulnerabilityDto,
    description: "The customer's own vulnerability flag, while it stands: the case counts as vulnerable with it or with its own flag",
  })
  customerVulnerability?: CustomerVulnerabilityDto;
}

/** A case in a list or on a customer's page; the full view is one GET away. */
export class CaseSummaryDto implements CaseSummary {
  @ApiProperty({ example: CASE_ID_EXAMPLE }) caseId!: string;
  @ApiProperty({ example: 'cust-10293' }) customerId!: string;
  @ApiProperty({ enum: CASE_DISPLAY_STATUSES }) status!: CaseDisplayStatus;
  @ApiProperty({ enum: CHANNELS }) channel!: Channel;
  @ApiProperty({ enum: REGIMES }) regime!: Regime;
  @ApiProperty({ example: 'Parcel arrived damaged and left outside in the rain' }) summary!: string;
  @ApiPropertyOptional({ example: 'delivery' }) category?: string;
  @ApiPropertyOptional({ enum: SEVERITIES }) severity?: Severity;
  @ApiPropertyOptional({ enum: JUSTIFIED }) justified?: Justified;
  @ApiPropertyOptional({ enum: ROOT_CAUSES }) rootCause?: RootCause;
  @ApiInteger({ minimum: 0, example: 0 }) escalationLevel!: number;
  @ApiProperty() breached!: boolean;
  @ApiInteger({ minimum: 0, example: 0 }) reopenCount!: number;
  @ApiInteger({ minimum: 0, example: 3 }) revision!: number;
  @ApiPropertyOptional({ description: 'Agent id', example: 'agent-7' }) assignee?: string;
  @ApiPropertyOptional({
    enum: VULNERABILITY_REASONS,
    description: "The FG21/1 reason while the case is flagged vulnerable, else its customer's own while they are",
  })
  vulnerable?: string;
  @ApiPropertyOptional({ enum: OUTCOMES }) outcome?: string;
  @ApiPropertyOptional() satisfied?: boolean;
  @ApiIntegerOptional({ minimum: 1, maximum: 5 }) csat?: number;
  @ApiProperty(INSTANT) receivedAt!: string;
  @ApiPropertyOptional(INSTANT) resolvedAt?: string;
  @ApiPropertyOptional(INSTANT) closedAt?: string;
  @ApiProperty(INSTANT) updatedAt!: string;
}

/** GET /cases: one page of summaries. */
export class CasePageDto implements CasePage {
  @ApiProperty({ type: [CaseSummaryDto] }) items!: CaseSummaryDto[];
  @ApiNullable({
    type: String,
    description: 'Pass as `cursor` for the next page (also in the `Link: <…>; rel="next"` header); null on the last page',
    example: 'eyJzb3J0IjoiLXJlY2VpdmVkQXQiLCJ2YWx1ZSI6IjIwMjYtMTEtMjNUMDk6MTU6MDAuMDAwWiIsImlkIjoiY2FzZS0xIn0',
  })
  nextCursor!: string | null;
}

class CustomerTotalsDto {
  @ApiInteger({ minimum: 0 }) cases!: number;
  @ApiInteger({ minimum: 0 }) open!: number;
  @ApiInteger({ minimum: 0 }) resolved!: number;
  @ApiInteger({ minimum: 0 }) closed!: number;
  @ApiInteger({ minimum: 0 }) withdrawn!: number;
  @ApiInteger({ minimum: 0 }) satisfied!: number;
  @ApiInteger({ minimum: 0 }) notSatisfied!: number;
  @ApiInteger({ minimum: 0 }) reopened!: number;
}

/** GET /customers/{customerId}: the customer's complaints and how each ended. */
export class CustomerCasesDto implements CustomerCases {
  @ApiProperty({ example: 'cust-10293' }) customerId!: string;
  @ApiPropertyOptional({ type: CustomerVulnerabilityDto, description: "The customer's own vulnerability flag, while it stands" })
  vulnerability?: CustomerVulnerabilityDto;
  @ApiProperty({ type: CustomerTotalsDto }) totals!: CustomerTotalsDto;
  @ApiProperty({ type: [CaseSummaryDto], description: 'Oldest first' }) cases!: CaseSummaryDto[];
}

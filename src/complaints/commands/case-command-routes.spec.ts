import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { CASE_COMMAND_ROUTES as CASE_ACTIONS, type CaseCommandRoute as CaseAction } from '../../../test/support/case-command-routes';
import type { Unissued } from '../../core/http/stream-commands';
import type { ComplaintCommand } from '../domain/complaint.decider';
import { ReceiveComplaintDto, toReceiveComplaintData } from './receive-complaint/receive-complaint.http';

type UnissuedCommand = Unissued<ComplaintCommand>;

type Body = Record<string, unknown>;

/** The metadata keys @nestjs/swagger stores ApiProperty options under (its constants are not exported). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';
const API_MODEL_PROPERTIES_ARRAY = 'swagger/apiModelPropertiesArray';

/** `[what is wrong, body, the property the error must name]` */
type Invalid = readonly [label: string, body: Body, property: string];

interface ActionCase {
  /** The `:offerId` path parameter, for routes that have one. */
  readonly offerId?: string;
  readonly valid: Body;
  readonly expected: UnissuedCommand;
  /** Further valid bodies and the command each must produce. */
  readonly alsoValid?: readonly (readonly [label: string, body: Body, expected: UnissuedCommand])[];
  readonly invalid: readonly Invalid[];
  readonly respondsWith?: Record<string, string>;
}

const long = (length: number) => 'x'.repeat(length);
const without = (body: Body, key: string): Body => Object.fromEntries(Object.entries(body).filter(([name]) => name !== key));

const contact = { direction: 'outbound', channel: 'phone', summary: 'Called the customer back about the damaged parcel.' } as const;
const assessment = {
  category: 'delivery',
  severity: 'medium',
  justified: 'yes',
  rootCause: 'one-off',
  findings: 'Courier left the parcel in the rain.',
} as const;
const plan = { actions: ['Send a replacement', 'Refund the delivery charge'], dueBy: '2026-11-30T17:00:00Z' };
const goodwill = { kind: 'partial-refund', amount: 1500, currency: 'GBP' } as const;
const fix = {
  description: 'Courier app ignored the signature flag.',
  procedureChange: 'No delivery without a signature when flagged.',
  effectiveFrom: '2026-12-01T00:00:00+01:00',
  customerNotified: true,
} as const;
const followUp = { satisfied: true, csat: 4 } as const;

const CASES: Record<string, ActionCase> = {
  acknowledgeComplaint: {
    valid: { channel: 'email', message: 'We have your complaint.' },
    expected: { type: 'AcknowledgeComplaint', data: { channel: 'email', message: 'We have your complaint.' } },
    invalid: [
      ['unknown channel', { channel: 'pigeon', message: 'Hi' }, 'channel'],
      ['missing message', { channel: 'email' }, 'message'],
      ['empty message', { channel: 'email', message: '' }, 'message'],
      ['message too long', { channel: 'email', message: long(5001) }, 'message'],
      ['unknown field', { channel: 'email', message: 'Hi', urgent: true }, 'urgent'],
    ],
  },
  logCustomerContact: {
    valid: contact,
    expected: { type: 'LogCustomerContact', data: contact },
    invalid: [
      ['unknown direction', { ...contact, direction: 'sideways' }, 'direction'],
      ['missing channel', without(contact, 'channel'), 'channel'],
      ['summary too long', { ...contact, summary: long(501) }, 'summary'],
      ['summary not text', { ...contact, summary: 42 }, 'summary'],
      ['unknown field', { ...contact, duration: 300 }, 'duration'],
    ],
  },
  assignCase: {
    valid: { agentId: 'agent-42' },
    expected: { type: 'AssignCase', data: { agentId: 'agent-42' } },
    alsoValid: [
      [
        'with a team',
        { agentId: 'agent-42', team: 'complaints-tier-1' },
        { type: 'AssignCase', data: { agentId: 'agent-42', team: 'complaints-tier-1' } },
      ],
    ],
    invalid: [
      ['missing agentId', {}, 'agentId'],
      ['agentId with spaces', { agentId: 'agent 42' }, 'agentId'],
      ['agentId too long', { agentId: long(129) }, 'agentId'],
      ['team with spaces', { agentId: 'agent-42', team: 'tier one' }, 'team'],
      ['unknown field', { agentId: 'agent-42', priority: 'high' }, 'priority'],
    ],
  },
  escalateCase: {
    valid: { reason: 'Third complaint about the same delivery.' },
    expected: { type: 'EscalateCase', data: { reason: 'Third complaint about the same delivery.' } },
    alsoValid: [
      [
        'with level and team',
        { reason: 'Needs a lead.', level: 10, team: 'complaints-tier-2' },
        { type: 'EscalateCase', data: { reason: 'Needs a lead.', level: 10, team: 'complaints-tier-2' } },
      ],
    ],
    invalid: [
      ['missing reason', { level: 2 }, 'reason'],
      ['level 0', { reason: 'r', level: 0 }, 'level'],
      ['level 11', { reason: 'r', level: 11 }, 'level'],
      ['fractional level', { reason: 'r', level: 1.5 }, 'level'],
      ['level as text', { reason: 'r', level: '2' }, 'level'],
      ['team with spaces', { reason: 'r', team: 'tier two' }, 'team'],
    ],
  },
  assessComplaint: {
    valid: assessment,
    expected: { type: 'AssessComplaint', data: assessment },
    alsoValid: [
      [
        'hyphenated category',
        { ...assessment, category: 'late-delivery-2' },
        { type: 'AssessComplaint', data: { ...assessment, category: 'late-delivery-2' } },
      ],
    ],
    invalid: [
      ['uppercase category', { ...assessment, category: 'Delivery' }, 'category'],
      ['category with spaces', { ...assessment, category: 'late delivery' }, 'category'],
      ['category with a double hyphen', { ...assessment, category: 'late--delivery' }, 'category'],
      ['category with a trailing hyphen', { ...assessment, category: 'delivery-' }, 'category'],
      ['empty category', { ...assessment, category: '' }, 'category'],
      ['category too long', { ...assessment, category: long(65) }, 'category'],
      ['unknown severity', { ...assessment, severity: 'huge' }, 'severity'],
      ['justified as boolean', { ...assessment, justified: true }, 'justified'],
      ['unknown root cause', { ...assessment, rootCause: 'aliens' }, 'rootCause'],
      ['missing findings', without(assessment, 'findings'), 'findings'],
    ],
  },
  issueApology: {
    valid: { channel: 'email', message: 'We are sorry.' },
    expected: { type: 'IssueApology', data: { channel: 'email', message: 'We are sorry.' } },
    invalid: [
      ['message too long', { channel: 'email', message: long(5001) }, 'message'],
      ['missing channel', { message: 'Sorry' }, 'channel'],
    ],
  },
  explainDecision: {
    valid: { channel: 'letter', message: 'Thank you; here is why the fee applies.' },
    expected: { type: 'ExplainDecision', data: { channel: 'letter', message: 'Thank you; here is why the fee applies.' } },
    invalid: [
      ['missing channel', { message: 'Because.' }, 'channel'],
      ['missing message', { channel: 'letter' }, 'message'],
    ],
  },
  communicateResolutionPlan: {
    valid: plan,
    expected: { type: 'CommunicateResolutionPlan', data: { planId: 'plan-1', ...plan } },
    respondsWith: { planId: 'plan-1' },
    alsoValid: [
      [
        'twenty actions of 1000 characters',
        { ...plan, actions: Array.from({ length: 20 }, () => long(1000)) },
        {
          type: 'CommunicateResolutionPlan',
          data: { planId: 'plan-1', actions: Array.from({ length: 20 }, () => long(1000)), dueBy: plan.dueBy },
        },
      ],
    ],
    invalid: [
      ['no actions', { ...plan, actions: [] }, 'actions'],
      ['21 actions', { ...plan, actions: Array.from({ length: 21 }, (_, i) => `step ${i}`) }, 'actions'],
      ['an empty action', { ...plan, actions: ['Send a replacement', ''] }, 'actions'],
      ['an action too long', { ...plan, actions: [long(1001)] }, 'actions'],
      ['an action not text', { ...plan, actions: [42] }, 'actions'],
      ['actions as a string', { ...plan, actions: 'Send a replacement' }, 'actions'],
      ['missing actions', without(plan, 'actions'), 'actions'],
      ['impossible month', { ...plan, dueBy: '2026-13-01' }, 'dueBy'],
      ['date without time', { ...plan, dueBy: '2026-11-30' }, 'dueBy'],
      ['time without offset', { ...plan, dueBy: '2026-11-30T17:00:00' }, 'dueBy'],
      ['missing dueBy', without(plan, 'dueBy'), 'dueBy'],
      ['client-chosen planId', { ...plan, planId: 'plan-9' }, 'planId'],
    ],
  },
  recordPlanResponse: {
    valid: { response: 'accepted' },
    expected: { type: 'RecordPlanResponse', data: { response: 'accepted' } },
    alsoValid: [
      [
        'rejected with a comment',
        { response: 'rejected', comment: 'Too slow.' },
        { type: 'RecordPlanResponse', data: { response: 'rejected', comment: 'Too slow.' } },
      ],
    ],
    invalid: [
      ['goodwill vocabulary', { response: 'declined' }, 'response'],
      ['missing response', { comment: 'ok' }, 'response'],
      ['empty comment', { response: 'accepted', comment: '' }, 'comment'],
    ],
  },
  offerGoodwill: {
    valid: goodwill,
    expected: { type: 'OfferGoodwill', data: { offerId: 'offer-1', ...goodwill, withoutAdmission: true } },
    respondsWith: { offerId: 'offer-1' },
    alsoValid: [
      [
        'every field given',
        {
          ...goodwill,
          offerId: 'offer-2026-0001',
          withoutAdmission: false,
          description: 'Delivery charge refund',
          amount: Number.MAX_SAFE_INTEGER,
        },
        {
          type: 'OfferGoodwill',
          data: {
            ...goodwill,
            offerId: 'offer-2026-0001',
            withoutAdmission: false,
            description: 'Delivery charge refund',
            amount: Number.MAX_SAFE_INTEGER,
          },
        },
      ],
      [
        'smallest amount',
        { ...goodwill, amount: 1 },
        { type: 'OfferGoodwill', data: { offerId: 'offer-1', ...goodwill, amount: 1, withoutAdmission: true } },
      ],
    ],
    invalid: [
      ['fractional amount', { ...goodwill, amount: 12.5 }, 'amount'],
      ['negative amount', { ...goodwill, amount: -1 }, 'amount'],
      ['zero amount', { ...goodwill, amount: 0 }, 'amount'],
      ['amount beyond safe integers', { ...goodwill, amount: Number.MAX_SAFE_INTEGER + 1 }, 'amount'],
      ['amount as text', { ...goodwill, amount: '1500' }, 'amount'],
      ['missing amount', without(goodwill, 'amount'), 'amount'],
      ['unknown currency', { ...goodwill, currency: 'XXY' }, 'currency'],
      ['lowercase currency', { ...goodwill, currency: 'gbp' }, 'currency'],
      ['missing currency', without(goodwill, 'currency'), 'currency'],
      ['unknown kind', { ...goodwill, kind: 'cash' }, 'kind'],
      ['offerId with spaces', { ...goodwill, offerId: 'my offer' }, 'offerId'],
      ['withoutAdmission as text', { ...goodwill, withoutAdmission: 'yes' }, 'withoutAdmission'],
      ['description too long', { ...goodwill, description: long(501) }, 'description'],
      ['unknown field', { ...goodwill, approved: true }, 'approved'],
    ],
  },
  approveGoodwill: {
    offerId: 'offer-7',
    valid: {},
    expected: { type: 'ApproveGoodwill', data: { offerId: 'offer-7' } },
    alsoValid: [
      ['with a note', { note: 'Loyal customer.' }, { type: 'ApproveGoodwill', data: { offerId: 'offer-7', note: 'Loyal customer.' } }],
    ],
    invalid: [
      ['empty note', { note: '' }, 'note'],
      ['offerId in the body', { offerId: 'offer-8' }, 'offerId'],
    ],
  },
  declineGoodwill: {
    offerId: 'offer-7',
    valid: { reason: 'Too generous.' },
    expected: { type: 'DeclineGoodwill', data: { offerId: 'offer-7', reason: 'Too generous.' } },
    invalid: [
      ['missing reason', {}, 'reason'],
      ['reason too long', { reason: long(5001) }, 'reason'],
    ],
  },
  recordGoodwillResponse: {
    offerId: 'offer-7',
    valid: { response: 'declined', comment: 'I would rather have a replacement.' },
    expected: {
      type: 'RecordGoodwillResponse',
      data: { offerId: 'offer-7', response: 'declined', comment: 'I would rather have a replacement.' },
    },
    invalid: [
      ['plan vocabulary', { response: 'rejected' }, 'response'],
      ['missing response', {}, 'response'],
    ],
  },
  fulfilGoodwill: {
    offerId: 'offer-7',
    valid: {},
    expected: { type: 'FulfilGoodwill', data: { offerId: 'offer-7' } },
    alsoValid: [
      [
        'with a reference',
        { reference: 'refund-txn-1' },
        { type: 'FulfilGoodwill', data: { offerId: 'offer-7', reference: 'refund-txn-1' } },
      ],
    ],
    invalid: [
      ['reference too long', { reference: long(501) }, 'reference'],
      ['reference not text', { reference: 8842113 }, 'reference'],
    ],
  },
  applySystemFix: {
    valid: fix,
    expected: { type: 'ApplySystemFix', data: { fixId: 'fix-1', ...fix } },
    respondsWith: { fixId: 'fix-1' },
    alsoValid: [['with a fixId', { ...fix, fixId: 'fix-courier' }, { type: 'ApplySystemFix', data: { ...fix, fixId: 'fix-courier' } }]],
    invalid: [
      ['fixId with spaces', { ...fix, fixId: 'fix 1' }, 'fixId'],
      ['impossible month', { ...fix, effectiveFrom: '2026-13-01' }, 'effectiveFrom'],
      ['customerNotified as text', { ...fix, customerNotified: 'true' }, 'customerNotified'],
      ['missing customerNotified', without(fix, 'customerNotified'), 'customerNotified'],
      ['missing procedureChange', without(fix, 'procedureChange'), 'procedureChange'],
    ],
  },
  resolveComplaint: {
    valid: { resolution: 'Replacement delivered.', outcome: 'upheld' },
    expected: { type: 'ResolveComplaint', data: { resolution: 'Replacement delivered.', outcome: 'upheld' } },
    invalid: [
      ['unknown outcome', { resolution: 'Done.', outcome: 'dismissed' }, 'outcome'],
      ['missing resolution', { outcome: 'rejected' }, 'resolution'],
    ],
  },
  completeFollowUp: {
    valid: followUp,
    expected: { type: 'CompleteFollowUp', data: followUp },
    alsoValid: [
      [
        'every field given, at the bounds',
        { satisfied: false, csat: 1, nps: 0, comment: 'Meh.' },
        { type: 'CompleteFollowUp', data: { satisfied: false, csat: 1, nps: 0, comment: 'Meh.' } },
      ],
      ['upper bounds', { satisfied: true, csat: 5, nps: 10 }, { type: 'CompleteFollowUp', data: { satisfied: true, csat: 5, nps: 10 } }],
    ],
    invalid: [
      ['csat 6', { ...followUp, csat: 6 }, 'csat'],
      ['csat 0', { ...followUp, csat: 0 }, 'csat'],
      ['fractional csat', { ...followUp, csat: 4.5 }, 'csat'],
      ['missing csat', without(followUp, 'csat'), 'csat'],
      ['nps 11', { ...followUp, nps: 11 }, 'nps'],
      ['nps -1', { ...followUp, nps: -1 }, 'nps'],
      ['missing satisfied', without(followUp, 'satisfied'), 'satisfied'],
      ['satisfied as text', { ...followUp, satisfied: 'yes' }, 'satisfied'],
    ],
  },
  closeCase: {
    valid: {},
    expected: { type: 'CloseCase', data: {} },
    alsoValid: [
      [
        'with reason and note',
        { reason: 'customer-unresponsive', note: 'Three calls unanswered.' },
        { type: 'CloseCase', data: { reason: 'customer-unresponsive', note: 'Three calls unanswered.' } },
      ],
    ],
    invalid: [
      ['unknown reason', { reason: 'bored' }, 'reason'],
      ['note too long', { note: long(5001) }, 'note'],
    ],
  },
  reopenCase: {
    valid: { reason: 'Replacement also damaged.' },
    expected: { type: 'ReopenCase', data: { reason: 'Replacement also damaged.' } },
    invalid: [
      ['missing reason', {}, 'reason'],
      ['empty reason', { reason: '' }, 'reason'],
    ],
  },
  withdrawComplaint: {
    valid: {},
    expected: { type: 'WithdrawComplaint', data: {} },
    alsoValid: [['with a reason', { reason: 'Parcel found.' }, { type: 'WithdrawComplaint', data: { reason: 'Parcel found.' } }]],
    invalid: [
      ['reason too long', { reason: long(5001) }, 'reason'],
      ['unknown field', { reason: 'Found it.', refund: false }, 'refund'],
    ],
  },
  sendHoldingResponse: {
    valid: { message: 'Waiting for the card scheme; reply by 20 January.', ombudsmanRightsExplained: true },
    expected: {
      type: 'SendHoldingResponse',
      data: { message: 'Waiting for the card scheme; reply by 20 January.', ombudsmanRightsExplained: true },
    },
    invalid: [
      ['missing message', { ombudsmanRightsExplained: true }, 'message'],
      ['rights flag as text', { message: 'm', ombudsmanRightsExplained: 'yes' }, 'ombudsmanRightsExplained'],
      ['missing rights flag', { message: 'm' }, 'ombudsmanRightsExplained'],
    ],
  },
  sendIdrDelayNotice: {
    valid: {
      reasons: 'Waiting for the merchant.',
      afcaRightsExplained: true,
      afcaContactDetails: 'www.afca.org.au',
      expectedBy: '2027-02-15T17:00:00+11:00',
    },
    expected: {
      type: 'SendIdrDelayNotice',
      data: {
        reasons: 'Waiting for the merchant.',
        afcaRightsExplained: true,
        afcaContactDetails: 'www.afca.org.au',
        expectedBy: '2027-02-15T17:00:00+11:00',
      },
    },
    invalid: [
      [
        'missing reasons',
        { afcaRightsExplained: true, afcaContactDetails: 'www.afca.org.au', expectedBy: '2027-02-15T17:00:00Z' },
        'reasons',
      ],
      [
        'rights flag as text',
        { reasons: 'r', afcaRightsExplained: 'yes', afcaContactDetails: 'a', expectedBy: '2027-02-15T17:00:00Z' },
        'afcaRightsExplained',
      ],
      ['missing AFCA contact', { reasons: 'r', afcaRightsExplained: true, expectedBy: '2027-02-15T17:00:00Z' }, 'afcaContactDetails'],
      ['date without time', { reasons: 'r', afcaRightsExplained: true, afcaContactDetails: 'a', expectedBy: '2027-02-15' }, 'expectedBy'],
    ],
  },
  recordDeadlineException: {
    valid: { kind: 'final-response', ground: 'outside-regime-scope', reason: 'Not an eligible complainant (DISP 1.1).' },
    expected: {
      type: 'RecordDeadlineException',
      data: { kind: 'final-response', ground: 'outside-regime-scope', reason: 'Not an eligible complainant (DISP 1.1).' },
    },
    alsoValid: [
      [
        'a duplicate with its reference',
        { kind: 'acknowledgement', ground: 'duplicate', reason: 'Same complaint by email.', reference: 'case-2' },
        {
          type: 'RecordDeadlineException',
          data: { kind: 'acknowledgement', ground: 'duplicate', reason: 'Same complaint by email.', reference: 'case-2' },
        },
      ],
    ],
    invalid: [
      ['missing kind', { ground: 'other', reason: 'r' }, 'kind'],
      ['unknown kind', { kind: 'apology', ground: 'other', reason: 'r' }, 'kind'],
      ['unknown ground', { kind: 'final-response', ground: 'customer-went-quiet', reason: 'r' }, 'ground'],
      ['missing reason', { kind: 'final-response', ground: 'other' }, 'reason'],
      ['reference with spaces', { kind: 'final-response', ground: 'duplicate', reason: 'r', reference: 'case two' }, 'reference'],
    ],
  },
  routeCase: {
    valid: { team: 'billing' },
    expected: { type: 'RouteCase', data: { team: 'billing' } },
    alsoValid: [
      ['with a reason', { team: 'billing', reason: 'Charge' }, { type: 'RouteCase', data: { team: 'billing', reason: 'Charge' } }],
    ],
    invalid: [
      ['missing team', {}, 'team'],
      ['team with spaces', { team: 'tier one' }, 'team'],
    ],
  },
  tagCase: {
    valid: { tag: 'vip' },
    expected: { type: 'TagCase', data: { tag: 'vip' } },
    alsoValid: [['digits and hyphens', { tag: 'q3-2026' }, { type: 'TagCase', data: { tag: 'q3-2026' } }]],
    invalid: [
      ['missing tag', {}, 'tag'],
      ['upper case', { tag: 'VIP' }, 'tag'],
      ['spaces', { tag: 'very important' }, 'tag'],
      ['too long', { tag: long(49) }, 'tag'],
    ],
  },
  untagCase: {
    valid: { tag: 'vip' },
    expected: { type: 'UntagCase', data: { tag: 'vip' } },
    invalid: [['missing tag', {}, 'tag']],
  },
  addInternalNote: {
    valid: { text: 'Courier confirms.' },
    expected: { type: 'AddInternalNote', data: { noteId: 'note-1', text: 'Courier confirms.' } },
    respondsWith: { noteId: 'note-1' },
    invalid: [
      ['missing text', {}, 'text'],
      ['text too long', { text: long(10_001) }, 'text'],
    ],
  },
  flagVulnerability: {
    valid: { reason: 'health' },
    expected: { type: 'FlagVulnerability', data: { reason: 'health' } },
    alsoValid: [
      [
        'with note and shortened target',
        { reason: 'life-events', note: 'Bereaved', shortenedFinalResponseDays: 7 },
        { type: 'FlagVulnerability', data: { reason: 'life-events', note: 'Bereaved', shortenedFinalResponseDays: 7 } },
      ],
    ],
    invalid: [
      ['missing reason', {}, 'reason'],
      ['unknown reason', { reason: 'age' }, 'reason'],
      ['zero days', { reason: 'health', shortenedFinalResponseDays: 0 }, 'shortenedFinalResponseDays'],
    ],
  },
  issueFinalResponse: {
    // The letter is rendered before the route runs (RenderFinalResponseInterceptor); without it, the command says nothing.
    valid: {},
    expected: { type: 'IssueFinalResponse', data: { templateVersion: '', text: '', sha256: '' } },
    respondsWith: { sha256: '', templateVersion: '' },
    alsoValid: [
      ['with an outcome', { outcome: 'upheld' }, { type: 'IssueFinalResponse', data: { templateVersion: '', text: '', sha256: '' } }],
    ],
    invalid: [['unknown outcome', { outcome: 'maybe' }, 'outcome']],
  },
  addAttachment: {
    // The file is received before the route runs (ReceiveAttachmentInterceptor); without one, the command says nothing.
    valid: {},
    expected: { type: 'AddAttachment', data: { attachmentId: 'attachment-1', name: '', size: 0, contentType: '', sha256: '' } },
    respondsWith: { attachmentId: 'attachment-1', sha256: '' },
    invalid: [['an unknown field', { note: 'x' }, 'note']],
  },
  clearVulnerability: {
    valid: {},
    expected: { type: 'ClearVulnerability', data: {} },
    alsoValid: [['with a note', { note: 'Recovered' }, { type: 'ClearVulnerability', data: { note: 'Recovered' } }]],
    invalid: [['unknown field', { reason: 'x' }, 'reason']],
  },
};

async function errorsFor(type: new () => object, body: Body): Promise<ValidationError[]> {
  return validate(plainToInstance(type, body), { whitelist: true, forbidNonWhitelisted: true });
}

/** Property paths of every error, nested ones as `parent.child`. */
function erroneousProperties(errors: readonly ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix + error.property;
    const own = error.constraints && Object.keys(error.constraints).length > 0 ? [path] : [];
    return [...own, ...erroneousProperties(error.children ?? [], `${path}.`)];
  });
}

async function commandFor(action: CaseAction, offerId: string | undefined, body: Body): Promise<UnissuedCommand> {
  const instance = plainToInstance(action.body, body);
  expect(erroneousProperties(await validate(instance, { whitelist: true, forbidNonWhitelisted: true }))).toEqual([]);
  return action
    .capture({ caseId: 'case-1', offerId }, instance)
    .build({ id: 'case-1', now: '2026-11-23T10:00:00.000Z', newId: (kind) => `${kind}-1` });
}

/** What the route adds to its response for this command. */
function responseFieldsFor(action: CaseAction, offerId: string | undefined, command: UnissuedCommand) {
  return action.capture({ caseId: 'case-1', offerId }, {}).respondWith?.(command);
}

function actionCase(action: CaseAction): ActionCase {
  const found = CASES[action.operationId];
  if (!found) throw new Error(`No test case for ${action.operationId}`);
  return found;
}

describe('CASE_ACTIONS', () => {
  it('holds the 31 use cases on an existing case', () => {
    expect(CASE_ACTIONS).toHaveLength(31);
    expect(CASE_ACTIONS.map((action) => action.operationId).sort()).toEqual(Object.keys(CASES).sort());
  });

  it('gives every action a unique operationId', () => {
    const ids = CASE_ACTIONS.map((action) => action.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every action a unique path', () => {
    const paths = CASE_ACTIONS.map((action) => action.path);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('uses relative kebab-case paths and camelCase operationIds', () => {
    for (const action of CASE_ACTIONS) {
      expect(action.path).toMatch(/^[a-z]+(-[a-z]+)*(\/(:offerId|[a-z]+(-[a-z]+)*))*$/);
      expect(action.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      expect(action.summary.length).toBeGreaterThan(0);
    }
  });

  it('routes with an :offerId exactly the goodwill actions that name an existing offer', () => {
    const withOfferId = CASE_ACTIONS.filter((action) => action.path.includes(':offerId')).map((action) => action.operationId);
    expect(withOfferId.sort()).toEqual(['approveGoodwill', 'declineGoodwill', 'fulfilGoodwill', 'recordGoodwillResponse']);
  });

  it('documents every body field with a description and an example', () => {
    for (const type of [...CASE_ACTIONS.map((action) => action.body), ReceiveComplaintDto]) {
      const keys: string[] = Reflect.getMetadata(API_MODEL_PROPERTIES_ARRAY, type.prototype) ?? [];
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const property = Reflect.getMetadata(API_MODEL_PROPERTIES, type.prototype, key.slice(1));
        expect({ type: type.name, key, description: typeof property?.description, example: property?.example !== undefined }).toEqual({
          type: type.name,
          key,
          description: 'string',
          example: true,
        });
      }
    }
  });
});

describe.each(CASE_ACTIONS.map((action) => [action.operationId, action] as const))('%s', (_, action) => {
  const spec = actionCase(action);

  it('turns a valid body into its command', async () => {
    const command = await commandFor(action, spec.offerId, spec.valid);
    expect(command).toEqual(spec.expected);
  });

  if (spec.alsoValid) {
    it.each(spec.alsoValid.map(([label, body, expected]) => [label, body, expected] as const))(
      'accepts %s',
      async (_label, body, expected) => {
        expect(await commandFor(action, spec.offerId, body)).toEqual(expected);
      },
    );
  }

  it.each(spec.invalid.map(([label, body, property]) => [label, property, body] as const))(
    'rejects %s (on %s)',
    async (_label, property, body) => {
      const errors = await errorsFor(action.body, body);
      expect(erroneousProperties(errors)).toContain(property);
    },
  );

  it(spec.respondsWith ? 'responds with the id it generated' : 'adds nothing to the response', async () => {
    const command = await commandFor(action, spec.offerId, spec.valid);
    expect(responseFieldsFor(action, spec.offerId, command)).toEqual(spec.respondsWith);
  });
});

describe('ReceiveComplaintDto', () => {
  const minimal = { customerId: 'cust-10293', channel: 'email', summary: 'Parcel arrived damaged' };
  const full = {
    ...minimal,
    details: 'Left in the rain.',
    remedySought: 'A replacement',
    orderRef: 'order-55812',
    orderValue: { amount: 4999, currency: 'GBP' },
    regime: 'FCA',
    receivedAt: '2026-11-23T09:15:00Z',
  };

  async function dataFor(body: Body) {
    const dto = plainToInstance(ReceiveComplaintDto, body);
    expect(erroneousProperties(await validate(dto, { whitelist: true, forbidNonWhitelisted: true }))).toEqual([]);
    return toReceiveComplaintData('case-1', dto);
  }

  it('defaults the regime to the house policy', async () => {
    expect(await dataFor(minimal)).toEqual({ caseId: 'case-1', ...minimal, regime: 'default' });
  });

  it('carries every field given, with the order value as plain money', async () => {
    const data = await dataFor(full);
    expect(data).toEqual({ caseId: 'case-1', ...full, receivedAt: '2026-11-23T09:15:00.000Z' });
    expect(Object.getPrototypeOf(data.orderValue)).toBe(Object.prototype);
  });

  it('carries the contact the customer gave, only the parts given', async () => {
    const contact = { name: 'Ada Lovelace', email: 'ada@example.com', phone: '+44 (0)20 7946-0958' };
    expect((await dataFor({ ...minimal, contact })).contact).toEqual(contact);
    expect((await dataFor({ ...minimal, contact: { email: 'ada@example.com' } })).contact).toEqual({ email: 'ada@example.com' });
    expect(Object.getPrototypeOf((await dataFor({ ...minimal, contact })).contact)).toBe(Object.prototype);
  });

  it('stores receivedAt in UTC, whatever offset the client wrote', async () => {
    const data = await dataFor({ ...full, receivedAt: '2026-11-23T10:15:00+01:00' });
    expect(data.receivedAt).toBe('2026-11-23T09:15:00.000Z');
  });

  it('rejects null for optional fields: optional means absent', async () => {
    const dto = plainToInstance(ReceiveComplaintDto, { ...minimal, details: null, orderValue: null, regime: null, receivedAt: null });
    expect(erroneousProperties(await validate(dto, { whitelist: true, forbidNonWhitelisted: true }))).toEqual([
      'details',
      'orderValue',
      'regime',
      'receivedAt',
    ]);
  });

  const invalid: readonly Invalid[] = [
    ['missing customerId', without(full, 'customerId'), 'customerId'],
    ['customerId with spaces', { ...full, customerId: 'cust 1' }, 'customerId'],
    ['unknown channel', { ...full, channel: 'fax' }, 'channel'],
    ['missing summary', without(full, 'summary'), 'summary'],
    ['summary too long', { ...full, summary: long(501) }, 'summary'],
    ['details too long', { ...full, details: long(20001) }, 'details'],
    ['remedySought too long', { ...full, remedySought: long(2001) }, 'remedySought'],
    ['orderRef with spaces', { ...full, orderRef: 'order 1' }, 'orderRef'],
    ['fractional order value', { ...full, orderValue: { amount: 49.99, currency: 'GBP' } }, 'orderValue.amount'],
    ['unknown order currency', { ...full, orderValue: { amount: 4999, currency: 'XXY' } }, 'orderValue.currency'],
    ['unknown field in the order value', { ...full, orderValue: { amount: 4999, currency: 'GBP', vat: 833 } }, 'orderValue.vat'],
    ['unknown regime', { ...full, regime: 'EU' }, 'regime'],
    ['contact email without a domain', { ...full, contact: { email: 'ada@' } }, 'contact.email'],
    ['contact email too long', { ...full, contact: { email: `${long(250)}@example.com` } }, 'contact.email'],
    ['contact phone with letters', { ...full, contact: { phone: '+44 CALL ME' } }, 'contact.phone'],
    ['contact phone too short', { ...full, contact: { phone: '12345' } }, 'contact.phone'],
    ['empty contact name', { ...full, contact: { name: '' } }, 'contact.name'],
    ['unknown field in the contact', { ...full, contact: { address: '1 Main St' } }, 'contact.address'],
    ['impossible month', { ...full, receivedAt: '2026-13-01' }, 'receivedAt'],
    ['unknown field', { ...full, priority: 'high' }, 'priority'],
    ['caseId in the body', { ...full, caseId: 'case-2' }, 'caseId'],
  ];
  it.each(invalid.map(([label, body, property]) => [label, property, body] as const))(
    'rejects %s (on %s)',
    async (_label, property, body) => {
      expect(erroneousProperties(await errorsFor(ReceiveComplaintDto, body))).toContain(property);
    },
  );
});

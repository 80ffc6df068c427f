import type { Regime } from '../domain/complaint.vocabulary';
import type { CaseView } from '../projections/case-view/case-view';
import { renderFinalResponse, sha256Hex } from './render-letter';

const AT = '2026-03-10T12:00:00.000Z';
const view = (regime: Regime): CaseView => ({
  caseId: 'case-9',
  customerId: 'cust-9',
  status: 'resolved',
  channel: 'email',
  regime,
  summary: 'Parcel arrived crushed',
  contact: { name: 'Ada Lovelace' },
  escalationLevel: 0,
  contacts: [],
  apologies: [{ channel: 'email', message: 'We are sorry we let you down.', at: AT, by: { id: 'agent-7', role: 'agent' } }],
  explanations: [],
  goodwill: {
    offers: [
      {
        offerId: 'o',
        kind: 'partial-refund',
        amount: 1500,
        currency: 'GBP',
        withoutAdmission: true,
        status: 'accepted',
        needsApproval: false,
        offeredBy: { id: 'agent-7', role: 'agent' },
        offeredAt: AT,
      },
    ],
    granted: [{ amount: 1500, currency: 'GBP' }],
  },
  systemFixes: [],
  plan: { planId: 'p', actions: ['Send a replacement lamp'], dueBy: AT, response: 'accepted', communicatedAt: AT },
  resolution: { resolution: 'Replacement sent', outcome: 'upheld', at: AT },
  reopenCount: 0,
  resolutions: [],
  followUps: [],
  plans: [],
  escalations: [],
  reopenings: [],
  notes: [{ noteId: 'n', text: 'INTERNAL: customer sounded upset', at: AT, by: { id: 'agent-7', role: 'agent' } }],
  timestamps: { receivedAt: '2026-03-01T09:00:00.000Z', updatedAt: AT },
  deadlines: [],
  breached: false,
  revision: 5,
  position: 50,
});

describe('renderFinalResponse: the letter and its mandatory wording per regime', () => {
  it.each<[Regime, RegExp[]]>([
    [
      'FCA',
      [
        /Financial Ombudsman Service/,
        /within six months of the date of this final response/,
        /0800 023 4567/,
        /www\.financial-ombudsman\.org\.uk/,
      ],
    ],
    ['ASIC', [/Australian Financial Complaints Authority \(AFCA\)/, /www\.afca\.org\.au/, /1800 931 678/, /GPO Box 3, Melbourne VIC 3001/]],
    ['CFPB', [/company response/, /Consumer Financial Protection Bureau \(CFPB\)/, /consumerfinance\.gov\/complaint/]],
    ['default', [/This is our final response to your complaint/]],
  ])("%s: carries its mandatory wording, the case's facts, and never an internal note", (regime, wording) => {
    const letter = renderFinalResponse(view(regime), 'upheld', AT, 'agent-7');
    for (const words of wording) expect(letter.text).toMatch(words);
    expect(letter.templateVersion).toBe(`final-response/${regime}@2026-01`);
    expect(letter.text).toContain('Dear Ada Lovelace');
    expect(letter.text).toContain('we uphold your complaint');
    expect(letter.text).toContain('We are sorry we let you down.');
    expect(letter.text).toContain('Send a replacement lamp');
    expect(letter.text).toContain('partial refund of 15.00 GBP');
    expect(letter.text).not.toContain('INTERNAL');
    expect(letter.sha256).toBe(sha256Hex(letter.text));
  });

  it('does not promise the ombudsman outside the FCA', () => {
    expect(renderFinalResponse(view('ASIC'), 'rejected', AT, 'a').text).not.toMatch(/Financial Ombudsman Service/);
    expect(renderFinalResponse(view('ASIC'), 'rejected', AT, 'a').text).toContain('we do not uphold your complaint');
  });
});

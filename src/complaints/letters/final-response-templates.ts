import type { Regime } from '../domain/complaint.vocabulary';

/**
 * Final-response letter templates: versioned data per regime (Handlebars, rendered as plain text). Each regime's template
 * carries the wording its regulator makes mandatory; a new wording is a new version with a later `effectiveFrom`, never an
 * edit, so a letter's `templateVersion` always names the exact words it was rendered from.
 */
export interface LetterTemplate {
  readonly regime: Regime;
  /** Recorded on the letter, e.g. `final-response/FCA@2026-01`. */
  readonly version: string;
  readonly effectiveFrom: string;
  readonly source: string;
}

const OPENING = `Final response to your complaint {{caseId}}
Date: {{date}}

Dear {{customerName}},

Thank you for telling us about your complaint, received on {{receivedDate}}: "{{summary}}".

Our decision: {{outcomeInWords}}.
{{#each apologies}}
{{this}}
{{/each}}
{{#each explanations}}
{{this}}
{{/each}}
{{#if resolution}}
What we have done: {{resolution}}
{{/if}}
{{#if planActions.length}}
What we will do:
{{#each planActions}}
  - {{this}}
{{/each}}
{{/if}}
{{#if goodwill.length}}
As a gesture of goodwill{{#if withoutAdmission}}, without admission of liability{{/if}}:
{{#each goodwill}}
  - {{this}}
{{/each}}
{{/if}}
`;

const CLOSING = `
Yours sincerely,
{{signedBy}}
Complaints team
`;

/** The Handlebars source of each template version. */
export const TEMPLATE_SOURCES: Readonly<Record<string, string>> = {
  'final-response/default@2026-01': `${OPENING}
This is our final response to your complaint. If you are not satisfied with it, please reply to this letter and tell us why.
${CLOSING}`,
  'final-response/FCA@2026-01': `${OPENING}
This is our final response to your complaint.

If you remain dissatisfied, you have the right to refer your complaint to the Financial Ombudsman Service, free of charge. You must do so within six months of the date of this final response. If you do not refer your complaint in time, the Ombudsman will not have our permission to consider your complaint and so will only be able to do so in very limited circumstances, for example if it believes that the delay was as a result of exceptional circumstances.

Financial Ombudsman Service
Exchange Tower, London E14 9SR
Telephone: 0800 023 4567
Website: www.financial-ombudsman.org.uk
A leaflet explaining the Financial Ombudsman Service is enclosed.
${CLOSING}`,
  'final-response/ASIC@2026-01': `${OPENING}
This is our final response to your complaint (our internal dispute resolution response).

If you are not satisfied with our response, you may lodge a complaint with the Australian Financial Complaints Authority (AFCA), a free and independent external dispute resolution scheme. Time limits may apply to complain to AFCA: you should act promptly, and generally within 2 years of receiving this response.

Australian Financial Complaints Authority
Online: www.afca.org.au
Email: info@afca.org.au
Phone: 1800 931 678 (free call)
Mail: GPO Box 3, Melbourne VIC 3001
${CLOSING}`,
  'final-response/CFPB@2026-01': `${OPENING}
This letter is our company response to the complaint you submitted through the Consumer Financial Protection Bureau (CFPB). We have also provided this response to the CFPB through its company portal.

You can review our response and tell the CFPB whether you are satisfied with it at www.consumerfinance.gov/complaint, or by calling the CFPB at (855) 411-2372.
${CLOSING}`,
};

/** Every template version, per regime, newest last. */
export const LETTER_TEMPLATES: readonly LetterTemplate[] = [
  { regime: 'default', version: 'final-response/default@2026-01', effectiveFrom: '2000-01-01T00:00:00Z', source: 'House letter' },
  {
    regime: 'FCA',
    version: 'final-response/FCA@2026-01',
    effectiveFrom: '2000-01-01T00:00:00Z',
    source: 'FCA Handbook DISP 1.6.2R and DISP 1 Annex 3R (Financial Ombudsman Service referral rights, six-month time limit)',
  },
  {
    regime: 'ASIC',
    version: 'final-response/ASIC@2026-01',
    effectiveFrom: '2000-01-01T00:00:00Z',
    source: 'ASIC RG 271.64–271.66 (IDR response: the right to complain to AFCA, its contact details and time limits)',
  },
  {
    regime: 'CFPB',
    version: 'final-response/CFPB@2026-01',
    effectiveFrom: '2000-01-01T00:00:00Z',
    source: 'CFPB complaint process: the company response to the consumer, shared through the company portal',
  },
];

/** The template version in force for `regime` at `at`. */
export function templateFor(regime: Regime, at: string): LetterTemplate & { text: string } {
  const inForce = LETTER_TEMPLATES.filter((t) => t.regime === regime && Date.parse(t.effectiveFrom) <= Date.parse(at)).sort(
    (a, b) => Date.parse(b.effectiveFrom) - Date.parse(a.effectiveFrom),
  )[0];
  if (!inForce) throw new Error(`No ${regime} final-response template is in force at ${at}`);
  return { ...inForce, text: TEMPLATE_SOURCES[inForce.version] };
}

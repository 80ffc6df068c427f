import Handlebars from 'handlebars';
import { createHash } from 'node:crypto';
import type { Outcome } from '../domain/complaint.vocabulary';
import type { CaseView } from '../projections/case-view/case-view';
import { templateFor } from './final-response-templates';

const OUTCOME_IN_WORDS: Readonly<Record<Outcome, string>> = {
  upheld: 'we uphold your complaint',
  'partially-upheld': 'we uphold your complaint in part',
  rejected: 'we do not uphold your complaint',
};

export interface RenderedLetter {
  readonly templateVersion: string;
  readonly text: string;
  /** SHA-256 of the text's UTF-8 bytes, lower-case hex. */
  readonly sha256: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/**
 * The final-response letter for a case as it stands (its view with personal fields opened): the regime's template in force
 * at `at`, filled from the outcome, apologies, explanations, resolution, plan and goodwill. Internal notes are never part
 * of the context, so no template can put them in a letter.
 */
export function renderFinalResponse(view: CaseView, outcome: Outcome, at: string, signedBy: string): RenderedLetter {
  const template = templateFor(view.regime, at);
  let render = compiled.get(template.version);
  if (!render) compiled.set(template.version, (render = Handlebars.compile(template.text, { noEscape: true, strict: false })));
  const goodwill = view.goodwill.offers
    .filter((offer) => ['approved', 'accepted', 'fulfilled'].includes(offer.status))
    .map(
      (offer) =>
        `${offer.kind.replace(/-/g, ' ')} of ${(offer.amount / 100).toFixed(2)} ${offer.currency}${offer.description ? ` (${offer.description})` : ''}`,
    );
  const text = render({
    caseId: view.caseId,
    date: at.slice(0, 10),
    customerName: view.contact?.name ?? 'Customer',
    receivedDate: view.timestamps.receivedAt.slice(0, 10),
    summary: view.summary,
    outcomeInWords: OUTCOME_IN_WORDS[outcome],
    apologies: view.apologies.map((apology) => apology.message),
    explanations: view.explanations.map((explanation) => explanation.message),
    resolution: view.resolution?.resolution,
    planActions: view.plan?.actions ?? [],
    goodwill,
    withoutAdmission: view.goodwill.offers.some((offer) => offer.withoutAdmission),
    signedBy,
  }).replace(/\n{3,}/g, '\n\n');
  return { templateVersion: template.version, text, sha256: sha256Hex(text) };
}

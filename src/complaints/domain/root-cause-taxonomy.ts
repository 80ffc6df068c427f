import type { RootCauseTaxonomy } from '../../kernel/root-cause-taxonomy';

export type { RootCauseTaxonomy } from '../../kernel/root-cause-taxonomy';

/**
 * The root-cause taxonomy: versioned data, two levels (`<category>/<cause>`, e.g. `delivery/late`), so the same failure is
 * always filed under the same code and analysts can group by either level. Like the deadline policies, a version is in
 * force from its `effectiveFrom`, and an assessment records the version it was checked against; to change the taxonomy,
 * append a version with a later `effectiveFrom` and never edit one that was in force (old assessments keep their codes).
 */

export const ROOT_CAUSE_TAXONOMIES: readonly RootCauseTaxonomy[] = [
  {
    version: 'taxonomy@2026-01',
    effectiveFrom: '2000-01-01T00:00:00Z',
    categories: {
      delivery: {
        late: 'Arrived after the promised date',
        lost: 'Never arrived',
        damaged: 'Arrived damaged',
        'wrong-item': 'Another item was delivered',
        'failed-attempt': 'Delivery attempted but not made',
      },
      billing: {
        'double-charge': 'Charged twice for one order',
        'wrong-amount': 'Charged a different amount than agreed',
        'refund-delay': 'A refund was promised but not paid on time',
        'unexpected-fee': 'A fee the customer was not told about',
      },
      product: {
        faulty: 'Does not work as it should',
        'not-as-described': 'Differs from its description',
        safety: 'A safety concern',
      },
      service: {
        'no-response': 'The customer was not answered',
        'rude-staff': "Staff's manner",
        'wrong-advice': 'The customer was misinformed',
        'process-failure': 'A procedure was not followed',
      },
      'digital-channels': {
        'site-outage': 'The website or app was unavailable',
        'account-access': 'The customer could not get into their account',
      },
    },
  },
];

/** The taxonomy version in force at `at` (latest effectiveFrom <= at). */
export function taxonomyAt(at: string, taxonomies: readonly RootCauseTaxonomy[] = ROOT_CAUSE_TAXONOMIES): RootCauseTaxonomy {
  const when = Date.parse(at);
  const inForce = taxonomies
    .filter((taxonomy) => Date.parse(taxonomy.effectiveFrom) <= when)
    .sort((a, b) => Date.parse(b.effectiveFrom) - Date.parse(a.effectiveFrom))[0];
  if (!inForce) throw new Error(`No root-cause taxonomy is in force at ${at}`);
  return inForce;
}

/** The two levels of a code, or undefined when it is not `<level1>/<level2>`. */
export function causeLevels(code: string): { level1: string; level2: string } | undefined {
  const match = /^([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(code);
  return match ? { level1: match[1], level2: match[2] } : undefined;
}

export function isCauseCode(taxonomy: RootCauseTaxonomy, code: string): boolean {
  const levels = causeLevels(code);
  if (!levels || !Object.hasOwn(taxonomy.categories, levels.level1)) return false;
  return Object.hasOwn(taxonomy.categories[levels.level1], levels.level2);
}

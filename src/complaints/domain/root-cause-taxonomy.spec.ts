import { createComplaintPolicy } from './complaint-policy';
import { taxonomyProblems } from '../../kernel/root-cause-taxonomy';
import { ROOT_CAUSE_TAXONOMIES, taxonomyAt } from './root-cause-taxonomy';

const FIRM = { version: 'acme@1', effectiveFrom: '2026-06-01T00:00:00Z', categories: { returns: { refused: 'A return was refused' } } };

describe("a firm's root-cause taxonomy versions", () => {
  it('are taken when every version is well formed and new', () => {
    expect(taxonomyProblems([FIRM, { ...FIRM, version: 'acme@2', effectiveFrom: '2027-01-01T00:00:00Z' }])).toEqual([]);
  });

  it('join the built-in versions: each in force from its effectiveFrom', () => {
    const { taxonomies } = createComplaintPolicy({ taxonomies: [FIRM] });
    expect(taxonomies.map((taxonomy) => taxonomy.version)).toEqual([...ROOT_CAUSE_TAXONOMIES.map((t) => t.version), 'acme@1']);
    expect(taxonomyAt('2026-05-31T23:59:59Z', taxonomies).version).toBe('taxonomy@2026-01');
    expect(taxonomyAt('2026-06-01T00:00:00Z', taxonomies).version).toBe('acme@1');
  });

  it.each<[string, unknown, string]>([
    ['not an array', { versions: [] }, 'must be a JSON array of one or more taxonomy versions'],
    ['an empty array', [], 'must be a JSON array of one or more taxonomy versions'],
    ['a version that is not an object', ['acme'], 'version 1 must be an object with version, effectiveFrom and categories'],
    ['a name already taken', [{ ...FIRM, version: 'taxonomy@2026-01' }], 'version 1: version "taxonomy@2026-01" is already taken'],
    ['a name used twice', [FIRM, { ...FIRM, effectiveFrom: '2027-01-01T00:00:00Z' }], 'version 2: version "acme@1" is already taken'],
    ['no effectiveFrom', [{ ...FIRM, effectiveFrom: 'soon' }], 'version 1: "effectiveFrom" must be an ISO 8601 instant'],
    ['two versions from one instant', [FIRM, { ...FIRM, version: 'acme@2' }], 'version 2: another version is already in force from'],
    ['no categories', [{ ...FIRM, categories: {} }], 'version 1: "categories" must map each category to its causes'],
    ['a category not a slug', [{ ...FIRM, categories: { Returns: { refused: 'x' } } }], 'category "Returns" must be a lower-case slug'],
    ['a category without causes', [{ ...FIRM, categories: { returns: {} } }], 'category "returns" must map one or more causes'],
    [
      'a cause not a slug',
      [{ ...FIRM, categories: { returns: { 'Refused!': 'x' } } }],
      'cause "returns/Refused!" must be a lower-case slug',
    ],
    ['a cause without meaning', [{ ...FIRM, categories: { returns: { refused: '' } } }], 'cause "returns/refused" needs what it means'],
  ])('are refused with %s, saying which and why', (_, data, problem) => {
    expect(taxonomyProblems(data, ROOT_CAUSE_TAXONOMIES).join('\n')).toContain(problem);
    expect(() => createComplaintPolicy({ taxonomies: data as never })).toThrow(problem);
  });
});

/**
 * A root-cause taxonomy version: two levels (`<category>/<cause>`, e.g. `delivery/late`). The complaints domain keeps the
 * built-in versions (src/complaints/domain/root-cause-taxonomy.ts); a firm adds its own (TAXONOMY_FILE), checked here.
 */
export interface RootCauseTaxonomy {
  /** Recorded on every assessment checked against it, e.g. `taxonomy@2026-01`. */
  readonly version: string;
  readonly effectiveFrom: string;
  /** Level 1 (the category) → level 2 (the cause) → what it means. */
  readonly categories: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * What is wrong with a firm's taxonomy versions (TAXONOMY_FILE), each problem in words; none when they can be used. They
 * join the versions already `taken` (the built-in ones): a version's name and its `effectiveFrom` must be new, so every
 * assessment's recorded version stays the one it was checked against.
 */
export function taxonomyProblems(data: unknown, taken: readonly RootCauseTaxonomy[] = []): string[] {
  if (!Array.isArray(data) || data.length === 0) return ['must be a JSON array of one or more taxonomy versions'];
  const problems: string[] = [];
  const names = new Set(taken.map((taxonomy) => taxonomy.version));
  const instants = new Set(taken.map((taxonomy) => Date.parse(taxonomy.effectiveFrom)));
  data.forEach((entry: unknown, index) => {
    const at = `version ${index + 1}`;
    if (!isRecord(entry)) return problems.push(`${at} must be an object with version, effectiveFrom and categories`);
    const { version, effectiveFrom, categories } = entry;
    if (typeof version !== 'string' || !/^[\w.@:-]{1,64}$/.test(version))
      problems.push(`${at}: "version" must be 1 to 64 letters, digits or . @ : - _ (e.g. "acme@2027-01")`);
    else if (names.has(version)) problems.push(`${at}: version "${version}" is already taken (names are never reused)`);
    else names.add(version);
    const from = typeof effectiveFrom === 'string' ? Date.parse(effectiveFrom) : NaN;
    if (Number.isNaN(from)) problems.push(`${at}: "effectiveFrom" must be an ISO 8601 instant such as 2027-01-01T00:00:00Z`);
    else if (instants.has(from)) problems.push(`${at}: another version is already in force from ${effectiveFrom}`);
    else instants.add(from);
    if (!isRecord(categories) || Object.keys(categories).length === 0)
      return problems.push(`${at}: "categories" must map each category to its causes`);
    for (const [category, causes] of Object.entries(categories)) {
      if (!SLUG.test(category)) problems.push(`${at}: category "${category}" must be a lower-case slug (a-z, 0-9, -)`);
      if (!isRecord(causes) || Object.keys(causes).length === 0) {
        problems.push(`${at}: category "${category}" must map one or more causes to what they mean`);
        continue;
      }
      for (const [cause, meaning] of Object.entries(causes)) {
        if (!SLUG.test(cause)) problems.push(`${at}: cause "${category}/${cause}" must be a lower-case slug (a-z, 0-9, -)`);
        if (typeof meaning !== 'string' || meaning.trim() === '')
          problems.push(`${at}: cause "${category}/${cause}" needs what it means, in words`);
      }
    }
    return undefined;
  });
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): no whitespace, object members sorted by the UTF-16
 * code units of their names, numbers and strings serialized as ECMAScript's JSON.stringify does.
 * Pure and self-contained (no Redress import), so it can be lifted into its own package.
 *
 * Only I-JSON values are accepted: a non-finite number, `undefined`, a function, a symbol or a
 * bigint anywhere in the value is an error rather than silently dropped or turned into `null`.
 */
export function canonicalize(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`JCS: ${value} is not an I-JSON number`);
      return JSON.stringify(value); // ECMAScript Number serialization, -0 as 0 (RFC 8785 §3.2.2.3)
    case 'string':
      return JSON.stringify(value); // RFC 8785 §3.2.2.2 is ECMAScript's string serialization
    case 'object':
      if (Array.isArray(value)) return `[${value.map((item: unknown) => canonicalize(item)).join(',')}]`;
      return `{${Object.keys(value)
        .sort(compareUtf16)
        .map((key) => `${JSON.stringify(key)}:${canonicalize((value as Record<string, unknown>)[key])}`)
        .join(',')}}`;
    default:
      throw new TypeError(`JCS: a ${typeof value} is not a JSON value`);
  }
}

/** UTF-16 code-unit order (RFC 8785 §3.2.3), spelled out rather than left to the default sort. */
function compareUtf16(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = a.charCodeAt(i) - b.charCodeAt(i);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

/** The UTF-8 bytes of the canonical form: what gets hashed or signed. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), 'utf8');
}

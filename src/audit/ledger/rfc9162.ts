import { createHash, hash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0) §2.1, with SHA-256: tree heads,
 * inclusion proofs (§2.1.3) and consistency proofs (§2.1.4), their generation and verification.
 * Pure and self-contained (node:crypto only, no Redress import), so it can be lifted into its own package.
 *
 * A tree is addressed through its perfect subtrees: `node(level, index)` is the hash of the
 * 2^level leaves from index·2^level, level 0 being the leaf hashes. A store that keeps every such
 * node answers any proof with O(log n) lookups per path element.
 */

export type Hash = Buffer;

/** SHA-256 of the empty string: the head of the empty tree (§2.1.1). */
export const EMPTY_TREE_HASH: Hash = createHash('sha256').digest();

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** HASH(0x00 || leaf) (§2.1.1). One-shot hashing of the joined bytes: a hash object per call costs more than the hashing. */
export function leafHash(leaf: Uint8Array): Hash {
  return hash('sha256', Buffer.concat([LEAF_PREFIX, leaf]), 'buffer');
}

/** HASH(0x01 || left || right) (§2.1.1). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  return hash('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer');
}

/** The largest power of two smaller than n (n > 1): where §2.1.1 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  if (!(n > 1)) throw new RangeError(`no split point for ${n} leaves`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

/** log2 of a power of two, exactly. */
function levelOf(size: number): number {
  let level = 0;
  for (let p = 1; p < size; p *= 2) level += 1;
  return level;
}

/** MTH(D[n]) straight from the definition, over leaf hashes: the reference the stored tree is checked against. */
export function treeHeadOfLeafHashes(leafHashes: readonly Hash[]): Hash {
  if (leafHashes.length === 0) return EMPTY_TREE_HASH;
  if (leafHashes.length === 1) return leafHashes[0];
  const k = splitPoint(leafHashes.length);
  return nodeHash(treeHeadOfLeafHashes(leafHashes.slice(0, k)), treeHeadOfLeafHashes(leafHashes.slice(k)));
}

/** Where a tree's perfect subtrees are kept: node(0, i) is leaf i's hash. */
export type NodeSource = (level: number, index: number) => Hash | Promise<Hash>;

/** MTH(D[start:end]) from stored perfect subtrees (the ranges §2.1 recursion produces are always aligned). */
export async function rangeHash(node: NodeSource, start: number, end: number): Promise<Hash> {
  const size = end - start;
  if (size <= 0) return EMPTY_TREE_HASH;
  if (isPowerOfTwo(size) && start % size === 0) return node(levelOf(size), start / size);
  const k = splitPoint(size);
  return nodeHash(await rangeHash(node, start, start + k), await rangeHash(node, start + k, end));
}

/** MTH of the first `treeSize` leaves. */
export function treeHead(node: NodeSource, treeSize: number): Promise<Hash> {
  return rangeHash(node, 0, treeSize);
}

function assertSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
}

/** PATH(m, D[n]) (§2.1.3.1): the audit path of leaf `leafIndex` in the tree of `treeSize` leaves, leaf-side first. */
export async function inclusionProof(node: NodeSource, leafIndex: number, treeSize: number): Promise<Hash[]> {
  assertSize('leafIndex', leafIndex);
  assertSize('treeSize', treeSize);
  if (leafIndex >= treeSize) throw new RangeError(`leaf ${leafIndex} is not in a tree of ${treeSize} leaves`);
  const path = async (m: number, start: number, end: number): Promise<Hash[]> => {
    const n = end - start;
    if (n <= 1) return [];
    const k = splitPoint(n);
    return m < k
      ? [...(await path(m, start, start + k)), await rangeHash(node, start + k, end)]
      : [...(await path(m - k, start + k, end)), await rangeHash(node, start, start + k)];
  };
  return path(leafIndex, 0, treeSize);
}

/** PROOF(m, D[n]) (§2.1.4.1) for 0 < first ≤ second: empty when the sizes are equal. */
export async function consistencyProof(node: NodeSource, first: number, second: number): Promise<Hash[]> {
  assertSize('first', first);
  assertSize('second', second);
  if (first === 0 || first > second) throw new RangeError(`no consistency proof from ${first} to ${second} leaves (needs 0 < from <= to)`);
  const subproof = async (m: number, start: number, end: number, complete: boolean): Promise<Hash[]> => {
    const n = end - start;
    if (m === n) return complete ? [] : [await rangeHash(node, start, end)];
    const k = splitPoint(n);
    return m <= k
      ? [...(await subproof(m, start, start + k, complete)), await rangeHash(node, start + k, end)]
      : [...(await subproof(m - k, start + k, end, false)), await rangeHash(node, start, start + k)];
  };
  return subproof(first, 0, second, true);
}

/** Halves (fn, sn) as numbers: tree sizes may pass 2^31, where JavaScript's shift operators would wrap. */
const half = (value: number) => Math.floor(value / 2);
const lsb = (value: number) => value % 2 === 1;

/** §2.1.3.2: does `path` prove the leaf with hash `leaf` at `leafIndex` in the tree of `treeSize` leaves with head `root`? */
export function verifyInclusion(
  leaf: Uint8Array,
  leafIndex: number,
  treeSize: number,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Uint8Array = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!lsb(fn))
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && Buffer.from(r).equals(Buffer.from(root));
}

/**
 * §2.1.4.2: does `path` prove that the tree of `second` leaves with head `secondHash` extends the tree
 * of `first` leaves with head `firstHash`? Equal sizes need an empty path and equal heads.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstHash: Uint8Array,
  secondHash: Uint8Array,
  path: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first <= 0 || first > second) return false;
  if (first === second) return path.length === 0 && Buffer.from(firstHash).equals(Buffer.from(secondHash));
  if (path.length === 0) return false;
  const proof: Uint8Array[] = isPowerOfTwo(first) ? [firstHash, ...path] : [...path];
  let fn = first - 1;
  let sn = second - 1;
  while (lsb(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Uint8Array = proof[0];
  let sr: Uint8Array = proof[0];
  for (const c of proof.slice(1)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!lsb(fn))
        while (!lsb(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && Buffer.from(fr).equals(Buffer.from(firstHash)) && Buffer.from(sr).equals(Buffer.from(secondHash));
}

/**
 * The right edge of a growing tree (a "compact range"): for each set bit `level` of its size, the
 * perfect subtree of 2^level leaves at the end. Enough to append leaves and compute the head without
 * reading the rest of the tree.
 */
export class TreeFrontier {
  /** level → hash of the last perfect subtree at that level, for the set bits of `size`. */
  private readonly edge = new Map<number, Hash>();

  constructor(
    private treeSize = 0,
    edge: ReadonlyMap<number, Hash> = new Map(),
  ) {
    for (const [level, hash] of edge) this.edge.set(level, hash);
  }

  get size(): number {
    return this.treeSize;
  }

  /** The (level, index) of each node the frontier of a tree of `size` leaves holds. */
  static nodesOf(size: number): { level: number; index: number }[] {
    const nodes: { level: number; index: number }[] = [];
    for (let level = 0, rest = size; rest > 0; level++, rest = half(rest)) {
      if (lsb(rest)) nodes.push({ level, index: Math.floor(size / 2 ** level) - 1 });
    }
    return nodes;
  }

  /** Appends a leaf hash; returns every perfect subtree it completed, the leaf itself first (level 0). */
  append(leaf: Hash): { level: number; index: number; hash: Hash }[] {
    const made = [{ level: 0, index: this.treeSize, hash: leaf }];
    let hash = leaf;
    let level = 0;
    let index = this.treeSize;
    while (lsb(index)) {
      const left = this.edge.get(level);
      if (!left) throw new Error(`frontier is missing its level-${level} subtree`);
      this.edge.delete(level);
      hash = nodeHash(left, hash);
      level += 1;
      index = half(index);
      made.push({ level, index, hash });
    }
    this.edge.set(level, hash);
    this.treeSize += 1;
    return made;
  }

  /** MTH of the tree so far. */
  head(): Hash {
    let acc: Hash | undefined;
    for (const level of [...this.edge.keys()].sort((a, b) => a - b)) {
      const hash = this.edge.get(level)!;
      acc = acc === undefined ? hash : nodeHash(hash, acc);
    }
    return acc ?? EMPTY_TREE_HASH;
  }
}

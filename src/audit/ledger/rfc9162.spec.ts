import { createHash } from 'node:crypto';
import { canonicalize } from './rfc8785';
import {
  EMPTY_TREE_HASH,
  Hash,
  TreeFrontier,
  consistencyProof,
  inclusionProof,
  leafHash,
  nodeHash,
  treeHead,
  treeHeadOfLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from './rfc9162';

/** The RFC's recursive definitions, over a plain array of leaf hashes: the reference. */
function naivePath(m: number, leaves: Hash[]): Hash[] {
  const n = leaves.length;
  if (n <= 1) return [];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return m < k
    ? [...naivePath(m, leaves.slice(0, k)), treeHeadOfLeafHashes(leaves.slice(k))]
    : [...naivePath(m - k, leaves.slice(k)), treeHeadOfLeafHashes(leaves.slice(0, k))];
}

function naiveSubproof(m: number, leaves: Hash[], complete: boolean): Hash[] {
  const n = leaves.length;
  if (m === n) return complete ? [] : [treeHeadOfLeafHashes(leaves)];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return m <= k
    ? [...naiveSubproof(m, leaves.slice(0, k), complete), treeHeadOfLeafHashes(leaves.slice(k))]
    : [...naiveSubproof(m - k, leaves.slice(k), false), treeHeadOfLeafHashes(leaves.slice(0, k))];
}

/** Every perfect subtree of a list of leaves, as a store would keep them. */
function storedNodes(leaves: Hash[]): (level: number, index: number) => Hash {
  const nodes = new Map<string, Hash>();
  const frontier = new TreeFrontier();
  for (const leaf of leaves) for (const made of frontier.append(leaf)) nodes.set(`${made.level}/${made.index}`, made.hash);
  return (level, index) => {
    const hash = nodes.get(`${level}/${index}`);
    if (!hash) throw new Error(`no node ${level}/${index}`);
    return hash;
  };
}

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
const flip = (hash: Hash) => {
  const copy = Buffer.from(hash);
  copy[0] ^= 1;
  return copy;
};

describe('RFC 9162 §2.1 Merkle tree', () => {
  it('hashes leaves and nodes with the 0x00 / 0x01 domain separation, and the empty tree as SHA-256("")', () => {
    expect(EMPTY_TREE_HASH.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(leafHash(Buffer.from('')).toString('hex')).toBe(createHash('sha256').update(Buffer.of(0)).digest('hex'));
    const [a, b] = leavesOf(2) as [Hash, Hash];
    expect(nodeHash(a, b)).toEqual(
      createHash('sha256')
        .update(Buffer.concat([Buffer.of(1), a, b]))
        .digest(),
    );
    expect(treeHeadOfLeafHashes([a])).toEqual(a);
  });

  it('splits an uneven tree at the largest power of two below its size (7 leaves: (4, (2, 1)))', async () => {
    const l = leavesOf(7);
    const expected = nodeHash(nodeHash(nodeHash(l[0], l[1]), nodeHash(l[2], l[3])), nodeHash(nodeHash(l[4], l[5]), l[6]));
    expect(treeHeadOfLeafHashes(l)).toEqual(expected);
    expect(await treeHead(storedNodes(l), 7)).toEqual(expected);
  });

  it('agrees with the naive definitions for every tree of 1..64 leaves: heads, every inclusion and consistency proof', async () => {
    const all = leavesOf(64);
    const node = storedNodes(all);
    const frontier = new TreeFrontier();
    for (let n = 1; n <= 64; n++) {
      frontier.append(all[n - 1]);
      const leaves = all.slice(0, n);
      const head = treeHeadOfLeafHashes(leaves);
      expect(await treeHead(node, n)).toEqual(head);
      expect(frontier.head()).toEqual(head);
      for (let m = 0; m < n; m++) {
        const path = await inclusionProof(node, m, n);
        expect(path).toEqual(naivePath(m, leaves));
        expect(verifyInclusion(leaves[m], m, n, path, head)).toBe(true);
        expect(verifyInclusion(leaves[(m + 1) % n], m, n, path, head)).toBe(n === 1);
      }
      for (let m = 1; m <= n; m++) {
        const path = await consistencyProof(node, m, n);
        expect(path).toEqual(naiveSubproof(m, leaves, true));
        const oldHead = treeHeadOfLeafHashes(all.slice(0, m));
        expect(verifyConsistency(m, n, oldHead, head, path)).toBe(true);
      }
    }
  });

  it('refuses tampered inclusion proofs: a changed path element, a dropped or added one, another index, size or root', async () => {
    const leaves = leavesOf(13);
    const node = storedNodes(leaves);
    const head = treeHeadOfLeafHashes(leaves);
    for (let m = 0; m < 13; m++) {
      const path = await inclusionProof(node, m, 13);
      for (let i = 0; i < path.length; i++) {
        expect(
          verifyInclusion(
            leaves[m],
            m,
            13,
            path.map((p, j) => (j === i ? flip(p) : p)),
            head,
          ),
        ).toBe(false);
      }
      expect(verifyInclusion(leaves[m], m, 13, path.slice(1), head)).toBe(false);
      expect(verifyInclusion(leaves[m], m, 13, [...path, head], head)).toBe(false);
      expect(verifyInclusion(leaves[m], (m + 1) % 13, 13, path, head)).toBe(false);
      expect(verifyInclusion(leaves[m], m, 13, path, flip(head))).toBe(false);
      expect(verifyInclusion(leaves[m], 13, 13, path, head)).toBe(false);
    }
  });

  it('refuses tampered consistency proofs and trees that were rewritten rather than extended', async () => {
    const leaves = leavesOf(21);
    const node = storedNodes(leaves);
    const head = treeHeadOfLeafHashes(leaves);
    for (let m = 1; m < 21; m++) {
      const oldHead = treeHeadOfLeafHashes(leaves.slice(0, m));
      const path = await consistencyProof(node, m, 21);
      for (let i = 0; i < path.length; i++) {
        expect(
          verifyConsistency(
            m,
            21,
            oldHead,
            head,
            path.map((p, j) => (j === i ? flip(p) : p)),
          ),
        ).toBe(false);
      }
      expect(verifyConsistency(m, 21, oldHead, head, path.slice(0, -1))).toBe(false);
      expect(verifyConsistency(m, 21, flip(oldHead), head, path)).toBe(false);
      expect(verifyConsistency(m, 21, oldHead, flip(head), path)).toBe(false);
      // The old tree had another leaf m-1: the new tree does not extend it.
      const rewritten = [...leaves.slice(0, m - 1), leafHash(Buffer.from('forged')), ...leaves.slice(m)];
      const rewrittenPath = await consistencyProof(storedNodes(rewritten), m, 21);
      expect(verifyConsistency(m, 21, oldHead, treeHeadOfLeafHashes(rewritten), rewrittenPath)).toBe(false);
    }
    expect(verifyConsistency(21, 21, head, head, [])).toBe(true);
    expect(verifyConsistency(21, 21, head, flip(head), [])).toBe(false);
    expect(verifyConsistency(5, 4, head, head, [head])).toBe(false);
    await expect(consistencyProof(node, 0, 21)).rejects.toThrow(RangeError);
    await expect(inclusionProof(node, 21, 21)).rejects.toThrow(RangeError);
  });
});

describe('RFC 8785 canonical JSON', () => {
  it('sorts members by UTF-16 code units, drops whitespace and writes numbers as ECMAScript does', () => {
    expect(canonicalize({ stream: 'complaint-1', revision: 3, index: 0, hash: 'ab' })).toBe(
      '{"hash":"ab","index":0,"revision":3,"stream":"complaint-1"}',
    );
    // RFC 8785 §3.2.3's example of the sort order (code units, not code points).
    expect(canonicalize({ '\u20ac': 1, '\r': 2, '\ud83d\ude00': 3, '1': 4, '\u0080': 5, '\u00f6': 6 })).toBe(
      '{"\\r":2,"1":4,"\u0080":5,"\u00f6":6,"\u20ac":1,"\ud83d\ude00":3}',
    );
    expect(canonicalize([1e21, 1e-7, -0, 0.1, 'a\u2028"\n'])).toBe('[1e+21,1e-7,0,0.1,"a\u2028\\"\\n"]');
    expect(() => canonicalize({ a: undefined })).toThrow(TypeError);
    expect(() => canonicalize(Number.NaN)).toThrow(TypeError);
  });
});

// Merkle trees as RFC 9162 (Certificate Transparency v2) hashes them: leaves and interior nodes
// are domain-separated, and any tree size is allowed. Roots, inclusion and consistency proofs, and
// their verification, pure. The transparency log stores leaf hashes; everything else derives here.
import { createHash } from 'node:crypto';

export type Hash = Buffer;

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Buffer.of(0x00);
const NODE = Buffer.of(0x01);

export const leafHash = (data: Uint8Array): Hash => sha256(LEAF, data);
export const nodeHash = (left: Uint8Array, right: Uint8Array): Hash => sha256(NODE, left, right);
export const EMPTY_ROOT: Hash = sha256();

/** The largest power of two smaller than n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The subtrees a tree of `size` leaves is made of, largest first (a "compact range" from 0): enough
 * to compute the root and to append more leaves without the old ones.
 */
export interface Frontier {
  size: number;
  /** Hashes of perfect subtrees, left to right, sizes the binary digits of `size`. */
  hashes: Hash[];
}

export const emptyFrontier = (): Frontier => ({ size: 0, hashes: [] });

/** Appends leaf hashes to a frontier: O(log n) hashing per leaf, amortised O(1). */
export function append(f: Frontier, leaves: Iterable<Hash>): Frontier {
  const hashes = [...f.hashes];
  let size = f.size;
  for (const leaf of leaves) {
    let h = leaf;
    // Merge while the new subtree completes a larger one: one merge per trailing 1 bit of size.
    for (let s = size; s & 1; s >>= 1) h = nodeHash(hashes.pop()!, h);
    hashes.push(h);
    size++;
  }
  return { size, hashes };
}

/** The tree head (MTH) of a frontier. */
export function frontierRoot(f: Frontier): Hash {
  if (f.size === 0) return EMPTY_ROOT;
  let h = f.hashes.at(-1)!;
  for (let i = f.hashes.length - 2; i >= 0; i--) h = nodeHash(f.hashes[i]!, h);
  return h;
}

/** MTH(D[n]) of leaf hashes. */
export function rootOf(leaves: Hash[]): Hash {
  return frontierRoot(append(emptyFrontier(), leaves));
}

/** PATH(m, D[n]): the inclusion proof of leaf m in the tree of all `leaves`. */
export function inclusionProof(m: number, leaves: Hash[]): Hash[] {
  if (!(Number.isInteger(m) && m >= 0 && m < leaves.length)) throw new RangeError(`No leaf ${m} in a tree of ${leaves.length}`);
  const path = (m: number, d: Hash[]): Hash[] => {
    if (d.length === 1) return [];
    const k = split(d.length);
    return m < k ? [...path(m, d.slice(0, k)), rootOf(d.slice(k))] : [...path(m - k, d.slice(k)), rootOf(d.slice(0, k))];
  };
  return path(m, leaves);
}

/** PROOF(m, D[n]): the consistency proof between the tree of the first m leaves and the whole. */
export function consistencyProof(m: number, leaves: Hash[]): Hash[] {
  const n = leaves.length;
  if (!(Number.isInteger(m) && m >= 0 && m <= n)) throw new RangeError(`Cannot prove a tree of ${m} against one of ${n}`);
  if (m === 0 || m === n) return [];
  const sub = (m: number, d: Hash[], b: boolean): Hash[] => {
    if (m === d.length) return b ? [] : [rootOf(d)];
    const k = split(d.length);
    return m <= k ? [...sub(m, d.slice(0, k), b), rootOf(d.slice(k))] : [...sub(m - k, d.slice(k), false), rootOf(d.slice(0, k))];
  };
  return sub(m, leaves, true);
}

/** RFC 9162 §2.1.3.2: does `proof` show `leaf` at `index` in the tree of `size` with `root`? */
export function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: Uint8Array[], root: Uint8Array): boolean {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn & 1 || fn === sn) {
      r = nodeHash(p, r);
      while (!(fn & 1) && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else r = nodeHash(r, p);
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && Buffer.from(r).equals(Buffer.from(root));
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree of `first` leaves is a prefix of the tree of `second`? */
export function verifyConsistency(first: number, second: number, firstRoot: Uint8Array, secondRoot: Uint8Array, proof: Uint8Array[]): boolean {
  const eq = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
  if (!(first >= 0 && first <= second)) return false;
  if (first === second) return proof.length === 0 && eq(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0; // the empty tree is a prefix of every tree
  if (proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn & 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!(fn & 1) && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else sr = nodeHash(sr, c);
    fn >>= 1;
    sn >>= 1;
  }
  return eq(fr, firstRoot) && eq(sr, secondRoot) && sn === 0;
}

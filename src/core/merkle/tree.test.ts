import { describe, expect, it } from 'vitest';
import {
  append,
  consistencyProof,
  EMPTY_ROOT,
  emptyFrontier,
  frontierRoot,
  inclusionProof,
  leafHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './tree.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex');
// The Certificate Transparency reference leaves and tree heads (sizes 1–8).
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((x) => leafHash(unhex(x)));
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('RFC 9162 Merkle trees', () => {
  it('gives the reference tree heads for every size, the empty tree included', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(rootOf([]))).toBe(hex(EMPTY_ROOT));
    for (let n = 1; n <= 8; n++) expect(hex(rootOf(LEAVES.slice(0, n))), `size ${n}`).toBe(ROOTS[n - 1]);
  });

  it('gives the reference inclusion and consistency proofs', () => {
    expect(inclusionProof(0, LEAVES).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(inclusionProof(5, LEAVES).map(hex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(consistencyProof(1, LEAVES).map(hex)).toEqual(inclusionProof(0, LEAVES).map(hex));
    expect(consistencyProof(6, LEAVES).map(hex)).toEqual([
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
    expect(consistencyProof(2, LEAVES.slice(0, 5)).map(hex)).toEqual([
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ]);
  });

  const many = Array.from({ length: 37 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));

  it('verifies every inclusion proof in every tree size, and refuses a wrong leaf, index or proof', () => {
    for (let n = 1; n <= many.length; n++) {
      const tree = many.slice(0, n);
      const root = rootOf(tree);
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(m, tree);
        expect(verifyInclusion(m, n, tree[m]!, proof, root), `${m} of ${n}`).toBe(true);
        expect(verifyInclusion(m, n, leafHash(Buffer.from('other')), proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, tree[m]!, proof, root)).toBe(false);
        expect(verifyInclusion(m, m, tree[m]!, proof, root)).toBe(false); // an index past the tree
        if (proof.length > 0) {
          const bad = proof.map((p, i) => (i === 0 ? Buffer.from(p).fill(0) : p));
          expect(verifyInclusion(m, n, tree[m]!, bad, root)).toBe(false);
        }
      }
    }
  });

  it('verifies every consistency proof between any two sizes, and refuses a rewritten history', () => {
    for (let n = 1; n <= many.length; n++) {
      const tree = many.slice(0, n);
      const root = rootOf(tree);
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(m, tree);
        const old = rootOf(tree.slice(0, m));
        expect(verifyConsistency(m, n, old, root, proof), `${m} → ${n}`).toBe(true);
        if (m > 0 && m < n) {
          // A log that rewrote one old entry cannot prove it extends the old tree head.
          const rewritten = [...tree];
          rewritten[m - 1] = leafHash(Buffer.from('rewritten'));
          expect(verifyConsistency(m, n, old, rootOf(rewritten), consistencyProof(m, rewritten))).toBe(false);
        }
      }
    }
  });

  it('appends to a frontier exactly as the whole tree would hash', () => {
    let f = emptyFrontier();
    for (let n = 0; n < many.length; n += 5) {
      f = append(f, many.slice(n, n + 5));
      expect(hex(frontierRoot(f))).toBe(hex(rootOf(many.slice(0, Math.min(n + 5, many.length)))));
    }
    expect(f.hashes).toHaveLength(3); // 37 = 32 + 4 + 1
  });
});

// The state of one assignment of items to requirements, shared by the passes in audit.ts and the
// search in best.ts: where each item goes, what each requirement and cap has counted, whether all
// is met. Pure: no I/O.
import type { Centi } from '../credits.js';
import type { Exclusion } from './audit.js';
import type { BlockNode, CreditItem, Leaf, Requirements } from './model.js';

export interface CapGroup {
  key: string;
  /** The group's index in a CapUsage (set by prepare). */
  slot: number;
  reason: Exclusion;
  credits?: Centi;
  count?: number;
}

/** Running totals per cap group, by slot. */
export class CapUsage {
  private credits: Float64Array;
  private counts: Int32Array;
  constructor(slots: number) {
    this.credits = new Float64Array(slots);
    this.counts = new Int32Array(slots);
  }
  /** The first cap the item would break, or null when it fits. */
  blocks(groups: CapGroup[], credits: Centi): CapGroup | null {
    for (const g of groups) {
      if (g.credits !== undefined && this.credits[g.slot]! + credits > g.credits) return g;
      if (g.count !== undefined && this.counts[g.slot]! + 1 > g.count) return g;
    }
    return null;
  }
  totalAt(slot: number) {
    return this.credits[slot]!;
  }
  countAt(slot: number) {
    return this.counts[slot]!;
  }
  total(g: CapGroup) {
    return this.credits[g.slot]!;
  }
  count(g: CapGroup) {
    return this.counts[g.slot]!;
  }
  add(groups: CapGroup[], credits: Centi, sign = 1) {
    for (const g of groups) {
      this.credits[g.slot]! += sign * credits;
      this.counts[g.slot]! += sign;
    }
  }
}

/** Where an item goes: a leaf's index, or counted in no requirement (FREE), or not counted (DROP). */
export const FREE = -1;
export const DROP = -2;

/** The prepared problem: items in search order, leaves, their ancestors, eligibility. */
export interface Problem {
  r: Requirements;
  items: CreditItem[];
  groups: CapGroup[][];
  leaves: Leaf[];
  /** For each item, the leaves (indexes) that accept it, scarcest first. */
  elig: number[][];
  /** For each leaf, the block ids above it, nearest first. */
  ancestors: BlockNode[][];
  blocks: BlockNode[];
  waived: ReadonlySet<string>;
  /** Some requirement, or the total, cannot be met whatever the assignment: no need to search. */
  unreachable: boolean;
  /** How many distinct cap groups there are. */
  slots: number;
}

/** Per-leaf state of an assignment: credits and distinct courses counted there. */
export interface State {
  assign: number[];
  leafCredits: Centi[];
  leafCodes: Map<string, number>[];
  counted: Centi;
  home: Centi;
  caps: CapUsage;
  /** With sharing: the items each leaf counts. */
  shared?: string[][];
}

export function newState(p: Problem): State {
  return {
    assign: p.items.map(() => DROP),
    leafCredits: p.leaves.map(() => 0),
    leafCodes: p.leaves.map(() => new Map()),
    counted: 0,
    home: 0,
    caps: new CapUsage(p.slots),
  };
}

export function place(p: Problem, s: State, i: number, target: number, sign: 1 | -1) {
  const item = p.items[i]!;
  if (target === DROP) return;
  s.counted += sign * item.credits;
  if (item.origin === 'home') s.home += sign * item.credits;
  s.caps.add(p.groups[i]!, item.credits, sign);
  if (target >= 0) {
    s.leafCredits[target]! += sign * item.credits;
    if (item.courseCode !== null) {
      const codes = s.leafCodes[target]!;
      const n = (codes.get(item.courseCode) ?? 0) + sign;
      if (n === 0) codes.delete(item.courseCode);
      else codes.set(item.courseCode, n);
    }
  }
}

export const leafNeedCount = (leaf: Leaf) => (leaf.kind === 'courses' ? (leaf.pick ?? leaf.courses.length) : 0);

/** Credits a leaf passes up to its blocks (a credits leaf counts at most its maximum). */
export function leafUp(p: Problem, s: State, l: number): Centi {
  const leaf = p.leaves[l]!;
  const c = s.leafCredits[l]!;
  return leaf.kind === 'credits' && leaf.maxCredits !== undefined ? Math.min(c, leaf.maxCredits) : c;
}

export function leafMet(p: Problem, s: State, l: number): boolean {
  const leaf = p.leaves[l]!;
  if (p.waived.has(leaf.id)) return true;
  if (leaf.kind === 'courses') return s.leafCodes[l]!.size >= leafNeedCount(leaf);
  return s.leafCredits[l]! >= leaf.minCredits;
}

/** Credits under each block, by block id. */
export function blockCredits(p: Problem, s: State): Map<string, Centi> {
  const out = new Map<string, Centi>();
  p.leaves.forEach((_, l) => {
    const up = leafUp(p, s, l);
    for (const b of p.ancestors[l]!) out.set(b.id, (out.get(b.id) ?? 0) + up);
  });
  return out;
}

export function allMet(p: Problem, s: State): boolean {
  if (s.counted < p.r.totalCredits) return false;
  if (p.r.residency !== undefined && s.home < p.r.residency) return false;
  for (let l = 0; l < p.leaves.length; l++) if (!leafMet(p, s, l)) return false;
  const bc = blockCredits(p, s);
  return p.blocks.every((b) => p.waived.has(b.id) || (bc.get(b.id) ?? 0) >= (b.minCredits ?? 0));
}

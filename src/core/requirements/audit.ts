// The degree audit: which credit items count, and which requirement each one fills. Pure and
// deterministic: the same requirements and items always give the same answer.
//
// Counting is constrained by caps (per semester, year, institution, certificates, …); assigning
// items to requirements is a matching problem with indivisible items (NP-hard in general). A greedy
// pass, scarcest requirements first, with one step of repair solves nearly every real record at
// once. When it leaves a requirement open, a bound first asks whether the record could meet
// everything even with credits split freely (max-flow); if so, a depth-first search over the items
// looks for an assignment that meets every requirement. The search has a step budget (about 10 ms);
// the result says when it ran out before it could prove there is no such assignment.
import type { Centi } from '../credits.js';
import { demandsFit } from './flow.js';
import { leavesOf, type BlockNode, type CreditItem, type Filter, type Leaf, type Requirements, type RequirementNode } from './model.js';

export const EXCLUSIONS = ['too_old', 'below_level', 'not_transferred', 'cap_certificates', 'cap_nonformal', 'cap_transferred', 'cap_source', 'cap_year', 'cap_semester'] as const;
export type Exclusion = (typeof EXCLUSIONS)[number];

export interface AuditOptions {
  /** The audit's date (YYYY-MM-DD): how recent credits must be is counted back from it. */
  asOf: string;
  /** Requirements a registrar has waived. */
  waived?: ReadonlySet<string>;
  /** Items a registrar lets count as another course: item id → course code. */
  substitutions?: ReadonlyMap<string, string>;
  /** Search steps before the exact search gives up (default 3,000: a few milliseconds). */
  budget?: number;
}

export interface Missing {
  credits?: Centi;
  /** Courses still to take (all of them), or to choose from (`pick` of them). */
  courses?: string[];
  pick?: number;
}

export interface NodeResult {
  id: string;
  kind: RequirementNode['kind'];
  titleZh: string;
  titleEn: string;
  satisfied: boolean;
  waived: boolean;
  /** Credits counted here (for a block, under it). */
  credits: Centi;
  required: Centi | null;
  /** Items counted toward this leaf. */
  items: string[];
  missing: Missing;
  children?: NodeResult[];
}

export interface AuditResult {
  complete: boolean;
  total: { credits: Centi; required: Centi; satisfied: boolean };
  residency: { credits: Centi; required: Centi; satisfied: boolean } | null;
  nodes: NodeResult[];
  /** Every item that counts toward the total. */
  counted: string[];
  /** Counted but in no requirement: free electives. */
  unassigned: string[];
  excluded: { id: string; reason: Exclusion }[];
  /** False only when the exact search ran out of budget before it could prove the best answer. */
  exhaustive: boolean;
}

/** The academic year and semester a day falls in, with the year starting on the 1st of `startMonth`. */
export function periodOf(day: string, startMonth = 9): { year: number; semester: 1 | 2 } {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  const year = m >= startMonth ? y : y - 1;
  const offset = (m - startMonth + 12) % 12;
  return { year, semester: offset < 6 ? 1 : 2 };
}

function matches(f: Filter, item: CreditItem): boolean {
  if (f.fields && !f.fields.some((p) => item.field.startsWith(p))) return false;
  if (f.courses && (item.courseCode === null || !f.courses.includes(item.courseCode))) return false;
  if (f.categories && (item.category === null || !f.categories.includes(item.category))) return false;
  if (f.origins && !f.origins.includes(item.origin)) return false;
  if (f.minLevel !== undefined && item.level !== null && item.level < f.minLevel) return false;
  return true;
}

/** Whether a leaf requirement accepts an item at all. */
export const accepts = (leaf: Leaf, item: CreditItem) =>
  leaf.kind === 'courses' ? item.courseCode !== null && leaf.courses.includes(item.courseCode) : matches(leaf.filter, item);

interface CapGroup {
  key: string;
  /** The group's index in a CapUsage (set by prepare). */
  slot: number;
  reason: Exclusion;
  credits?: Centi;
  count?: number;
}

/** The cap groups an item counts in; `slots` numbers each distinct group as it is first met. */
function capGroupsOf(r: Requirements, item: CreditItem, slots: Map<string, number>): CapGroup[] {
  const caps = r.caps ?? {};
  const out: CapGroup[] = [];
  const add = (key: string, reason: Exclusion, credits: Centi | undefined, count?: number) => {
    let slot = slots.get(key);
    if (slot === undefined) slots.set(key, (slot = slots.size));
    out.push({ key, slot, reason, credits, count });
  };
  const p = periodOf(item.completedOn, r.yearStartMonth ?? 9);
  if (caps.perSemester !== undefined) add(`sem:${p.year}-${p.semester}`, 'cap_semester', caps.perSemester);
  if (caps.perYear !== undefined) add(`year:${p.year}`, 'cap_year', caps.perYear);
  if (caps.perSource !== undefined) add(`source:${item.source}`, 'cap_source', caps.perSource);
  if (caps.transferred !== undefined && item.origin === 'transfer') add('transferred', 'cap_transferred', caps.transferred);
  if (caps.certificates && item.origin === 'certificate') add('certificates', 'cap_certificates', caps.certificates.credits, caps.certificates.count);
  if (caps.nonFormal && (item.origin === 'certificate' || item.origin === 'nonformal')) add('nonformal', 'cap_nonformal', caps.nonFormal.credits, caps.nonFormal.count);
  return out;
}

/** Running totals per cap group, by slot. */
class CapUsage {
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

const FREE = -1;
const FLOW_EVERY = 16;
const DROP = -2;

/** The prepared problem: items in search order, leaves, their ancestors, eligibility. */
interface Problem {
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
interface State {
  assign: number[];
  leafCredits: Centi[];
  leafCodes: Map<string, number>[];
  counted: Centi;
  home: Centi;
  caps: CapUsage;
  /** With sharing: the items each leaf counts. */
  shared?: string[][];
}

function newState(p: Problem): State {
  return {
    assign: p.items.map(() => DROP),
    leafCredits: p.leaves.map(() => 0),
    leafCodes: p.leaves.map(() => new Map()),
    counted: 0,
    home: 0,
    caps: new CapUsage(p.slots),
  };
}

function place(p: Problem, s: State, i: number, target: number, sign: 1 | -1) {
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

const leafNeedCount = (leaf: Leaf) => (leaf.kind === 'courses' ? (leaf.pick ?? leaf.courses.length) : 0);

/** Credits a leaf passes up to its blocks (a credits leaf counts at most its maximum). */
function leafUp(p: Problem, s: State, l: number): Centi {
  const leaf = p.leaves[l]!;
  const c = s.leafCredits[l]!;
  return leaf.kind === 'credits' && leaf.maxCredits !== undefined ? Math.min(c, leaf.maxCredits) : c;
}

function leafMet(p: Problem, s: State, l: number): boolean {
  const leaf = p.leaves[l]!;
  if (p.waived.has(leaf.id)) return true;
  if (leaf.kind === 'courses') return s.leafCodes[l]!.size >= leafNeedCount(leaf);
  return s.leafCredits[l]! >= leaf.minCredits;
}

/** Credits under each block, by block id. */
function blockCredits(p: Problem, s: State): Map<string, Centi> {
  const out = new Map<string, Centi>();
  p.leaves.forEach((_, l) => {
    const up = leafUp(p, s, l);
    for (const b of p.ancestors[l]!) out.set(b.id, (out.get(b.id) ?? 0) + up);
  });
  return out;
}

function allMet(p: Problem, s: State): boolean {
  if (s.counted < p.r.totalCredits) return false;
  if (p.r.residency !== undefined && s.home < p.r.residency) return false;
  for (let l = 0; l < p.leaves.length; l++) if (!leafMet(p, s, l)) return false;
  const bc = blockCredits(p, s);
  return p.blocks.every((b) => p.waived.has(b.id) || (bc.get(b.id) ?? 0) >= (b.minCredits ?? 0));
}

/** Whether putting item i in leaf l would help: the leaf or a block above it still needs it. */
function helps(p: Problem, s: State, i: number, l: number, bc?: Map<string, Centi>): boolean {
  const leaf = p.leaves[l]!;
  const item = p.items[i]!;
  if (leaf.kind === 'courses' && s.leafCodes[l]!.has(item.courseCode!)) return false;
  if (!leafMet(p, s, l)) return true;
  if (leaf.kind === 'credits' && leaf.maxCredits !== undefined && s.leafCredits[l]! >= leaf.maxCredits) return false;
  const credits = bc ?? blockCredits(p, s);
  return p.ancestors[l]!.some((b) => !p.waived.has(b.id) && (credits.get(b.id) ?? 0) < (b.minCredits ?? 0));
}

function prepare(r: Requirements, raw: CreditItem[], opts: AuditOptions) {
  const waived = opts.waived ?? new Set<string>();
  const excluded: { id: string; reason: Exclusion }[] = [];
  const oldest = opts.asOf && r.recentYears !== undefined ? `${Number(opts.asOf.slice(0, 4)) - r.recentYears}${opts.asOf.slice(4)}` : null;
  const kept: CreditItem[] = [];
  for (const original of raw) {
    const sub = opts.substitutions?.get(original.id);
    const item = sub ? { ...original, courseCode: sub } : original;
    if (oldest && item.completedOn < oldest) excluded.push({ id: item.id, reason: 'too_old' });
    else if (r.minLevel !== undefined && item.level !== null && item.level < r.minLevel) excluded.push({ id: item.id, reason: 'below_level' });
    else if (item.origin === 'external' && !r.countExternal) excluded.push({ id: item.id, reason: 'not_transferred' });
    else kept.push(item);
  }
  const leaves = leavesOf(r).filter((l) => !waived.has(l.id));
  const parent = new Map<string, BlockNode>();
  for (const n of r.nodes) if (n.kind === 'block') for (const c of n.children) parent.set(c, n);
  const ancestors = leaves.map((l) => {
    const out: BlockNode[] = [];
    for (let b = parent.get(l.id); b; b = parent.get(b.id)) out.push(b);
    return out;
  });
  // Which leaves accept which items, once; how scarce each leaf is: what the record offers it over
  // what it needs (below 1, it cannot be met by any assignment).
  const accepted = kept.map((it) => {
    const out: number[] = [];
    for (let j = 0; j < leaves.length; j++) if (accepts(leaves[j]!, it)) out.push(j);
    return out;
  });
  const supply = leaves.map(() => 0);
  const offeredCredits = leaves.map(() => 0);
  const offeredCodes = leaves.map(() => new Set<string>());
  kept.forEach((it, i) => {
    for (const j of accepted[i]!) {
      supply[j]!++;
      offeredCredits[j]! += it.credits;
      if (it.courseCode !== null) offeredCodes[j]!.add(it.courseCode);
    }
  });
  const scarcity = leaves.map((l, j) =>
    l.kind === 'courses' ? offeredCodes[j]!.size / leafNeedCount(l) : l.minCredits === 0 ? Infinity : offeredCredits[j]! / l.minCredits,
  );
  const eligOf = (i: number) => accepted[i]!.sort((a, b) => scarcity[a]! - scarcity[b]! || supply[a]! - supply[b]! || a - b);
  // Search order: items some requirement wants, those of the scarcest requirements first; then the
  // rest, oldest first.
  const order = kept
    .map((it, i) => {
      const e = eligOf(i);
      return { it, e, scarce: e.length ? scarcity[e[0]!]! : Infinity };
    })
    .sort(
      (a, b) =>
        (a.e.length === 0 ? 1 : 0) - (b.e.length === 0 ? 1 : 0) ||
        a.scarce - b.scarce ||
        a.e.length - b.e.length ||
        b.it.credits - a.it.credits ||
        (a.it.completedOn < b.it.completedOn ? -1 : a.it.completedOn > b.it.completedOn ? 1 : 0) ||
        (a.it.id < b.it.id ? -1 : a.it.id > b.it.id ? 1 : 0),
    );
  const slots = new Map<string, number>();
  const groups = order.map((o) => capGroupsOf(r, o.it, slots));
  const problem: Problem = {
    r,
    items: order.map((o) => o.it),
    groups,
    slots: slots.size,
    leaves,
    elig: order.map((o) => o.e),
    ancestors,
    blocks: r.nodes.filter((n): n is BlockNode => n.kind === 'block'),
    waived,
    unreachable: scarcity.some((x) => x < 1) || kept.reduce((t, it) => t + it.credits, 0) < r.totalCredits,
  };
  return { problem, excluded };
}

/**
 * Greedy: each item, scarcest requirements first, to the scarcest requirement that still needs it,
 * within the caps; then whatever still fits the caps counts as a free elective.
 */
function greedy(p: Problem): State {
  const s = newState(p);
  p.items.forEach((item, i) => {
    if (s.caps.blocks(p.groups[i]!, item.credits)) return;
    const bc = blockCredits(p, s);
    const l = p.elig[i]!.find((j) => !leafMet(p, s, j) && helps(p, s, i, j, bc)) ?? p.elig[i]!.find((j) => helps(p, s, i, j, bc));
    if (l === undefined) return;
    s.assign[i] = l;
    place(p, s, i, l, 1);
  });
  return fill(p, s);
}

/**
 * One step of repair: an unmet leaf takes an item from a leaf that stays met without it, or from
 * a leaf that can take a free item in its place.
 */
function repair(p: Problem, s: State): void {
  for (let l = 0; l < p.leaves.length; l++) {
    for (let i = 0; i < p.items.length && !leafMet(p, s, l); i++) {
      const from = s.assign[i]!;
      if (from < 0 || from === l || !p.elig[i]!.includes(l) || !helps(p, s, i, l)) continue;
      place(p, s, i, from, -1);
      place(p, s, i, l, 1);
      s.assign[i] = l;
      if (leafMet(p, s, from)) continue;
      const refill = p.items.findIndex((_, k) => s.assign[k] === FREE && p.elig[k]!.includes(from) && helps(p, s, k, from));
      if (refill >= 0) {
        place(p, s, refill, FREE, -1);
        place(p, s, refill, from, 1);
        s.assign[refill] = from;
        if (leafMet(p, s, from)) continue;
        place(p, s, refill, from, -1);
        place(p, s, refill, FREE, 1);
        s.assign[refill] = FREE;
      }
      place(p, s, i, l, -1);
      place(p, s, i, from, 1);
      s.assign[i] = from;
    }
  }
}

/**
 * Exact search: every item in turn goes to a requirement that wants it, counts freely, or (when a
 * cap could bind) does not count. Branches that can no longer meet a requirement are cut.
 */
function search(p: Problem, budget: number): { state: State | null; exhaustive: boolean } {
  const n = p.items.length;
  // Upper bounds from the items not yet placed.
  const suffixAll = new Array<number>(n + 1).fill(0);
  const suffixHome = new Array<number>(n + 1).fill(0);
  const suffixLeaf = p.leaves.map(() => new Array<number>(n + 1).fill(0));
  const lastCode = p.leaves.map(() => new Map<string, number>());
  for (let i = n - 1; i >= 0; i--) {
    const it = p.items[i]!;
    suffixAll[i] = suffixAll[i + 1]! + it.credits;
    suffixHome[i] = suffixHome[i + 1]! + (it.origin === 'home' ? it.credits : 0);
    p.leaves.forEach((_, l) => {
      suffixLeaf[l]![i] = suffixLeaf[l]![i + 1]! + (p.elig[i]!.includes(l) ? it.credits : 0);
      if (p.elig[i]!.includes(l) && it.courseCode !== null && !lastCode[l]!.has(it.courseCode)) lastCode[l]!.set(it.courseCode, i);
    });
  }
  const blockLeaves = new Map(p.blocks.map((b) => [b.id, p.leaves.map((_, l) => l).filter((l) => p.ancestors[l]!.some((a) => a.id === b.id))]));
  const s = newState(p);
  let steps = 0;

  // The most a courses leaf can still gain from a course: its largest item.
  const bestOfCode = p.leaves.map(() => new Map<string, number>());
  p.items.forEach((it, i) => {
    for (const l of p.elig[i]!) if (it.courseCode !== null) bestOfCode[l]!.set(it.courseCode, Math.max(bestOfCode[l]!.get(it.courseCode) ?? 0, it.credits));
  });
  /** Upper bounds of what each leaf could still reach from item k on: distinct courses, credits passed up. */
  const potCount = new Int32Array(p.leaves.length);
  const potCredits = new Float64Array(p.leaves.length);
  const potential = (l: number, k: number) => {
    const leaf = p.leaves[l]!;
    if (leaf.kind === 'credits') {
      const c = s.leafCredits[l]! + suffixLeaf[l]![k]!;
      potCredits[l] = leaf.maxCredits === undefined ? c : Math.min(c, leaf.maxCredits);
      return;
    }
    const codes = s.leafCodes[l]!;
    let count = codes.size;
    let credits = s.leafCredits[l]!;
    for (const [code, last] of lastCode[l]!) {
      if (last < k || codes.has(code)) continue;
      count++;
      credits += bestOfCode[l]!.get(code)!;
    }
    potCount[l] = count;
    potCredits[l] = credits;
  };

  const smallestOfCode = p.leaves.map(() => new Map<string, number>());
  p.items.forEach((it, i) => {
    for (const l of p.elig[i]!) if (it.courseCode !== null) smallestOfCode[l]!.set(it.courseCode, Math.min(smallestOfCode[l]!.get(it.courseCode) ?? Infinity, it.credits));
  });
  /** The relaxation: could the items from k on meet what every leaf still lacks, credits split freely? */
  const flowFits = (k: number) => {
    const demand = p.leaves.map((leaf, l) => {
      if (leafMet(p, s, l)) return 0;
      if (leaf.kind === 'credits') return leaf.minCredits - s.leafCredits[l]!;
      const codes = s.leafCodes[l]!;
      const open = [...lastCode[l]!].filter(([code, last]) => last >= k && !codes.has(code)).map(([code]) => smallestOfCode[l]!.get(code)!);
      return open.sort((a, b) => a - b).slice(0, leafNeedCount(leaf) - codes.size).reduce((t, c) => t + c, 0);
    });
    const rest = p.items.slice(k);
    const edges = rest.map((it, j) => p.elig[k + j]!.filter((l) => demand[l]! > 0 && !(p.leaves[l]!.kind === 'courses' && s.leafCodes[l]!.has(it.courseCode!))));
    return demandsFit(rest.map((it) => it.credits), edges, demand);
  };

  const hopeless = (k: number): boolean => {
    if (s.counted + suffixAll[k]! < p.r.totalCredits) return true;
    if (p.r.residency !== undefined && s.home + suffixHome[k]! < p.r.residency) return true;
    for (let l = 0; l < p.leaves.length; l++) {
      potential(l, k);
      if (leafMet(p, s, l)) continue;
      const leaf = p.leaves[l]!;
      if (leaf.kind === 'credits' ? potCredits[l]! < leaf.minCredits : potCount[l]! < leafNeedCount(leaf)) return true;
    }
    for (const b of p.blocks) {
      if (p.waived.has(b.id) || b.minCredits === undefined) continue;
      let most = 0;
      for (const l of blockLeaves.get(b.id)!) most += potCredits[l]!;
      if (most < b.minCredits) return true;
    }
    // The flow bound is strong but costs more than a step: at the root, and now and then.
    return (k === 0 || steps % FLOW_EVERY === 0) && !flowFits(k);
  };

  // A cap can bind only where the record holds more than it allows; elsewhere leaving an item out
  // never helps, so the search does not try it.
  const held = new CapUsage(p.slots);
  p.items.forEach((it, i) => held.add(p.groups[i]!, it.credits));
  const canBind = p.groups.map((gs) => gs.some((g) => (g.credits !== undefined && held.total(g) > g.credits) || (g.count !== undefined && held.count(g) > g.count)));
  const leavesMet = () => {
    for (let l = 0; l < p.leaves.length; l++) if (!leafMet(p, s, l)) return false;
    const bc = blockCredits(p, s);
    return p.blocks.every((b) => p.waived.has(b.id) || (bc.get(b.id) ?? 0) >= (b.minCredits ?? 0));
  };

  const go = (k: number): boolean => {
    if (++steps > budget) return false;
    if (k === n) return allMet(p, s);
    if (hopeless(k)) return false;
    const item = p.items[k]!;
    const capped = s.caps.blocks(p.groups[k]!, item.credits) !== null;
    // When no requirement wants this item any more (none does, or every one is met), it counts if
    // the caps allow, without branching: leaving it out could only lower the total.
    if (p.elig[k]!.length === 0 || (leavesMet() && (p.r.residency === undefined || s.home >= p.r.residency))) {
      const o = capped ? DROP : FREE;
      s.assign[k] = o;
      place(p, s, k, o, 1);
      if (go(k + 1)) return true;
      place(p, s, k, o, -1);
      s.assign[k] = DROP;
      return false;
    }
    const options: number[] = [];
    if (!capped) {
      const bc = blockCredits(p, s);
      for (const l of p.elig[k]!) if (helps(p, s, k, l, bc)) options.push(l);
      options.push(FREE);
    }
    if (capped || canBind[k]) options.push(DROP);
    for (const o of options) {
      s.assign[k] = o;
      place(p, s, k, o, 1);
      if (go(k + 1)) return true;
      place(p, s, k, o, -1);
      s.assign[k] = DROP;
      if (steps > budget) return false;
    }
    return false;
  };
  const found = go(0);
  return { state: found ? s : null, exhaustive: found || steps <= budget };
}

function report(p: Problem, s: State, excluded: { id: string; reason: Exclusion }[], exhaustive: boolean): AuditResult {
  const { r } = p;
  const byId = new Map(r.nodes.map((n) => [n.id, n]));
  const leafIndex = new Map(p.leaves.map((l, j) => [l.id, j]));
  const itemsOf = s.shared ?? p.leaves.map(() => [] as string[]);
  const counted: string[] = [];
  const unassigned: string[] = [];
  const out = [...excluded];
  p.items.forEach((item, i) => {
    const a = s.assign[i]!;
    // A dropped item breaks a cap against everything that counts (fill() saw to that).
    if (a === DROP) out.push({ id: item.id, reason: s.caps.blocks(p.groups[i]!, item.credits)!.reason });
    else counted.push(item.id);
    if (a === FREE && !s.shared) unassigned.push(item.id);
    else if (a >= 0) itemsOf[a]!.push(item.id);
  });
  if (s.shared) unassigned.push(...counted.filter((id) => !itemsOf.some((ids) => ids.includes(id))));

  const node = (id: string): NodeResult => {
    const n = byId.get(id)!;
    const waived = p.waived.has(id);
    const base = { id, kind: n.kind, titleZh: n.titleZh, titleEn: n.titleEn, waived };
    if (n.kind === 'block') {
      const children = n.children.map(node);
      const credits = children.reduce((t, c) => t + c.credits, 0);
      const short = Math.max(0, (n.minCredits ?? 0) - credits);
      const satisfied = waived || (children.every((c) => c.satisfied) && short === 0);
      return { ...base, satisfied, credits, required: n.minCredits ?? null, items: [], missing: satisfied || short === 0 ? {} : { credits: short }, children };
    }
    const l = leafIndex.get(id);
    if (l === undefined) return { ...base, satisfied: true, credits: 0, required: n.kind === 'credits' ? n.minCredits : null, items: [], missing: {} };
    const credits = leafUp(p, s, l);
    const satisfied = leafMet(p, s, l);
    if (n.kind === 'courses') {
      const have = s.leafCodes[l]!;
      const left = n.courses.filter((c) => !have.has(c));
      const need = leafNeedCount(n) - have.size;
      const missing: Missing = satisfied ? {} : n.pick === undefined ? { courses: left } : { courses: left, pick: need };
      return { ...base, satisfied, credits, required: null, items: itemsOf[l]!, missing };
    }
    return { ...base, satisfied, credits, required: n.minCredits, items: itemsOf[l]!, missing: satisfied ? {} : { credits: n.minCredits - s.leafCredits[l]! } };
  };
  const nodes = r.root.map(node);
  const total = { credits: s.counted, required: r.totalCredits, satisfied: s.counted >= r.totalCredits };
  const residency = r.residency === undefined ? null : { credits: s.home, required: r.residency, satisfied: s.home >= r.residency };
  const complete = total.satisfied && (residency?.satisfied ?? true) && nodes.every((n) => n.satisfied);
  const order = new Map(p.items.map((it, i) => [it.id, i]));
  out.sort((a, b) => (order.get(a.id) ?? -1) - (order.get(b.id) ?? -1));
  return { complete, total, residency, nodes, counted, unassigned, excluded: out, exhaustive };
}

/** Audits a record against a programme's requirements. Never throws on odd records. */
export function audit(r: Requirements, items: CreditItem[], opts: AuditOptions): AuditResult {
  const { problem, excluded } = prepare(r, items, opts);
  if (r.sharing) return report(problem, shared(problem), excluded, true);
  const first = greedy(problem);
  if (!allMet(problem, first)) repair(problem, first);
  if (allMet(problem, first) || problem.unreachable) return report(problem, first, excluded, true);
  const found = search(problem, opts.budget ?? 3_000);
  return report(problem, fill(problem, found.state ?? first), excluded, found.exhaustive);
}

/** Lets every item left out count as a free elective where the caps still allow it. */
function fill(p: Problem, s: State): State {
  p.items.forEach((item, i) => {
    if (s.assign[i] !== DROP || s.caps.blocks(p.groups[i]!, item.credits)) return;
    s.assign[i] = FREE;
    place(p, s, i, FREE, 1);
  });
  return s;
}

/** With sharing, an item counts toward every requirement that accepts it (once per course). */
function shared(p: Problem): State {
  const s = newState(p);
  const lists: string[][] = p.leaves.map(() => []);
  s.shared = lists;
  p.items.forEach((item, i) => {
    if (s.caps.blocks(p.groups[i]!, item.credits)) return;
    s.assign[i] = FREE;
    place(p, s, i, FREE, 1);
    for (const l of p.elig[i]!) {
      if (item.courseCode !== null && s.leafCodes[l]!.has(item.courseCode)) continue;
      s.leafCredits[l]! += item.credits;
      if (item.courseCode !== null) s.leafCodes[l]!.set(item.courseCode, 1);
      lists[l]!.push(item.id);
    }
  });
  return s;
}

/** Items counted toward requirements in more than one of several audits (a major and a minor). */
export function countedTwice(results: AuditResult[]): string[] {
  const seen = new Map<string, number>();
  const inLeaves = (n: NodeResult): string[] => [...n.items, ...(n.children ?? []).flatMap(inLeaves)];
  results.forEach((res, k) => {
    for (const id of new Set(res.nodes.flatMap(inLeaves))) seen.set(id, (seen.get(id) ?? 0) | (1 << k));
  });
  return [...seen].filter(([, mask]) => (mask & (mask - 1)) !== 0).map(([id]) => id);
}

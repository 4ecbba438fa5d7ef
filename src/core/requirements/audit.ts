// The degree audit: which credit items count, and which requirement each one fills. Pure and
// deterministic: the same requirements and items always give the same answer.
//
// Counting is constrained by caps (per semester, year, institution, certificates, …); assigning
// items to requirements is a matching problem with indivisible items (NP-hard in general). A greedy
// pass, scarcest requirements first, with one step of repair solves nearly every real record at
// once. When it leaves a requirement open, an exact search looks for an assignment that meets every
// requirement, one requirement at a time (the one with least to spare first), cutting branches
// with bounds: what each requirement could still get, the caps on the total, and max-flow with
// credits split freely but the certificate and non-formal caps kept (flow.ts). The search has a
// step budget; the result says when it ran out before it could prove there is no such assignment.
import type { Centi } from '../credits.js';
import { demandsFit, type Pool } from './flow.js';
import { best } from './best.js';
import {
  leavesOf,
  type BlockNode,
  type CreditItem,
  type Filter,
  type Kind,
  type Leaf,
  type Overlap,
  type Requirements,
  type RequirementNode,
} from './model.js';
import { countOnce } from './once.js';
import {
  allMet,
  blockCredits,
  type CapGroup,
  CapUsage,
  DROP,
  FREE,
  leafMet,
  leafNeedCount,
  leafUp,
  newState,
  place,
  type Problem,
  type State,
} from './state.js';

export const EXCLUSIONS = [
  'too_old',
  'below_level',
  'not_transferred',
  'retake',
  'duplicate',
  'cap_certificates',
  'cap_nonformal',
  'cap_transferred',
  'cap_source',
  'cap_year',
  'cap_semester',
] as const;
export type Exclusion = (typeof EXCLUSIONS)[number];

export interface AuditOptions {
  /** The audit's date (YYYY-MM-DD): how recent credits must be is counted back from it. */
  asOf: string;
  /** Requirements a registrar has waived. */
  waived?: ReadonlySet<string>;
  /** Items a registrar lets count as another course: item id → course code. */
  substitutions?: ReadonlyMap<string, string>;
  /** Search steps before the exact search gives up (default 3,000: some milliseconds; tens on the hardest records). */
  budget?: number;
  /** Content two sides of which are the same learning (equivalences, certificates and the courses they replace). */
  overlaps?: readonly Overlap[];
}

export interface Excluded {
  id: string;
  reason: Exclusion;
  /** For a retake or duplicate: the items that count instead. */
  of?: string[];
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
  excluded: Excluded[];
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

/** The kind of learning an item is; without one given, by its origin. */
export const kindOf = (item: CreditItem): Kind => item.kind ?? (item.origin === 'certificate' || item.origin === 'nonformal' ? item.origin : 'course');

/**
 * The kinds each cap governs unless the programme says otherwise: the period caps, learning done in
 * the period (ACBS: not transcripts of completed formal studies, not certificates); the ceiling per
 * institution, courses and transcripts (certificates have their own caps).
 */
export const DEFAULT_GOVERNS: Record<'perYear' | 'perSemester' | 'perSource', readonly Kind[]> = {
  perYear: ['course'],
  perSemester: ['course'],
  perSource: ['course', 'transcript'],
};

/** The cap groups an item counts in; `slots` numbers each distinct group as it is first met. */
function capGroupsOf(r: Requirements, item: CreditItem, slots: Map<string, number>): CapGroup[] {
  const caps = r.caps ?? {};
  const out: CapGroup[] = [];
  const p = periodOf(item.completedOn, r.yearStartMonth ?? 9);
  const kind = kindOf(item);
  const governs = (cap: 'perYear' | 'perSemester' | 'perSource') => (caps.governs?.[cap] ?? DEFAULT_GOVERNS[cap]).includes(kind);
  if (caps.perSemester !== undefined && governs('perSemester')) addGroup(out, slots, `sem:${p.year}-${p.semester}`, 'cap_semester', caps.perSemester);
  if (caps.perYear !== undefined && governs('perYear')) addGroup(out, slots, `year:${p.year}`, 'cap_year', caps.perYear);
  if (caps.perSource !== undefined && governs('perSource')) addGroup(out, slots, `source:${item.source}`, 'cap_source', caps.perSource);
  if (caps.transferred !== undefined && item.origin === 'transfer') addGroup(out, slots, 'transferred', 'cap_transferred', caps.transferred);
  if (caps.certificates && item.origin === 'certificate')
    addGroup(out, slots, 'certificates', 'cap_certificates', caps.certificates.credits, caps.certificates.count);
  if (caps.nonFormal && (item.origin === 'certificate' || item.origin === 'nonformal'))
    addGroup(out, slots, 'nonformal', 'cap_nonformal', caps.nonFormal.credits, caps.nonFormal.count);
  return out;
}

// (a function of its own, not a closure made for every item: this runs for each item of every audit)
function addGroup(out: CapGroup[], slots: Map<string, number>, key: string, reason: Exclusion, credits: Centi | undefined, count?: number) {
  let slot = slots.get(key);
  if (slot === undefined) slots.set(key, (slot = slots.size));
  out.push({ key, slot, reason, credits, count });
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
  const excluded: Excluded[] = [];
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
  // what is learnt once counts once: one attempt of a course, one side of duplicated content
  const once = countOnce(kept, r.retakes ?? 'best', opts.overlaps);
  excluded.push(...once.notCounted);
  kept.length = 0;
  kept.push(...once.kept);
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
  // Course lists by course code, so that an item is matched only against the lists naming its course.
  const listsOf = new Map<string, number[]>();
  const creditLeaves: number[] = [];
  leaves.forEach((l, j) => {
    if (l.kind === 'credits') creditLeaves.push(j);
    else for (const c of l.courses) listsOf.set(c, [...(listsOf.get(c) ?? []), j]);
  });
  const accepted = kept.map((it) => {
    const out = it.courseCode === null ? [] : [...(listsOf.get(it.courseCode) ?? [])];
    for (const j of creditLeaves) if (accepts(leaves[j]!, it)) out.push(j);
    return out.sort((a, b) => a - b);
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
  // Credits under each block, kept up to date as items are placed (what blockCredits() gives).
  const bc = blockCredits(p, s);
  p.items.forEach((item, i) => {
    if (s.caps.blocks(p.groups[i]!, item.credits)) return;
    const l = p.elig[i]!.find((j) => !leafMet(p, s, j) && helps(p, s, i, j, bc)) ?? p.elig[i]!.find((j) => helps(p, s, i, j, bc));
    if (l === undefined) return;
    const before = leafUp(p, s, l);
    s.assign[i] = l;
    place(p, s, i, l, 1);
    const delta = leafUp(p, s, l) - before;
    if (delta !== 0) for (const b of p.ancestors[l]!) bc.set(b.id, bc.get(b.id)! + delta);
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
 * Exact search, one requirement at a time: the open requirement with the least room to spare takes
 * its next item, each candidate in turn (the items before it in that requirement's list are then
 * no longer candidates there, so no set of items is tried twice in another order). Once every
 * requirement is met, the items left over count where the caps allow, and when the total or the
 * residency falls short, a second search chooses which of them to leave out. Each step checks
 * bounds that cut branches which can no longer meet a requirement: what each one could still get,
 * the caps on the total, and the max-flow relaxation (flow.ts) over everything still open.
 */
/** The certificate, non-formal and transfer caps, as pools the flow's items draw from. */
const POOL_KEYS = ['nonformal', 'certificates', 'transferred'];

/** The exact search of an assignment that meets every requirement (see the top of this file). */
function search(p: Problem, budget: number): { state: State | null; exhaustive: boolean } {
  const run = new Search(p, budget);
  const found = run.step();
  return { state: found ? run.s : null, exhaustive: found || run.steps <= budget };
}

/**
 * One search: the problem's indexes (built once), the assignment being built, and the bounds that
 * cut a branch. An item is UNDECIDED (DROP) until the search puts it in a leaf or leaves it FREE.
 */
class Search {
  readonly s: State;
  steps = 0;
  private readonly n: number;
  private readonly nl: number;
  private readonly r: Requirements;
  private readonly credits: Centi[];
  private readonly isHome: boolean[];
  /** Each item's course as a small number (-1 without a course). */
  private readonly code: number[];
  private readonly isCourses: boolean[];
  private readonly need: number[];
  private readonly minOf: number[];
  private readonly maxOf: number[];
  /** Each leaf's candidates: items only it accepts first, then larger items first. */
  private readonly cand: number[][];
  private readonly posIn: Map<number, number>[];
  /** Position in cand[l] before which items may no longer join leaf l. */
  private readonly floor: Int32Array;
  /** Whether any cap of the item can bind (the record holds more than the cap allows). */
  private readonly canBind: boolean[];
  /** Interchangeable items share a kind; only the first of a kind is tried at each step. */
  private readonly kind: number[];
  /** Partitions of the items by cap group: per item, its group's slot. */
  private readonly families: number[][];
  private readonly familySlots: number[][];
  private readonly capOf: Float64Array;
  private readonly room: Float64Array;
  /** Per step: whether each item is still undecided and fits the caps (1), or not (0). */
  private readonly avail: Uint8Array;
  private readonly potCredits: Float64Array;
  private readonly potCount: Int32Array;
  private readonly codeMark: Int32Array;
  private readonly codeBest: Float64Array;
  private mark = 0;
  private readonly poolGroup: (CapGroup | undefined)[];
  private readonly poolOfItem: number[];
  private readonly poolMembers: number[][] = POOL_KEYS.map(() => []);
  private readonly largest: number[];
  private readonly blockLeaves: number[][];
  private readonly tried: number[] = [];
  private readonly forced: number[] = [];

  constructor(
    private readonly p: Problem,
    private readonly budget: number,
  ) {
    this.n = p.items.length;
    this.nl = p.leaves.length;
    this.r = p.r;
    this.s = newState(p);
    const credits = (this.credits = p.items.map((it) => it.credits));
    this.isHome = p.items.map((it) => it.origin === 'home');
    const codeIds = new Map<string, number>();
    this.code = p.items.map((it) => {
      if (it.courseCode === null) return -1;
      let c = codeIds.get(it.courseCode);
      if (c === undefined) codeIds.set(it.courseCode, (c = codeIds.size));
      return c;
    });
    const isCourses = (this.isCourses = p.leaves.map((l) => l.kind === 'courses'));
    this.need = p.leaves.map((l) => leafNeedCount(l));
    this.minOf = p.leaves.map((l) => (l.kind === 'credits' ? l.minCredits : 0));
    this.maxOf = p.leaves.map((l) => (l.kind === 'credits' && l.maxCredits !== undefined ? l.maxCredits : Infinity));

    const cand: number[][] = (this.cand = p.leaves.map(() => []));
    p.elig.forEach((e, i) => {
      for (const l of e) cand[l]!.push(i);
    });
    for (const list of cand) list.sort((a, b) => p.elig[a]!.length - p.elig[b]!.length || credits[b]! - credits[a]! || a - b);
    this.posIn = p.leaves.map(() => new Map<number, number>());
    cand.forEach((list, l) => list.forEach((i, k) => this.posIn[l]!.set(i, k)));
    this.floor = new Int32Array(this.nl);

    const held = new CapUsage(p.slots);
    p.items.forEach((it, i) => held.add(p.groups[i]!, it.credits));
    const binds = (g: CapGroup) => (g.credits !== undefined && held.total(g) > g.credits) || (g.count !== undefined && held.count(g) > g.count);
    this.canBind = p.groups.map((gs) => gs.some(binds));
    // the same credits, requirements, origin, course (where a course list could tell them apart) and binding caps
    const kinds = new Map<string, number>();
    this.kind = p.items.map((it, i) => {
      const e = p.elig[i]!;
      const key = `${it.credits}|${e.join(',')}|${it.origin}|${e.some((l) => isCourses[l]) ? it.courseCode : ''}|${p.groups[i]!.filter(binds)
        .map((g) => g.slot)
        .join(',')}`;
      let k = kinds.get(key);
      if (k === undefined) kinds.set(key, (k = kinds.size));
      return k;
    });

    // Every item has one semester, one year, one source: the total cannot exceed the sum over a
    // partition of what each group can still count.
    this.families = [];
    for (const prefix of ['sem:', 'year:', 'source:']) {
      const slotsOf = p.groups.map((gs) => gs.find((g) => g.key.startsWith(prefix) && g.credits !== undefined));
      if (slotsOf.length && slotsOf.every((g) => g !== undefined)) this.families.push(slotsOf.map((g) => g!.slot));
    }
    this.familySlots = this.families.map((fam) => [...new Set(fam)]);
    this.capOf = new Float64Array(p.slots).fill(Infinity);
    p.groups.forEach((gs) => gs.forEach((g) => (this.capOf[g.slot] = g.credits ?? Infinity)));
    this.room = new Float64Array(p.slots);

    this.avail = new Uint8Array(this.n);
    this.potCredits = new Float64Array(this.nl);
    this.potCount = new Int32Array(this.nl);
    this.codeMark = new Int32Array(codeIds.size);
    this.codeBest = new Float64Array(codeIds.size);

    // A count cap lets at most that many of the largest items into its pool.
    const byKey = new Map(p.groups.flat().map((g) => [g.key, g]));
    const poolGroup = (this.poolGroup = POOL_KEYS.map((key) => byKey.get(key)));
    this.poolOfItem = p.items.map((it) => {
      const k = it.origin === 'certificate' ? (poolGroup[1] ? 1 : 0) : it.origin === 'nonformal' ? 0 : it.origin === 'transfer' ? 2 : -1;
      return k >= 0 && poolGroup[k] ? k : -1;
    });
    this.largest = cand.map((list) => list.reduce((m, i) => Math.max(m, credits[i]!), 1));
    this.blockLeaves = p.blocks.map((b) => p.leaves.map((_, l) => l).filter((l) => p.ancestors[l]!.some((a) => a.id === b.id)));
  }

  private fits(i: number) {
    return this.s.caps.blocks(this.p.groups[i]!, this.credits[i]!) === null;
  }

  private leafOpen(l: number) {
    const s = this.s;
    return this.isCourses[l] ? s.leafCodes[l]!.size < this.need[l]! : s.leafCredits[l]! < this.minOf[l]!;
  }

  private leafUpPot(l: number) {
    return Math.min(this.potCredits[l]!, this.maxOf[l]!);
  }

  private put(i: number, l: number, sign: 1 | -1) {
    if (sign === 1) {
      this.s.assign[i] = l;
      place(this.p, this.s, i, l, 1);
    } else {
      place(this.p, this.s, i, l, -1);
      this.s.assign[i] = DROP;
    }
  }

  /** What leaf l could still reach: distinct courses and credits passed up. */
  private potential(l: number) {
    const { s, p, credits, avail, codeMark, codeBest } = this;
    const list = this.cand[l]!;
    if (!this.isCourses[l]) {
      let c = s.leafCredits[l]!;
      for (let k = this.floor[l]!; k < list.length; k++) {
        const i = list[k]!;
        if (avail[i]) c += credits[i]!;
      }
      this.potCredits[l] = c;
      return;
    }
    const mark = ++this.mark;
    const have = s.leafCodes[l]!;
    let count = have.size;
    let c = s.leafCredits[l]!;
    for (let k = this.floor[l]!; k < list.length; k++) {
      const i = list[k]!;
      if (!avail[i] || have.has(p.items[i]!.courseCode!)) continue;
      const cd = this.code[i]!;
      if (codeMark[cd] !== mark) {
        codeMark[cd] = mark;
        codeBest[cd] = credits[i]!;
        count++;
        c += credits[i]!;
      } else if (credits[i]! > codeBest[cd]!) {
        c += credits[i]! - codeBest[cd]!;
        codeBest[cd] = credits[i]!;
      }
    }
    this.potCount[l] = count;
    this.potCredits[l] = c;
  }

  /** Marks what is still available and checks the total and the residency against it. */
  private totalsHopeless(): boolean {
    const { s, r, credits, room } = this;
    let all = s.counted;
    let home = s.home;
    room.fill(0);
    for (let i = 0; i < this.n; i++) {
      const ok = s.assign[i] === DROP && this.fits(i);
      this.avail[i] = ok ? 1 : 0;
      if (!ok) continue;
      all += credits[i]!;
      if (this.isHome[i]) home += credits[i]!;
      for (const fam of this.families) room[fam[i]!]! += credits[i]!;
    }
    if (all < r.totalCredits) return true;
    if (r.residency !== undefined && home < r.residency) return true;
    for (const slots of this.familySlots) {
      let most = 0;
      for (const g of slots) most += Math.min(this.capOf[g]!, s.caps.totalAt(g) + room[g]!);
      if (most < r.totalCredits) return true;
    }
    return false;
  }

  /** The pools the items in `who` draw from, and each one's pool (-1 for none). */
  private poolsFor(who: number[]): { pools: Pool[]; poolOf: number[] } {
    const { poolMembers, poolGroup, poolOfItem, credits, s } = this;
    const index = POOL_KEYS.map(() => -1);
    const pools: Pool[] = [];
    for (const list of poolMembers) list.length = 0;
    for (const i of who) {
      const k = poolOfItem[i]!;
      if (k < 0) continue;
      poolMembers[k]!.push(credits[i]!);
      if (k === 1 && poolGroup[0]) poolMembers[0]!.push(credits[i]!);
    }
    for (const k of [0, 1, 2]) {
      const g = poolGroup[k];
      if (!g || poolMembers[k]!.length === 0) continue;
      const members = poolMembers[k]!.sort((a, b) => b - a);
      const countRoom = g.count === undefined ? members.length : Math.max(0, g.count - s.caps.countAt(g.slot));
      let top = 0;
      for (let j = 0; j < Math.min(countRoom, members.length); j++) top += members[j]!;
      const creditRoom = g.credits === undefined ? Infinity : g.credits - s.caps.totalAt(g.slot);
      index[k] = pools.length;
      pools.push({ cap: Math.max(0, Math.min(top, creditRoom)), parent: k === 1 && index[0]! >= 0 ? index[0]! : undefined });
    }
    return { pools, poolOf: who.map((i) => (poolOfItem[i]! < 0 ? -1 : index[poolOfItem[i]!]!)) };
  }

  /** The relaxation: could what is still open be met with credits split freely? */
  private flowFits(): boolean {
    const { s, p, nl, credits, avail, codeMark, codeBest, floor, isCourses } = this;
    const demand = new Array<number>(nl).fill(0);
    let any = false;
    for (let l = 0; l < nl; l++) {
      if (!this.leafOpen(l)) continue;
      any = true;
      if (!isCourses[l]) {
        demand[l] = this.minOf[l]! - s.leafCredits[l]!;
        continue;
      }
      // The smallest items of the courses still to take.
      const mark = ++this.mark;
      const have = s.leafCodes[l]!;
      const smallest: number[] = [];
      const list = this.cand[l]!;
      for (let k = floor[l]!; k < list.length; k++) {
        const i = list[k]!;
        if (!avail[i] || have.has(p.items[i]!.courseCode!)) continue;
        const cd = this.code[i]!;
        if (codeMark[cd] !== mark) {
          codeMark[cd] = mark;
          codeBest[cd] = smallest.length;
          smallest.push(credits[i]!);
        } else smallest[codeBest[cd]!] = Math.min(smallest[codeBest[cd]!]!, credits[i]!);
      }
      smallest.sort((a, b) => a - b);
      for (let k = 0; k < this.need[l]! - have.size; k++) demand[l]! += smallest[k]!;
    }
    if (!any) return true;
    const supply: number[] = [];
    const edges: number[][] = [];
    const who: number[] = [];
    for (let i = 0; i < this.n; i++) {
      if (!avail[i]) continue;
      const e: number[] = [];
      for (const l of p.elig[i]!) {
        if (demand[l]! <= 0 || this.posIn[l]!.get(i)! < floor[l]!) continue;
        if (isCourses[l] && s.leafCodes[l]!.has(p.items[i]!.courseCode!)) continue;
        e.push(l);
      }
      if (e.length) {
        supply.push(credits[i]!);
        edges.push(e);
        who.push(i);
      }
    }
    const { pools, poolOf } = this.poolsFor(who);
    return demandsFit(supply, edges, demand, pools, poolOf);
  }

  /** Leaves and blocks met: count what is left where the caps allow; if short, choose what to leave out. */
  private extend(): boolean {
    const { s, credits } = this;
    const rest: number[] = [];
    for (let i = 0; i < this.n; i++) if (s.assign[i] === DROP) rest.push(i);
    // First every item that fits, in order (what fill() would do).
    const freed: number[] = [];
    for (const i of rest) {
      if (!this.fits(i)) continue;
      s.assign[i] = FREE;
      place(this.p, s, i, FREE, 1);
      freed.push(i);
    }
    if (this.totalMet()) return true;
    for (const i of freed) {
      place(this.p, s, i, FREE, -1);
      s.assign[i] = DROP;
    }
    if (!rest.some((i) => this.canBind[i])) return false;
    const sufAll = new Array<number>(rest.length + 1).fill(0);
    const sufHome = new Array<number>(rest.length + 1).fill(0);
    for (let k = rest.length - 1; k >= 0; k--) {
      sufAll[k] = sufAll[k + 1]! + credits[rest[k]!]!;
      sufHome[k] = sufHome[k + 1]! + (this.isHome[rest[k]!] ? credits[rest[k]!]! : 0);
    }
    return this.leaveOut(rest, sufAll, sufHome, 0);
  }

  private totalMet() {
    return this.s.counted >= this.r.totalCredits && (this.r.residency === undefined || this.s.home >= this.r.residency);
  }

  /** Counts rest[k..] or leaves each out in turn (only an item whose cap binds is worth leaving out). */
  private leaveOut(rest: number[], sufAll: number[], sufHome: number[], k: number): boolean {
    const { s, r } = this;
    if (++this.steps > this.budget) return false;
    if (this.totalMet()) return true;
    if (k === rest.length) return false;
    if (s.counted + sufAll[k]! < r.totalCredits) return false;
    if (r.residency !== undefined && s.home + sufHome[k]! < r.residency) return false;
    const i = rest[k]!;
    if (this.fits(i)) {
      s.assign[i] = FREE;
      place(this.p, s, i, FREE, 1);
      if (this.leaveOut(rest, sufAll, sufHome, k + 1)) return true;
      place(this.p, s, i, FREE, -1);
      s.assign[i] = DROP;
      if (!this.canBind[i]) return false;
    }
    return this.leaveOut(rest, sufAll, sufHome, k + 1);
  }

  /** One step: cut the branch if a bound fails, else fill the open leaf with the least to spare. */
  step(): boolean {
    const { p, s, nl, isCourses, potCount, potCredits, need, minOf } = this;
    if (++this.steps > this.budget) return false;
    if (this.totalsHopeless()) return false;
    let pick = -1;
    let pickSlack = Infinity;
    for (let l = 0; l < nl; l++) {
      this.potential(l);
      if (!this.leafOpen(l)) continue;
      let slack: number;
      if (isCourses[l]) {
        if (potCount[l]! < need[l]!) return false;
        slack = potCount[l]! - need[l]!;
      } else {
        if (potCredits[l]! < minOf[l]!) return false;
        slack = (potCredits[l]! - minOf[l]!) / this.largest[l]!;
      }
      if (slack < pickSlack) {
        pickSlack = slack;
        pick = l;
      }
    }
    let shortBlock = -1;
    for (let b = 0; b < p.blocks.length; b++) {
      const block = p.blocks[b]!;
      if (p.waived.has(block.id) || block.minCredits === undefined) continue;
      let most = 0;
      let now = 0;
      for (const l of this.blockLeaves[b]!) {
        most += this.leafUpPot(l);
        now += leafUp(p, s, l);
      }
      if (most < block.minCredits) return false;
      if (now < block.minCredits && shortBlock < 0) shortBlock = b;
    }
    if (!this.flowFits()) return false;
    if (pick < 0 && shortBlock < 0) return this.extend();
    if (pickSlack === 0) {
      const forced = this.forceTight();
      if (forced !== null) return forced;
    }
    if (pick >= 0) return this.addTo(pick);
    for (const l of this.blockLeaves[shortBlock]!) if (leafUp(p, s, l) < this.maxOf[l]! && this.addTo(l)) return true;
    return false;
  }

  /**
   * Leaves with nothing to spare need every item they can still get (one per course): all of them
   * go there at once, leaf after leaf, and the search goes on from there. Null when none was forced.
   */
  private forceTight(): boolean | null {
    const { p, s, nl, floor, forced, codeMark } = this;
    const from = forced.length;
    const savedFloors = floor.slice();
    let dead = false;
    for (let l = 0; l < nl && !dead; l++) {
      if (!this.leafOpen(l)) continue;
      const isCourses = this.isCourses[l];
      if (isCourses ? this.potCount[l]! !== this.need[l]! : this.potCredits[l]! !== this.minOf[l]!) continue;
      const list = this.cand[l]!;
      // Still all there after the leaves forced before it?
      const mark = ++this.mark;
      let single = true;
      const mine: number[] = [];
      for (let k = floor[l]!; k < list.length; k++) {
        const i = list[k]!;
        if (s.assign[i] !== DROP) continue;
        if (isCourses) {
          if (s.leafCodes[l]!.has(p.items[i]!.courseCode!)) continue;
          if (codeMark[this.code[i]!] === mark) single = false;
          codeMark[this.code[i]!] = mark;
        }
        if (!this.fits(i)) continue;
        mine.push(i);
      }
      if (!single) continue;
      for (const i of mine) {
        if (!this.fits(i)) break;
        this.put(i, l, 1);
        forced.push(i);
      }
      floor[l] = list.length;
      if (this.leafOpen(l)) dead = true;
    }
    if (dead || forced.length > from) {
      const ok = !dead && this.step();
      if (ok) return true;
      while (forced.length > from) {
        const i = forced.pop()!;
        this.put(i, s.assign[i]!, -1);
      }
      floor.set(savedFloors);
      return false;
    }
    floor.set(savedFloors);
    return null;
  }

  /** Whether leaf l can still be met from the items after its floor that are free and fit now. */
  private reachable(l: number): boolean {
    const { s, p, credits, floor, codeMark } = this;
    const list = this.cand[l]!;
    if (!this.isCourses[l]) {
      let c = s.leafCredits[l]!;
      for (let k = floor[l]!; k < list.length && c < this.minOf[l]!; k++) if (s.assign[list[k]!] === DROP && this.fits(list[k]!)) c += credits[list[k]!]!;
      return c >= this.minOf[l]!;
    }
    const mark = ++this.mark;
    const have = s.leafCodes[l]!;
    let count = have.size;
    for (let k = floor[l]!; k < list.length && count < this.need[l]!; k++) {
      const i = list[k]!;
      if (s.assign[i] !== DROP || codeMark[this.code[i]!] === mark || have.has(p.items[i]!.courseCode!) || !this.fits(i)) continue;
      codeMark[this.code[i]!] = mark;
      count++;
    }
    return count >= this.need[l]!;
  }

  /**
   * Leaf l takes its next item, each candidate in turn; while it is still open it takes another
   * (checking only that it can still be met), and once it is met the search goes on.
   */
  private addTo(l: number): boolean {
    const { s, floor, tried } = this;
    const list = this.cand[l]!;
    const saved = floor[l]!;
    const triedFrom = tried.length;
    let ok = false;
    for (let k = saved; k < list.length && !ok && this.steps <= this.budget; k++) {
      const i = list[k]!;
      if (s.assign[i] !== DROP || !this.fits(i)) continue;
      if (this.isCourses[l] && s.leafCodes[l]!.has(this.p.items[i]!.courseCode!)) continue;
      if (this.sameAsTried(i, triedFrom)) continue;
      tried.push(i);
      floor[l] = k + 1;
      this.put(i, l, 1);
      ok = this.leafOpen(l) ? ++this.steps <= this.budget && this.reachable(l) && this.addTo(l) : this.step();
      if (!ok) {
        this.put(i, l, -1);
        floor[l] = saved;
      }
    }
    tried.length = triedFrom;
    return ok;
  }

  /** Whether an item just like i (and open to the same leaves) was tried at this step already. */
  private sameAsTried(i: number, from: number): boolean {
    const { tried, kind, posIn, floor } = this;
    for (let t = from; t < tried.length; t++) {
      const j = tried[t]!;
      if (kind[j] !== kind[i]) continue;
      if (this.p.elig[i]!.every((m) => posIn[m]!.get(i)! >= floor[m]! === posIn[m]!.get(j)! >= floor[m]!)) return true;
    }
    return false;
  }
}

function report(p: Problem, s: State, excluded: Excluded[], exhaustive: boolean): AuditResult {
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
    // One literal per result (spreading a shared base is several times slower in V8).
    const result = (satisfied: boolean, credits: Centi, required: Centi | null, items: string[], missing: Missing, children?: NodeResult[]): NodeResult =>
      children
        ? { id, kind: n.kind, titleZh: n.titleZh, titleEn: n.titleEn, waived, satisfied, credits, required, items, missing, children }
        : { id, kind: n.kind, titleZh: n.titleZh, titleEn: n.titleEn, waived, satisfied, credits, required, items, missing };
    if (n.kind === 'block') {
      const children = n.children.map(node);
      const credits = children.reduce((t, c) => t + c.credits, 0);
      const short = Math.max(0, (n.minCredits ?? 0) - credits);
      const satisfied = waived || (children.every((c) => c.satisfied) && short === 0);
      return result(satisfied, credits, n.minCredits ?? null, [], satisfied || short === 0 ? {} : { credits: short }, children);
    }
    const l = leafIndex.get(id);
    if (l === undefined) return result(true, 0, n.kind === 'credits' ? n.minCredits : null, [], {});
    const credits = leafUp(p, s, l);
    const satisfied = leafMet(p, s, l);
    if (n.kind === 'courses') {
      const have = s.leafCodes[l]!;
      const left = n.courses.filter((c) => !have.has(c));
      const need = leafNeedCount(n) - have.size;
      const missing: Missing = satisfied ? {} : n.pick === undefined ? { courses: left } : { courses: left, pick: need };
      return result(satisfied, credits, null, itemsOf[l]!, missing);
    }
    return result(satisfied, credits, n.minCredits, itemsOf[l]!, satisfied ? {} : { credits: n.minCredits - s.leafCredits[l]! });
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
  const budget = opts.budget ?? 3_000;
  let start: State;
  // proven: no assignment meets every requirement
  let hopeless = problem.unreachable;
  if (r.sharing) start = shared(problem);
  else {
    start = greedy(problem);
    if (!allMet(problem, start)) repair(problem, start);
    if (!allMet(problem, start) && !hopeless) {
      const found = search(problem, budget);
      if (found.state) start = fill(problem, found.state);
      else hopeless = found.exhaustive;
    }
  }
  // then the best of all: it meets every requirement if any assignment does, counts the most, leaves the least to do
  const found = best(problem, start, budget, hopeless);
  return report(problem, fill(problem, found.state), excluded, found.exhaustive);
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

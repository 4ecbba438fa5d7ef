// The best way to count a record: the assignment that, first, meets every requirement if any does;
// then counts the most credits within the caps (so that "expected to graduate" and the credits
// still to earn are right); then leaves the fewest courses and the fewest credits missing in the
// requirements. Branch and bound over the items, from an assignment found by the faster passes in
// audit.ts: an optimistic bound on what the items still open could add cuts every branch that
// cannot beat the best assignment so far. On most records the bound at the root already shows the
// starting assignment is best, and no branch is tried. The first two goals are searched within the
// step budget on every record (the result says when it ran out); the last two on records of up to
// SMALL items (larger ones keep the faster passes' answer there: proving it best can take seconds).
import { allMet, blockCredits, DROP, FREE, newState, place, type Problem, type State } from './state.js';
import { maxFlow } from './flow.js';

/** Records of at most this many items are searched for the fewest courses and credits missing too. */
export const SMALL = 24;

/** Compared in order, higher better: complete, credits counted, − courses missing, − credits missing. */
export type Score = [number, number, number, number];

/** Whether score a beats b, compared on their first `parts` parts. */
const better = (a: Score, b: Score, parts = 4) => {
  for (let k = 0; k < parts; k++) if (a[k] !== b[k]) return a[k]! > b[k]!;
  return false;
};

const need = (p: Problem, l: number) => {
  const leaf = p.leaves[l]!;
  return leaf.kind === 'courses' ? (leaf.pick ?? leaf.courses.length) : 0;
};

const rootIds = (p: Problem) => new Set(p.r.root);

/**
 * What is still missing given each leaf's credits and courses (real or hoped for): courses, and
 * credits short at the top level (credit leaves and blocks in the root) and below it.
 */
function missing(p: Problem, credits: ArrayLike<number>, codes: (l: number) => number, home: number, root = rootIds(p)) {
  let courses = 0;
  let top = 0;
  let below = 0;
  const up = new Map<string, number>();
  p.leaves.forEach((leaf, l) => {
    if (leaf.kind === 'courses') courses += Math.max(0, need(p, l) - codes(l));
    else if (root.has(leaf.id)) top += Math.max(0, leaf.minCredits - credits[l]!);
    else below += Math.max(0, leaf.minCredits - credits[l]!);
    const c = leaf.kind === 'credits' && leaf.maxCredits !== undefined ? Math.min(credits[l]!, leaf.maxCredits) : credits[l]!;
    for (const b of p.ancestors[l]!) up.set(b.id, (up.get(b.id) ?? 0) + c);
  });
  for (const b of p.blocks) {
    if (p.waived.has(b.id)) continue;
    const short = Math.max(0, (b.minCredits ?? 0) - (up.get(b.id) ?? 0));
    if (root.has(b.id)) top += short;
    else below += short;
  }
  if (p.r.residency !== undefined) below += Math.max(0, p.r.residency - home);
  return { courses, top, below };
}

export function scoreOf(p: Problem, s: State): Score {
  const m = missing(p, s.leafCredits, (l) => s.leafCodes[l]!.size, s.home);
  return [allMet(p, s) ? 1 : 0, s.counted, -m.courses, -(m.top + m.below)];
}

/**
 * Improves on `start` (or proves it best) within `budget` steps; `hopeless` when it is known that
 * no assignment meets every requirement. With sharing, an item counted
 * counts in every requirement that accepts it (once per course), so the only choice is which items
 * the caps leave out.
 */
export function best(p: Problem, start: State, budget: number, hopeless = false): { state: State; exhaustive: boolean } {
  const n = p.items.length;
  const nl = p.leaves.length;
  const sharing = start.shared !== undefined;
  const credits = p.items.map((it) => it.credits);
  const s = newState(p);
  /** With sharing: whether item i added its credits to leaf l (the first of its course there). */
  const addedTo: boolean[][] = p.items.map(() => []);
  const count = (i: number, sign: 1 | -1) => {
    place(p, s, i, FREE, sign);
    const code = p.items[i]!.courseCode;
    p.elig[i]!.forEach((l, k) => {
      const codes = s.leafCodes[l]!;
      if (sign === 1) {
        const first = code === null || !codes.has(code);
        addedTo[i]![k] = first;
        if (code !== null) codes.set(code, (codes.get(code) ?? 0) + 1);
        if (first) s.leafCredits[l]! += credits[i]!;
      } else {
        if (code !== null) {
          const left = codes.get(code)! - 1;
          if (left === 0) codes.delete(code);
          else codes.set(code, left);
        }
        if (addedTo[i]![k]) s.leafCredits[l]! -= credits[i]!;
      }
    });
  };
  const apply = (i: number, target: number, sign: 1 | -1) => {
    if (target === DROP) return;
    if (sharing) count(i, sign);
    else place(p, s, i, target, sign);
  };

  // Which caps can bind at all: an item none of whose caps can bind is always counted.
  const total = new Float64Array(p.slots);
  const many = new Int32Array(p.slots);
  const capCredits = new Float64Array(p.slots).fill(Infinity);
  const capCount = new Float64Array(p.slots).fill(Infinity);
  p.groups.forEach((gs, i) =>
    gs.forEach((g) => {
      total[g.slot]! += credits[i]!;
      many[g.slot]!++;
      if (g.credits !== undefined) capCredits[g.slot] = g.credits;
      if (g.count !== undefined) capCount[g.slot] = g.count;
    }),
  );
  const canBind = p.groups.map((gs) => gs.some((g) => total[g.slot]! > capCredits[g.slot]! || many[g.slot]! > capCount[g.slot]!));
  // Cap groups that split the items they govern (each item is in one semester, one year, one
  // source): what each group must leave out adds up. The other caps (certificates, non-formal,
  // transferred) are one group each.
  const familyOf = (key: string) => ['sem:', 'year:', 'source:'].find((prefix) => key.startsWith(prefix)) ?? key;
  const slotsOf = new Map<string, Set<number>>();
  for (const gs of p.groups)
    for (const g of gs) {
      const family = familyOf(g.key);
      const slots = slotsOf.get(family);
      if (slots) slots.add(g.slot);
      else slotsOf.set(family, new Set([g.slot]));
    }
  const families = ['sem:', 'year:', 'source:', 'certificates', 'nonformal', 'transferred'].flatMap((f) => (slotsOf.has(f) ? [[...slotsOf.get(f)!]] : []));
  // the credits of the open items under each cap group, side by side: group g's memberCount[g] of them from firstMember[g]
  const firstMember = new Int32Array(p.slots + 1);
  for (let g = 0; g < p.slots; g++) firstMember[g + 1] = firstMember[g]! + many[g]!;
  const members = new Float64Array(firstMember[p.slots]!);
  const memberCount = new Int32Array(p.slots);

  const room = new Float64Array(p.slots);
  const roomCount = new Int32Array(p.slots);
  const potCredits = new Float64Array(nl);
  const potCodes = Array.from({ length: nl }, () => new Set<string>());
  /** What the best completion of the items from i on could score, each part hoped for on its own. */
  const bound = (i: number, parts: number): Score => {
    let counted = s.counted;
    let home = s.home;
    room.fill(0);
    roomCount.fill(0);
    memberCount.fill(0);
    const open: number[] = [];
    for (let k = i; k < n; k++) {
      if (s.caps.blocks(p.groups[k]!, credits[k]!)) continue;
      open.push(k);
      counted += credits[k]!;
      if (p.items[k]!.origin === 'home') home += credits[k]!;
      for (const g of p.groups[k]!) {
        room[g.slot]! += credits[k]!;
        roomCount[g.slot]!++;
        members[firstMember[g.slot]! + memberCount[g.slot]!++] = credits[k]!;
      }
    }
    // each cap leaves out at least what the open items hold beyond it, in whole items
    let over = 0;
    for (const family of families) {
      let sum = 0;
      for (const g of family) sum += leftOut(g, s.caps.totalAt(g) + room[g]! - capCredits[g]!, s.caps.countAt(g) + roomCount[g]! - capCount[g]!);
      over = Math.max(over, sum);
    }
    counted -= over;
    if (parts <= 2) return [!hopeless && counted >= p.r.totalCredits ? 1 : 0, counted, 0, 0];
    for (let l = 0; l < nl; l++) {
      potCredits[l] = s.leafCredits[l]!;
      potCodes[l]!.clear();
      for (const c of s.leafCodes[l]!.keys()) potCodes[l]!.add(c);
    }
    for (const k of open) {
      const code = p.items[k]!.courseCode;
      for (const l of p.elig[k]!) {
        potCredits[l]! += credits[k]!;
        if (code !== null) potCodes[l]!.add(code);
      }
    }
    const m = missing(p, potCredits, (l) => potCodes[l]!.size, home, root);
    const courses = m.courses;
    // at the top level the requirements do not share items: with their credits split freely among them
    const short = m.below + (sharing ? m.top : Math.max(m.top, topShortfall(i)));
    return [!hopeless && counted >= p.r.totalCredits && courses === 0 && short === 0 ? 1 : 0, counted, -courses, -short];
  };
  /**
   * The least credits cap group g must leave out of its open items: at least `credits` of them and
   * at least `items` of them, whole items only (the smallest sum of a subset that is large enough).
   */
  const leftOut = (g: number, credits: number, items: number): number => {
    if (credits <= 0 && items <= 0) return 0;
    const sizes = members.subarray(firstMember[g]!, firstMember[g]! + memberCount[g]!).sort();
    let floor = 0;
    for (let k = 0; k < Math.min(items, sizes.length); k++) floor += sizes[k]!;
    if (floor >= credits) return floor;
    // subset sums (of any size): the smallest one reaching `credits`
    const sums = [0];
    const seen = new Set(sums);
    let least = Infinity;
    for (const c of sizes) {
      // the sums made so far, each with or without this item; those already large enough end there
      for (let k = 0, made = sums.length; k < made; k++) {
        const u = sums[k]! + c;
        if (u >= credits) least = Math.min(least, u);
        else if (!seen.has(u)) {
          seen.add(u);
          sums.push(u);
        }
      }
    }
    return Math.max(floor, least);
  };

  // The top-level requirements (credit leaves and blocks in the root): each item counts under one of them.
  const root = rootIds(p);
  const tops = [...root];
  const topOf = p.leaves.map((leaf, l) => tops.indexOf(p.ancestors[l]!.at(-1)?.id ?? leaf.id));
  const topNode = tops.map((id) => p.r.nodes.find((x) => x.id === id)!);
  const topLeaf = topNode.map((node) => p.leaves.findIndex((x) => x.id === node.id));
  const demand = new Array<number>(tops.length).fill(0);
  /** What the top-level requirements miss at least, when each open item's credits go to them split freely. */
  const topShortfall = (i: number) => {
    const now = blockCredits(p, s);
    let need = 0;
    topNode.forEach((node, t) => {
      const l = topLeaf[t]!;
      const min = node.kind === 'block' ? (p.waived.has(node.id) ? 0 : (node.minCredits ?? 0)) : node.kind === 'credits' && l >= 0 ? node.minCredits : 0;
      const has = node.kind === 'block' ? (now.get(node.id) ?? 0) : l >= 0 ? s.leafCredits[l]! : 0;
      demand[t] = Math.max(0, min - has);
      need += demand[t]!;
    });
    if (need === 0) return 0;
    const supply: number[] = [];
    const edges: number[][] = [];
    for (let k = i; k < n; k++) {
      if (s.caps.blocks(p.groups[k]!, credits[k]!)) continue;
      const e = [...new Set(p.elig[k]!.map((l) => topOf[l]!))].filter((t) => demand[t]! > 0);
      if (e.length === 0) continue;
      supply.push(credits[k]!);
      edges.push(e);
    }
    return need - maxFlow(supply, edges, demand);
  };

  // Interchangeable items (the same credits, requirements, caps and course): an assignment and the
  // one with two of them swapped are the same, so each takes an option no earlier than the one before.
  const sameList = <T>(a: T[], b: T[], f: (x: T) => unknown) => a.length === b.length && a.every((x, k) => f(x) === f(b[k]!));
  const same = (i: number, j: number) =>
    credits[i] === credits[j] &&
    sameList(p.elig[i]!, p.elig[j]!, (l) => l) &&
    sameList(p.groups[i]!, p.groups[j]!, (g) => g.slot) &&
    (p.items[i]!.origin === 'home') === (p.items[j]!.origin === 'home') &&
    p.items[i]!.courseCode === p.items[j]!.courseCode;
  const sameAsBefore = p.items.map((_, i) => i > 0 && same(i, i - 1));
  const options = p.items.map((_, i) => (sharing ? [FREE] : p.elig[i]!.length ? p.elig[i]! : [FREE]));
  const rankOf = (i: number, target: number) => (target === DROP ? options[i]!.length : options[i]!.indexOf(target));

  let bestAssign = start.assign.slice();
  let bestScore = scoreOf(p, start);
  const assign = p.items.map(() => DROP);
  let steps = 0;
  let out = false;
  /** Depth first from item i, comparing the first `parts` parts of the score, within `limit` steps. */
  const go = (i: number, parts: number, limit: number) => {
    if (++steps > limit) {
      out = true;
      return;
    }
    if (i === n) {
      const score = scoreOf(p, s);
      if (better(score, bestScore, parts)) {
        bestScore = score;
        bestAssign = assign.slice();
      }
      return;
    }
    if (!better(bound(i, parts), bestScore, parts)) return;
    const from = sameAsBefore[i] ? rankOf(i - 1, assign[i - 1]!) : 0;
    const list = options[i]!;
    const fits = !s.caps.blocks(p.groups[i]!, credits[i]!);
    if (fits) {
      for (let k = from; k < list.length; k++) {
        const target = list[k]!;
        assign[i] = target;
        apply(i, target, 1);
        go(i + 1, parts, limit);
        apply(i, target, -1);
        assign[i] = DROP;
        if (out) return;
      }
    }
    // left out: always the last option, and worth trying only where a cap could make it pay
    if (!fits || canBind[i]) go(i + 1, parts, limit);
  };
  // First what decides the award: complete, and the most credits counted; proven within the budget.
  if (better(bound(0, 2), bestScore, 2)) go(0, 2, budget);
  const exhaustive = !out;
  // Then, on records small enough to search in some milliseconds, the fewest courses and credits
  // still missing (on larger ones, the faster passes' answer: proving it best there takes too long).
  out = false;
  steps = 0;
  if (n <= SMALL && better(bound(0, 4), bestScore, 4)) go(0, 4, budget);

  // the best assignment, replayed on a fresh state (with sharing, with the items each leaf counts)
  const state = newState(p);
  if (sharing) state.shared = p.leaves.map(() => []);
  bestAssign.forEach((target, i) => {
    if (target === DROP) return;
    state.assign[i] = target;
    if (!sharing) return place(p, state, i, target, 1);
    place(p, state, i, FREE, 1);
    const code = p.items[i]!.courseCode;
    for (const l of p.elig[i]!) {
      if (code !== null && state.leafCodes[l]!.has(code)) continue;
      state.leafCredits[l]! += credits[i]!;
      if (code !== null) state.leafCodes[l]!.set(code, 1);
      state.shared![l]!.push(p.items[i]!.id);
    }
  });
  return { state, exhaustive };
}

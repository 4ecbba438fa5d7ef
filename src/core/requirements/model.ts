// Programme requirements as data: a tree of requirement nodes, programme-wide rules and caps, and
// the credit items an account offers to an audit. Pure types and the structural checks; the audit
// itself is in audit.ts.
import type { Centi } from '../credits.js';

/** Where a credit item comes from, seen from the awarding institution. */
export const ORIGINS = ['home', 'transfer', 'external', 'certificate', 'nonformal'] as const;
export type Origin = (typeof ORIGINS)[number];

/** One piece of learning in an account, as the audit sees it. */
export interface CreditItem {
  /** Stable key, e.g. "outcome:<uuid>". */
  id: string;
  /** The course at the awarding institution it is or counts as (home course, transfer target, certificate substitute). */
  courseCode: string | null;
  /** An elective category it counts in (transfer or certificate into a category). */
  category: string | null;
  /** Who taught or issued it: the per-institution cap groups by this. */
  source: string;
  origin: Origin;
  /** What kind of learning it is (the caps that govern it); without it, by its origin (see audit's kindOf). */
  kind?: Kind;
  credits: Centi;
  /** The day it was completed (YYYY-MM-DD): years and semesters are counted by it. */
  completedOn: string;
  level: number | null;
  /** ISCED-F 2013 code, 2–4 digits. */
  field: string;
  /**
   * What it covers, e.g. the course's id: items with the same content are attempts of one course
   * (retakes) and count once. Without it, the item's id.
   */
  content?: string;
  /** How good its grade is, higher better (retakes keep the best attempt); null when not comparable. */
  rank?: number | null;
}

/** Two sets of content that cover the same learning (an equivalence, a certificate and the course it replaces): only one side counts. */
export interface Overlap {
  a: string[];
  b: string[];
}

/** Which items a requirement accepts. Every given condition must hold. */
export interface Filter {
  /** ISCED-F prefixes: "06" takes 0612 and 0613. */
  fields?: string[];
  courses?: string[];
  categories?: string[];
  origins?: Origin[];
  minLevel?: number;
}

interface NodeBase {
  id: string;
  titleZh: string;
  titleEn: string;
}

/** Passes when every child passes and the credits used under it reach `minCredits`. */
export interface BlockNode extends NodeBase {
  kind: 'block';
  children: string[];
  minCredits?: Centi;
}

/** Each listed course, or `pick` of them. */
export interface CoursesNode extends NodeBase {
  kind: 'courses';
  courses: string[];
  pick?: number;
}

/** At least `minCredits` from items the filter accepts; at most `maxCredits` count here. */
export interface CreditsNode extends NodeBase {
  kind: 'credits';
  minCredits: Centi;
  maxCredits?: Centi;
  filter: Filter;
}

export type RequirementNode = BlockNode | CoursesNode | CreditsNode;
export type Leaf = CoursesNode | CreditsNode;

export interface CountCap {
  count?: number;
  credits?: Centi;
}

/**
 * Kinds of learning, for the caps that govern some of them only. ACBS's period caps govern what is
 * studied in that period (accredited credit-bank courses, part-time registration), not transcripts
 * of studies completed at a formal institution nor certificates.
 */
export const KINDS = ['course', 'transcript', 'certificate', 'nonformal'] as const;
export type Kind = (typeof KINDS)[number];

export interface Caps {
  /** Vocational and skill certificates. */
  certificates?: CountCap;
  /** All learning outside formal courses: certificates, training, MOOCs, micro-credentials, work experience. */
  nonFormal?: CountCap;
  transferred?: Centi;
  perSource?: Centi;
  perYear?: Centi;
  perSemester?: Centi;
  /** The kinds of learning the period and per-institution caps govern, where not the defaults (audit's DEFAULT_GOVERNS). */
  governs?: Partial<Record<'perYear' | 'perSemester' | 'perSource', Kind[]>>;
}

export interface Requirements {
  totalCredits: Centi;
  /** Top-level requirement nodes, in the order a learner reads them. */
  root: string[];
  nodes: RequirementNode[];
  /** Whether one credit may count toward several requirements. */
  sharing?: boolean;
  /** Least credits earned at the awarding institution itself. */
  residency?: Centi;
  /** Credits completed more than this many years before the audit do not count. */
  recentYears?: number;
  /** Items below this level do not count (items without a level do). */
  minLevel?: number;
  /** Whether courses at other institutions count without a transfer (a credit bank's own degree does; a university's does not). */
  countExternal?: boolean;
  /** The month (1–12) the academic year starts; the two semesters are its halves. ACBS: 3 (March). */
  yearStartMonth?: number;
  caps?: Caps;
  /** Credits from which an "expected to graduate" statement may be issued. */
  expectedAt?: Centi;
  /** Whether credits used for an award of the same qualification level may count again. */
  reuseSameLevel?: boolean;
  /** Which attempt of a course taken more than once counts: the best passing one (default), or the latest. */
  retakes?: 'best' | 'latest';
}

export class RequirementsError extends Error {
  constructor(
    message: string,
    /** Where in the document, e.g. "nodes[3].children[1]". */
    readonly path: string,
  ) {
    super(message);
    this.name = 'RequirementsError';
  }
}

/**
 * Checks what a schema cannot: unique and known node ids, no cycles, every node reachable once,
 * known courses, caps and maxima not below the minima they must allow. Throws the first problem
 * with the path of the bad node.
 */
export function checkRequirements(r: Requirements, knownCourses?: ReadonlySet<string>): void {
  const index = new Map<string, number>();
  r.nodes.forEach((n, i) => {
    if (index.has(n.id)) throw new RequirementsError(`Node id "${n.id}" is used twice`, `nodes[${i}].id`);
    index.set(n.id, i);
  });
  const ref = (id: string, path: string) => {
    if (!index.has(id)) throw new RequirementsError(`No node has the id "${id}"`, path);
    return index.get(id)!;
  };
  const nonNegative = (v: number | undefined, path: string) => {
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw new RequirementsError('Must be zero or more', path);
  };
  nonNegative(r.totalCredits, 'totalCredits');
  nonNegative(r.residency, 'residency');
  nonNegative(r.expectedAt, 'expectedAt');
  if (r.residency !== undefined && r.residency > r.totalCredits)
    throw new RequirementsError('The residency minimum is more than the total credits', 'residency');
  if (r.expectedAt !== undefined && r.expectedAt > r.totalCredits)
    throw new RequirementsError('The "expected to graduate" threshold is more than the total credits', 'expectedAt');
  if (r.yearStartMonth !== undefined && !(Number.isInteger(r.yearStartMonth) && r.yearStartMonth >= 1 && r.yearStartMonth <= 12)) {
    throw new RequirementsError('A month from 1 to 12', 'yearStartMonth');
  }
  const caps = r.caps ?? {};
  for (const [k, v] of Object.entries(caps)) {
    if (k === 'governs') continue;
    if (typeof v === 'number') nonNegative(v, `caps.${k}`);
    else if (v) {
      nonNegative(v.count, `caps.${k}.count`);
      nonNegative(v.credits, `caps.${k}.credits`);
    }
  }
  for (const [cap, kinds] of Object.entries(caps.governs ?? {})) {
    if (!['perYear', 'perSemester', 'perSource'].includes(cap))
      throw new RequirementsError('Only perYear, perSemester and perSource name the kinds they govern', `caps.governs.${cap}`);
    kinds.forEach((k, j) => {
      if (!(KINDS as readonly string[]).includes(k)) throw new RequirementsError(`One of ${KINDS.join(', ')}`, `caps.governs.${cap}[${j}]`);
    });
  }
  if (caps.perYear !== undefined && caps.perSemester !== undefined && caps.perSemester > caps.perYear) {
    throw new RequirementsError('The semester cap is more than the yearly cap', 'caps.perSemester');
  }

  // Cycles and reachability: walk from the root; a node met again on the current path is a cycle,
  // a node met twice elsewhere is shared, which the tree does not allow.
  const seen = new Set<string>();
  const walk = (id: string, path: string, onPath: Set<string>) => {
    const i = ref(id, path);
    if (onPath.has(id)) throw new RequirementsError(`The requirement "${id}" contains itself`, path);
    if (seen.has(id)) throw new RequirementsError(`The requirement "${id}" appears in two places`, path);
    seen.add(id);
    const node = r.nodes[i]!;
    if (node.kind === 'block') {
      onPath.add(id);
      node.children.forEach((c, j) => walk(c, `nodes[${i}].children[${j}]`, onPath));
      onPath.delete(id);
    }
  };
  if (r.root.length === 0) throw new RequirementsError('A programme needs at least one requirement', 'root');
  r.root.forEach((id, j) => walk(id, `root[${j}]`, new Set()));
  r.nodes.forEach((n, i) => {
    if (!seen.has(n.id)) throw new RequirementsError(`The requirement "${n.id}" is not reachable from the root`, `nodes[${i}]`);
  });

  r.nodes.forEach((n, i) => {
    const at = `nodes[${i}]`;
    if (n.kind === 'block') {
      if (n.children.length === 0) throw new RequirementsError('A block needs at least one requirement', `${at}.children`);
      nonNegative(n.minCredits, `${at}.minCredits`);
    } else if (n.kind === 'courses') {
      if (n.courses.length === 0) throw new RequirementsError('List at least one course', `${at}.courses`);
      n.courses.forEach((c, j) => {
        if (n.courses.indexOf(c) !== j) throw new RequirementsError(`Course ${c} is listed twice`, `${at}.courses[${j}]`);
        if (knownCourses && !knownCourses.has(c)) throw new RequirementsError(`No course ${c} in the catalogue`, `${at}.courses[${j}]`);
      });
      if (n.pick !== undefined && !(Number.isInteger(n.pick) && n.pick >= 1 && n.pick <= n.courses.length)) {
        throw new RequirementsError(`Pick from 1 to ${n.courses.length} of the listed courses`, `${at}.pick`);
      }
    } else {
      nonNegative(n.minCredits, `${at}.minCredits`);
      nonNegative(n.maxCredits, `${at}.maxCredits`);
      if (n.maxCredits !== undefined && n.maxCredits < n.minCredits)
        throw new RequirementsError('The most credits that count is below the minimum', `${at}.maxCredits`);
      n.filter.courses?.forEach((c, j) => {
        if (knownCourses && !knownCourses.has(c)) throw new RequirementsError(`No course ${c} in the catalogue`, `${at}.filter.courses[${j}]`);
      });
      n.filter.fields?.forEach((f, j) => {
        if (!/^\d{2,4}$/.test(f)) throw new RequirementsError('An ISCED-F code of 2 to 4 digits', `${at}.filter.fields[${j}]`);
      });
    }
  });
  // Caps below the minimums they must allow.
  const onlyNonFormal = r.nodes.flatMap((n, i) =>
    n.kind === 'credits' && n.filter.origins?.length && n.filter.origins.every((o) => o === 'certificate' || o === 'nonformal') ? [{ n, i }] : [],
  );
  for (const { n, i } of onlyNonFormal) {
    const cap = Math.min(
      caps.nonFormal?.credits ?? Infinity,
      n.filter.origins!.every((o) => o === 'certificate') ? (caps.certificates?.credits ?? Infinity) : Infinity,
    );
    if (cap < n.minCredits)
      throw new RequirementsError(`The cap on non-formal credits (${cap / 100}) is below this requirement's minimum`, `nodes[${i}].minCredits`);
  }
  for (const key of ['perYear', 'perSemester', 'perSource'] as const) {
    if (caps[key] === 0 && r.totalCredits > 0) throw new RequirementsError('A cap of 0 allows no credits at all', `caps.${key}`);
  }
}

/** The leaves under a node, in reading order. */
export function leavesOf(r: Requirements): Leaf[] {
  const byId = new Map(r.nodes.map((n) => [n.id, n]));
  const out: Leaf[] = [];
  const walk = (id: string) => {
    const n = byId.get(id)!;
    if (n.kind === 'block') n.children.forEach(walk);
    else out.push(n);
  };
  r.root.forEach(walk);
  return out;
}

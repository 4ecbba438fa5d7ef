// Bounds for the audit's searches: if credits could be split freely between requirements, could
// every requirement get what it needs (and how much of it)? When not even that is possible, no assignment of whole
// items is, and the search can stop. Max-flow (Dinic) on items → requirements → sink, with the
// items' credits optionally drawn through capped pools (a cap shared by several items).

/** A cap shared by some items: at most `cap` credits of them count. `parent` nests it in another pool. */
export interface Pool {
  cap: number;
  parent?: number;
}

/**
 * Whether `supply[i]` credits of each item, sent only along `edges[i]` (the requirements that
 * accept it), can meet every `demand[j]` at once. `poolOf[i]`, when given and not -1, is the pool
 * item i draws from: every pool on the way up to the root limits what its items send in total.
 */
export function demandsFit(supply: number[], edges: number[][], demand: number[], pools: Pool[] = [], poolOf?: number[]): boolean {
  const need = demand.reduce((t, d) => t + d, 0);
  return need === 0 || maxFlow(supply, edges, demand, pools, poolOf, need) >= need;
}

/** How much of the demands the items can meet with credits split freely (stopping once `enough` is met). */
export function maxFlow(supply: number[], edges: number[][], demand: number[], pools: Pool[] = [], poolOf?: number[], enough = Infinity): number {
  const n = supply.length;
  const m = demand.length;
  const np = pools.length;
  const source = n + m + np;
  const g = network(source + 2, source, source + 1);
  // pool k is node n + m + k
  for (let k = 0; k < np; k++) {
    const parent = pools[k]!.parent;
    addEdge(g, parent === undefined ? source : n + m + parent, n + m + k, pools[k]!.cap);
  }
  for (let i = 0; i < n; i++) {
    if (supply[i]! <= 0 || edges[i]!.length === 0) continue;
    const k = poolOf?.[i] ?? -1;
    addEdge(g, k < 0 ? source : n + m + k, i, supply[i]!);
    for (const j of edges[i]!) if (demand[j]! > 0) addEdge(g, i, n + j, supply[i]!);
  }
  for (let j = 0; j < m; j++) if (demand[j]! > 0) addEdge(g, n + j, g.sink, demand[j]!);

  let flow = 0;
  while (flow < enough && levels(g)) {
    for (let v = 0; v < g.head.length; v++) g.it[v] = g.head[v]!;
    for (let f = augment(g, source, Infinity); f > 0; f = augment(g, source, Infinity)) flow += f;
  }
  return flow;
}

// The network as arrays (edge e and its reverse e ^ 1), and Dinic's two steps as plain functions:
// the search calls demandsFit at every step, so it creates no closures.
interface Network {
  source: number;
  sink: number;
  head: number[];
  to: number[];
  cap: number[];
  next: number[];
  level: number[];
  it: number[];
}

const network = (nodes: number, source: number, sink: number): Network => ({
  source,
  sink,
  head: new Array<number>(nodes).fill(-1),
  to: [],
  cap: [],
  next: [],
  level: new Array<number>(nodes),
  it: new Array<number>(nodes),
});

function addEdge(g: Network, a: number, b: number, c: number) {
  g.to.push(b, a);
  g.cap.push(c, 0);
  g.next.push(g.head[a]!, g.head[b]!);
  g.head[a] = g.to.length - 2;
  g.head[b] = g.to.length - 1;
}

/** Breadth-first levels from the source over edges with room; whether the sink is reached. */
function levels(g: Network): boolean {
  const { level, head, next, cap, to } = g;
  level.fill(-1);
  level[g.source] = 0;
  const queue = [g.source];
  for (let q = 0; q < queue.length; q++) {
    const v = queue[q]!;
    for (let e = head[v]!; e !== -1; e = next[e]!) {
      if (cap[e]! > 0 && level[to[e]!]! < 0) {
        level[to[e]!] = level[v]! + 1;
        queue.push(to[e]!);
      }
    }
  }
  return level[g.sink]! >= 0;
}

/** One augmenting path from v along rising levels, carrying at most f; what it carried. */
function augment(g: Network, v: number, f: number): number {
  if (v === g.sink) return f;
  const { it, next, to, cap, level } = g;
  for (; it[v]! !== -1; it[v] = next[it[v]!]!) {
    const e = it[v]!;
    const w = to[e]!;
    if (cap[e]! > 0 && level[w] === level[v]! + 1) {
      const got = augment(g, w, Math.min(f, cap[e]!));
      if (got > 0) {
        cap[e]! -= got;
        cap[e ^ 1]! += got;
        return got;
      }
    }
  }
  return 0;
}

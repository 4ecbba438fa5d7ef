// A bound for the audit's search: if credits could be split freely between requirements, could
// every requirement get what it needs? When not even that is possible, no assignment of whole
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
  if (need === 0) return true;
  const n = supply.length;
  const m = demand.length;
  const np = pools.length;
  const source = n + m + np;
  const sink = source + 1;
  const head = new Array<number>(sink + 1).fill(-1);
  const to: number[] = [];
  const cap: number[] = [];
  const next: number[] = [];
  const edge = (a: number, b: number, c: number) => {
    to.push(b, a);
    cap.push(c, 0);
    next.push(head[a]!, head[b]!);
    head[a] = to.length - 2;
    head[b] = to.length - 1;
  };
  const poolNode = (k: number) => n + m + k;
  for (let k = 0; k < np; k++) {
    const parent = pools[k]!.parent;
    edge(parent === undefined ? source : poolNode(parent), poolNode(k), pools[k]!.cap);
  }
  for (let i = 0; i < n; i++) {
    if (supply[i]! <= 0 || edges[i]!.length === 0) continue;
    const k = poolOf?.[i] ?? -1;
    edge(k < 0 ? source : poolNode(k), i, supply[i]!);
    for (const j of edges[i]!) if (demand[j]! > 0) edge(i, n + j, supply[i]!);
  }
  for (let j = 0; j < m; j++) if (demand[j]! > 0) edge(n + j, sink, demand[j]!);

  const level = new Array<number>(sink + 1);
  const it = new Array<number>(sink + 1);
  const bfs = () => {
    level.fill(-1);
    level[source] = 0;
    const queue = [source];
    for (let q = 0; q < queue.length; q++) {
      const v = queue[q]!;
      for (let e = head[v]!; e !== -1; e = next[e]!) {
        if (cap[e]! > 0 && level[to[e]!]! < 0) {
          level[to[e]!] = level[v]! + 1;
          queue.push(to[e]!);
        }
      }
    }
    return level[sink]! >= 0;
  };
  const dfs = (v: number, f: number): number => {
    if (v === sink) return f;
    for (; it[v]! !== -1; it[v] = next[it[v]!]!) {
      const e = it[v]!;
      const w = to[e]!;
      if (cap[e]! > 0 && level[w] === level[v]! + 1) {
        const got = dfs(w, Math.min(f, cap[e]!));
        if (got > 0) {
          cap[e]! -= got;
          cap[e ^ 1]! += got;
          return got;
        }
      }
    }
    return 0;
  };
  let flow = 0;
  while (flow < need && bfs()) {
    for (let v = 0; v <= sink; v++) it[v] = head[v]!;
    for (let f = dfs(source, Infinity); f > 0; f = dfs(source, Infinity)) flow += f;
  }
  return flow >= need;
}

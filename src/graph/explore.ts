/**
 * Explorer queries over a KnowledgeGraph: an entity's neighbours grouped by edge type
 * (large groups cut to the most connected, saying how many there are), and the shortest
 * path between two entities within a bounded number of hops. Pure functions: the
 * worker runs them, tests run them without a browser.
 */
import type { Direction, KnowledgeGraph, NodeSummary } from './knowledge-graph';

export interface NeighbourGroup {
  edgeType: string;
  direction: Direction;
  /** the relation read from the entity: "is treated by" */
  label: string;
  otherType: string;
  /** neighbours in this group */
  total: number;
  /** the ones returned: all when total ≤ limit, else the most connected */
  nodes: (NodeSummary & { datasets: string[] })[];
  sampled: boolean;
}

export interface GroupQuery {
  /** only these edge types (names); all when empty */
  edgeTypes?: readonly string[];
  /** only neighbours of these node types (names); all when empty */
  nodeTypes?: readonly string[];
  /** most neighbours returned per group */
  limit?: number;
}

export function datasetNames(g: KnowledgeGraph, bits: number): string[] {
  return g.datasets.filter((_, k) => (bits >>> k) & 1).map((d) => d.name);
}

/** Neighbour groups of `node`; with `only`, just that (edge type, direction). */
export function neighbourGroups(g: KnowledgeGraph, node: number, q: GroupQuery = {}, only?: { edgeType: string; direction: Direction }): NeighbourGroup[] {
  const limit = q.limit ?? 50;
  const out: NeighbourGroup[] = [];
  g.edgeTypes.forEach((et, t) => {
    if (q.edgeTypes?.length && !q.edgeTypes.includes(et.name)) return;
    if (only && only.edgeType !== et.name) return;
    for (const direction of ['out', 'in'] as const) {
      if (only && only.direction !== direction) continue;
      const otherType = direction === 'out' ? et.target : et.source;
      if (q.nodeTypes?.length && !q.nodeTypes.includes(otherType)) continue;
      const nb = g.neighbours(node, t, direction);
      if (nb.length === 0) continue;
      let picked: number[];
      if (nb.length <= limit) picked = Array.from(nb);
      else picked = Array.from(nb).sort((a, b) => g.degree[b]! - g.degree[a]! || a - b).slice(0, limit);
      const bits = edgeDatasets(g, node, t, direction, picked);
      out.push({
        edgeType: et.name,
        direction,
        label: direction === 'out' ? et.label : et.inverseLabel,
        otherType,
        total: nb.length,
        nodes: picked.map((i, k) => ({ ...g.summary(i), datasets: datasetNames(g, bits[k]!) })),
        sampled: nb.length > picked.length,
      });
    }
  });
  return out;
}

/** Dataset bits of the edges node–picked[k] of one type and direction. */
function edgeDatasets(g: KnowledgeGraph, node: number, edgeType: number, direction: Direction, picked: number[]): number[] {
  const want = new Map<number, number>();
  picked.forEach((p, k) => want.set(p, k));
  const bits = new Array<number>(picked.length).fill(0);
  for (const n of g.neighbourEdges(node, edgeType)) {
    if (n.direction !== direction) continue;
    const k = want.get(n.node);
    if (k !== undefined) bits[k]! |= n.datasets;
  }
  return bits;
}

export interface PathStep {
  node: NodeSummary;
  /** how this step was reached from the previous one (absent on the first) */
  via?: { edgeType: string; label: string };
}

/**
 * Bidirectional breadth-first search between `from` and `to`, following edges either
 * way, at most maxDepth hops; null when they are not connected within that bound.
 * Growing the smaller frontier each round keeps a hub-rich graph of 10M edges to
 * milliseconds where a one-sided search would visit most of it.
 */
export function shortestPath(g: KnowledgeGraph, from: number, to: number, maxDepth = 4, edgeTypes?: readonly string[]): PathStep[] | null {
  if (from === to) return [{ node: g.summary(from) }];
  const n = g.nodeCount;
  // parent[v] = previous node on the side that reached v; edge[v] = t (walked out) or -1-t (walked in)
  const parentA = new Int32Array(n).fill(-1);
  const parentB = new Int32Array(n).fill(-1);
  const edgeA = new Int32Array(n);
  const edgeB = new Int32Array(n);
  const allowed = g.edgeTypes.map((et) => !edgeTypes?.length || edgeTypes.includes(et.name));
  parentA[from] = from;
  parentB[to] = to;
  let frontA = [from];
  let frontB = [to];
  for (let depth = 0; depth < maxDepth && frontA.length && frontB.length; depth++) {
    const growA = frontA.length <= frontB.length;
    const [front, parent, edge, other] = growA ? [frontA, parentA, edgeA, parentB] : [frontB, parentB, edgeB, parentA];
    const next: number[] = [];
    for (const v of front) {
      for (let t = 0; t < g.edgeTypes.length; t++) {
        if (!allowed[t]) continue;
        for (const direction of ['out', 'in'] as const) {
          const nb = g.neighbours(v, t, direction);
          for (let k = 0; k < nb.length; k++) {
            const w = nb[k]!;
            if (parent[w] !== -1) continue;
            parent[w] = v;
            edge[w] = direction === 'out' ? t : -1 - t;
            if (other[w] !== -1) return joinPaths(g, parentA, edgeA, parentB, edgeB, from, to, w);
            next.push(w);
          }
        }
      }
    }
    if (growA) frontA = next;
    else frontB = next;
  }
  return null;
}

/** The path from → meet (side A, walked forwards) then meet → to (side B, walked backwards). */
function joinPaths(g: KnowledgeGraph, parentA: Int32Array, edgeA: Int32Array, parentB: Int32Array, edgeB: Int32Array, from: number, to: number, meet: number): PathStep[] {
  const label = (code: number, forward: boolean) => {
    const et = g.edgeTypes[code >= 0 ? code : -1 - code]!;
    // side A walked prev → v; side B walked v → prev, so its direction flips when read from `from`
    const out = forward ? code >= 0 : code < 0;
    return { edgeType: et.name, label: out ? et.label : et.inverseLabel };
  };
  const steps: PathStep[] = [];
  for (let v = meet; v !== from; v = parentA[v]!) steps.push({ node: g.summary(v), via: label(edgeA[v]!, true) });
  steps.push({ node: g.summary(from) });
  steps.reverse();
  for (let v = meet; v !== to; v = parentB[v]!) steps.push({ node: g.summary(parentB[v]!), via: label(edgeB[v]!, false) });
  return steps;
}

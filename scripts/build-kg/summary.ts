/** Whole-graph counts and invariants (used by main.ts and the tests). */
import type { GraphFileV1 } from '../../src/graph/format';

export interface GraphSummary {
  nodes: number;
  edges: number;
  nodeTypes: Record<string, number>;
  edgeTypes: Record<string, number>;
  danglingEdges: number;
  duplicateEdges: number;
  selfLoops: number;
  typeMismatches: number;
}

export function summarize(file: GraphFileV1): GraphSummary {
  const n = file.nodes.id.length;
  const nodeTypes: Record<string, number> = {};
  for (const t of file.nodes.type) {
    const name = file.nodeTypes[t] ?? `?${t}`;
    nodeTypes[name] = (nodeTypes[name] ?? 0) + 1;
  }
  const edgeTypes: Record<string, number> = {};
  let edges = 0;
  let dangling = 0;
  let dup = 0;
  let loops = 0;
  let mismatch = 0;
  for (const g of file.edges) {
    const et = file.edgeTypes[g.type];
    if (!et) continue;
    edgeTypes[et.name] = (edgeTypes[et.name] ?? 0) + g.src.length;
    edges += g.src.length;
    const seen = new Set<string>();
    const st = file.nodeTypes.indexOf(et.source);
    const tt = file.nodeTypes.indexOf(et.target);
    for (let i = 0; i < g.src.length; i++) {
      const s = g.src[i]!;
      const d = g.dst[i]!;
      if (s < 0 || s >= n || d < 0 || d >= n) {
        dangling++;
        continue;
      }
      if (s === d) loops++;
      if (file.nodes.type[s] !== st || file.nodes.type[d] !== tt) mismatch++;
      const k = `${s},${d}`;
      if (seen.has(k)) dup++;
      seen.add(k);
    }
  }
  return { nodes: n, edges, nodeTypes, edgeTypes, danglingEdges: dangling, duplicateEdges: dup, selfLoops: loops, typeMismatches: mismatch };
}

/** The summary printed by `kg stats` and shown in the app. */
import type { GraphFileV1 } from './format';

export interface GraphStats {
  nodes: number;
  edges: number;
  nodeTypes: Record<string, number>;
  edgeTypes: Record<string, number>;
  danglingEdges: number;
}

export function graphFileStats(file: GraphFileV1): GraphStats {
  const n = file.nodes.id.length;
  const nodeTypes: Record<string, number> = {};
  for (const t of file.nodeTypes) nodeTypes[t] = 0;
  for (const t of file.nodes.type) nodeTypes[file.nodeTypes[t]!]! += 1;
  const edgeTypes: Record<string, number> = {};
  let edges = 0;
  let danglingEdges = 0;
  for (const eg of file.edges) {
    const name = file.edgeTypes[eg.type]!.name;
    edgeTypes[name] = (edgeTypes[name] ?? 0) + eg.src.length;
    edges += eg.src.length;
    for (let e = 0; e < eg.src.length; e++) {
      const s = eg.src[e]!;
      const d = eg.dst[e]!;
      if (s < 0 || s >= n || d < 0 || d >= n) danglingEdges++;
    }
  }
  return { nodes: n, edges, nodeTypes, edgeTypes, danglingEdges };
}

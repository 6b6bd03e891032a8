/** PackedGraph → the on-disk graph file (what `kg import --out` writes and `kg stats` reads). */
import { GRAPH_FORMAT, GRAPH_FORMAT_VERSION, type GraphFileV1 } from './format';
import { stringAt, stringListAt, type PackedGraph } from './packed-graph';

export function unpackGraph(p: PackedGraph): GraphFileV1 {
  const n = p.header.nodeCount;
  const id: string[] = new Array(n);
  const name: string[] = new Array(n);
  const xrefs: string[][] = new Array(n);
  const synonyms: string[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    id[i] = stringAt(p.ids, i);
    name[i] = stringAt(p.names, i);
    xrefs[i] = stringListAt(p.xrefs, i);
    synonyms[i] = stringListAt(p.synonyms, i);
  }
  return {
    format: GRAPH_FORMAT,
    version: GRAPH_FORMAT_VERSION,
    name: p.header.name,
    description: p.header.description,
    builtAt: new Date().toISOString(),
    datasets: p.header.datasets,
    nodeTypes: p.header.nodeTypes,
    edgeTypes: p.header.edgeTypes,
    nodes: { id, name, type: Array.from(p.types), xrefs, synonyms, datasets: Array.from(p.nodeDatasets) },
    edges: p.edges.map((eg) => ({ type: eg.type, src: Array.from(eg.src), dst: Array.from(eg.dst), datasets: Array.from(eg.datasets) })),
  };
}

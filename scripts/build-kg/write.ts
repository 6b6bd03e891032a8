/** Assemble the GraphFileV1 (sorted, deterministic) and serialise it as gzip JSON. */
import { gzipSync, constants } from 'node:zlib';
import { GRAPH_FORMAT, GRAPH_FORMAT_VERSION, type DatasetInfo, type EdgeTypeInfo, type GraphFileV1 } from '../../src/graph/format';
import type { Entity } from './merge/entity-registry';
import type { EdgeStore, EdgeTypeDef } from './merge/edge-store';

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface AssembleInput {
  entities: Iterable<Entity>;
  edges: EdgeStore;
  nodeTypes: readonly string[];
  edgeTypes: readonly EdgeTypeDef[];
  datasets: readonly DatasetInfo[];
  name: string;
  description?: string;
}

export function assembleGraph(input: AssembleInput): GraphFileV1 {
  const typeIndex = new Map(input.nodeTypes.map((t, i) => [t, i]));
  const ents = [...input.entities].sort((a, b) => (typeIndex.get(a.type)! - typeIndex.get(b.type)!) || cmp(a.id, b.id));
  const nodes: GraphFileV1['nodes'] = { id: [], name: [], type: [], xrefs: [], synonyms: [], datasets: [] };
  const index = new Map<string, number>();
  ents.forEach((e, i) => {
    const t = typeIndex.get(e.type);
    if (t === undefined) throw new Error(`node ${e.id} has unknown type ${e.type}`);
    index.set(e.id, i);
    nodes.id.push(e.id);
    nodes.name.push(e.name);
    nodes.type.push(t);
    nodes.xrefs.push([...e.xrefs].sort(cmp));
    nodes.synonyms.push([...e.synonyms].sort(cmp));
    nodes.datasets.push(e.datasets >>> 0);
  });

  const edgeTypes: EdgeTypeInfo[] = [];
  const edges: GraphFileV1['edges'] = [];
  for (const def of input.edgeTypes) {
    const m = input.edges.edges.get(def.name);
    if (!m || m.size === 0) continue;
    const rows: [number, number, number][] = [];
    for (const [key, bits] of m) {
      const [s, d] = key.split('\u0000') as [string, string];
      const si = index.get(s);
      const di = index.get(d);
      if (si === undefined || di === undefined) throw new Error(`dangling edge ${def.name} ${s} -> ${d}`);
      rows.push([si, di, bits >>> 0]);
    }
    rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const type = edgeTypes.length;
    edgeTypes.push({ name: def.name, source: def.source, target: def.target, label: def.label, inverseLabel: def.inverseLabel });
    edges.push({ type, src: rows.map((r) => r[0]), dst: rows.map((r) => r[1]), datasets: rows.map((r) => r[2]) });
  }

  const file: GraphFileV1 = {
    format: GRAPH_FORMAT,
    version: GRAPH_FORMAT_VERSION,
    name: input.name,
    datasets: [...input.datasets],
    nodeTypes: [...input.nodeTypes],
    edgeTypes,
    nodes,
    edges,
  };
  if (input.description) file.description = input.description;
  return file;
}

/** Deterministic gzip (Node writes mtime 0 and a fixed OS byte). */
export function serializeGraph(file: GraphFileV1): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(file), 'utf8'), { level: constants.Z_BEST_COMPRESSION });
}

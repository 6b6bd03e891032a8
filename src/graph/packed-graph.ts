/**
 * PackedGraph: the graph as a handful of typed arrays and joined strings. It is what
 * the worker holds, what IndexedDB caches (structured clone of a few large buffers
 * is far cheaper than of a million small objects) and what KnowledgeGraph indexes.
 */
import type { DatasetInfo, EdgeTypeInfo, GraphFileV1 } from './format';
import { GraphFileError } from './graph-file-error';
import { Fnv1a } from './hash';

/** Bump when the packed layout changes: older cache records are then rebuilt. */
export const PACK_VERSION = 1;

/** n strings as one text plus n+1 offsets (UTF-16 code units). */
export interface StringColumn {
  text: string;
  offsets: Uint32Array;
}

/** n lists of strings: list i is items[index[i] .. index[i+1]). */
export interface StringListColumn {
  index: Uint32Array;
  items: StringColumn;
}

export interface PackedEdgeGroup {
  type: number;
  src: Uint32Array;
  dst: Uint32Array;
  datasets: Uint32Array;
  /** storage only: keys of the records holding this group's columns (large graphs are split) */
  parts?: string[];
}

export interface PackedGraphHeader {
  packVersion: number;
  name: string;
  description: string;
  datasets: DatasetInfo[];
  nodeTypes: string[];
  edgeTypes: EdgeTypeInfo[];
  nodeCount: number;
  edgeCount: number;
  /** SHA-256 of the source file's bytes (identifies which file this was built from) */
  sourceHash: string;
  /** FNV-1a over every column: a cache record that doesn't match is corrupt */
  checksum: number;
}

export interface PackedGraph {
  header: PackedGraphHeader;
  ids: StringColumn;
  names: StringColumn;
  types: Uint16Array;
  nodeDatasets: Uint32Array;
  xrefs: StringListColumn;
  synonyms: StringListColumn;
  edges: PackedEdgeGroup[];
}

export function packStrings(list: readonly string[]): StringColumn {
  const offsets = new Uint32Array(list.length + 1);
  let total = 0;
  for (let i = 0; i < list.length; i++) {
    total += list[i]!.length;
    offsets[i + 1] = total;
  }
  return { text: list.join(''), offsets };
}

export function packStringLists(lists: readonly (readonly string[])[]): StringListColumn {
  const index = new Uint32Array(lists.length + 1);
  const flat: string[] = [];
  for (let i = 0; i < lists.length; i++) {
    for (const s of lists[i]!) flat.push(s);
    index[i + 1] = flat.length;
  }
  return { index, items: packStrings(flat) };
}

export function stringAt(col: StringColumn, i: number): string {
  return col.text.slice(col.offsets[i]!, col.offsets[i + 1]!);
}

export function stringListAt(col: StringListColumn, i: number): string[] {
  const out: string[] = [];
  for (let k = col.index[i]!; k < col.index[i + 1]!; k++) out.push(stringAt(col.items, k));
  return out;
}

/** Validates what the structural check could not (edge endpoints and their types) and packs. */
export function packGraph(file: GraphFileV1, sourceHash: string, fileLabel: string): PackedGraph {
  const n = file.nodes.id.length;
  const types = Uint16Array.from(file.nodes.type);
  const edges: PackedEdgeGroup[] = [];
  let edgeCount = 0;
  file.edges.forEach((eg, gi) => {
    const et = file.edgeTypes[eg.type]!;
    const srcType = file.nodeTypes.indexOf(et.source);
    const dstType = file.nodeTypes.indexOf(et.target);
    const m = eg.src.length;
    const src = new Uint32Array(m);
    const dst = new Uint32Array(m);
    for (let e = 0; e < m; e++) {
      const s = eg.src[e]!;
      const d = eg.dst[e]!;
      if (s < 0 || s >= n || d < 0 || d >= n) {
        throw new GraphFileError(fileLabel, `edges[${gi}] (${et.name}) edge ${e}`, `dangling edge ${s} → ${d}: the graph has ${n} nodes`);
      }
      if (types[s] !== srcType || types[d] !== dstType) {
        throw new GraphFileError(
          fileLabel,
          `edges[${gi}] (${et.name}) edge ${e}`,
          `${file.nodes.id[s]} → ${file.nodes.id[d]} joins ${file.nodeTypes[types[s]!]} → ${file.nodeTypes[types[d]!]}, but ${et.name} joins ${et.source} → ${et.target}`,
        );
      }
      src[e] = s;
      dst[e] = d;
    }
    edges.push({ type: eg.type, src, dst, datasets: Uint32Array.from(eg.datasets, (x) => x >>> 0) });
    edgeCount += m;
  });
  const packed: PackedGraph = {
    header: {
      packVersion: PACK_VERSION,
      name: file.name,
      description: file.description ?? '',
      datasets: file.datasets,
      nodeTypes: file.nodeTypes,
      edgeTypes: file.edgeTypes,
      nodeCount: n,
      edgeCount,
      sourceHash,
      checksum: 0,
    },
    ids: packStrings(file.nodes.id),
    names: packStrings(file.nodes.name),
    types,
    nodeDatasets: Uint32Array.from(file.nodes.datasets, (x) => x >>> 0),
    xrefs: packStringLists(file.nodes.xrefs),
    synonyms: packStringLists(file.nodes.synonyms),
    edges,
  };
  packed.header.checksum = checksumPacked(packed);
  return packed;
}

export function checksumPacked(p: PackedGraph): number {
  const h = new Fnv1a();
  const hd = p.header;
  h.number(hd.packVersion).text(hd.name).text(hd.sourceHash).number(hd.nodeCount).number(hd.edgeCount);
  h.text(JSON.stringify([hd.nodeTypes, hd.edgeTypes, hd.datasets]));
  for (const col of [p.ids, p.names, p.xrefs.items, p.synonyms.items]) h.text(col.text).bytes(col.offsets);
  h.bytes(p.types).bytes(p.nodeDatasets).bytes(p.xrefs.index).bytes(p.synonyms.index);
  for (const eg of p.edges) h.number(eg.type).bytes(eg.src).bytes(eg.dst).bytes(eg.datasets);
  return h.digest();
}

/** Why a packed record cannot be used, or null when it is whole. */
export function checkPacked(p: PackedGraph): string | null {
  if (!p || typeof p !== 'object' || !p.header) return 'record has no header';
  if (p.header.packVersion !== PACK_VERSION) return `pack version ${p.header.packVersion} is not ${PACK_VERSION}`;
  const n = p.header.nodeCount;
  if (!(p.types instanceof Uint16Array) || p.types.length !== n) return 'node type column is missing or has the wrong length';
  if (p.ids?.offsets?.length !== n + 1 || p.names?.offsets?.length !== n + 1) return 'name/id columns have the wrong length';
  if (p.nodeDatasets?.length !== n || p.xrefs?.index?.length !== n + 1 || p.synonyms?.index?.length !== n + 1) return 'node columns have the wrong length';
  let m = 0;
  for (const eg of p.edges ?? []) {
    if (eg.src.length !== eg.dst.length || eg.src.length !== eg.datasets.length) return `edge group ${eg.type} has columns of different lengths`;
    m += eg.src.length;
  }
  if (m !== p.header.edgeCount) return `edge count ${m} does not match header ${p.header.edgeCount}`;
  const sum = checksumPacked(p);
  if (sum !== p.header.checksum) return `checksum ${sum.toString(16)} does not match header ${p.header.checksum.toString(16)}`;
  return null;
}

/** Bytes held by the packed columns (strings counted at 2 bytes per code unit). */
export function packedBytes(p: PackedGraph): number {
  let b = p.types.byteLength + p.nodeDatasets.byteLength + p.xrefs.index.byteLength + p.synonyms.index.byteLength;
  for (const col of [p.ids, p.names, p.xrefs.items, p.synonyms.items]) b += col.text.length * 2 + col.offsets.byteLength;
  for (const eg of p.edges) b += eg.src.byteLength + eg.dst.byteLength + eg.datasets.byteLength;
  return b;
}

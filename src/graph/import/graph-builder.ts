/**
 * Accumulates an imported graph in growable typed columns, then packs it. Nothing
 * reaches storage until build() has succeeded, so a file rejected half-way writes
 * nothing. Edge types are keyed by (relation, head type, tail type) because the
 * app's store needs one source and one target type per edge type; a relation that
 * joins several type pairs becomes several edge types. Duplicate edges (PrimeKG lists
 * every undirected edge in both directions) are merged, their datasets OR-ed.
 */
import type { DatasetInfo, EdgeTypeInfo } from '../format';
import { GraphFileError } from '../graph-file-error';
import { checksumPacked, packStringLists, packStrings, PACK_VERSION, type PackedEdgeGroup, type PackedGraph } from '../packed-graph';
import { mapRelation } from './app-types';

export class U32Vec {
  data: Uint32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint32Array(capacity);
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }
  toArray(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}

interface EdgeGroupBuilder {
  relation: string;
  info: EdgeTypeInfo;
  srcType: number;
  dstType: number;
  /** no direction: (a,b) and (b,a) are the same edge */
  undirected: boolean;
  src: U32Vec;
  dst: U32Vec;
  datasets: U32Vec;
}

const MAX_NODE_TYPES = 0xffff;
/** datasets are a 32-bit mask: bit 0 is the imported file, 1..30 named sources, 31 "other sources" */
const OTHER_SOURCES_BIT = 31;

export class GraphBuilder {
  private readonly nodeKey = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly names: string[] = [];
  private readonly types = new U32Vec();
  private readonly xrefs: string[][] = [];
  private readonly typeNames: string[] = [];
  private readonly typeIndex = new Map<string, number>();
  private readonly groups: EdgeGroupBuilder[] = [];
  private readonly groupIndex = new Map<string, number>();
  private readonly datasets: DatasetInfo[];
  private readonly datasetBit = new Map<string, number>();

  constructor(
    readonly file: string,
    base: DatasetInfo,
  ) {
    this.datasets = [base];
  }

  get nodeCount(): number {
    return this.ids.length;
  }

  get edgeCount(): number {
    return this.groups.reduce((m, g) => m + g.src.length, 0);
  }

  nodeType(name: string, line: number): number {
    let t = this.typeIndex.get(name);
    if (t === undefined) {
      if (this.typeNames.length >= MAX_NODE_TYPES) throw new GraphFileError(this.file, `line ${line}`, `more than ${MAX_NODE_TYPES} node types`);
      t = this.typeNames.length;
      this.typeNames.push(name);
      this.typeIndex.set(name, t);
    }
    return t;
  }

  findNodeTypeIndex(name: string): number {
    return this.typeIndex.get(name) ?? -1;
  }

  typeName(t: number): string {
    return this.typeNames[t]!;
  }

  /** Index of the node (type, id), added when new; a later non-empty name fills an empty one. */
  node(type: number, id: string, name: string, xrefs: string[] = []): number {
    const key = `${type}\u0000${id}`;
    let i = this.nodeKey.get(key);
    if (i === undefined) {
      i = this.ids.length;
      this.nodeKey.set(key, i);
      this.ids.push(id);
      this.names.push(name || id);
      this.types.push(type);
      this.xrefs.push(xrefs);
    } else if (name && this.names[i] === id) {
      this.names[i] = name;
    }
    return i;
  }

  findNode(type: number, id: string): number {
    return this.nodeKey.get(`${type}\u0000${id}`) ?? -1;
  }

  /** Bit for a named source of edges (Hetionet's edge "sources", a triples "source" column). */
  sourceBit(source: string): number {
    if (!source) return 1;
    let bit = this.datasetBit.get(source);
    if (bit === undefined) {
      if (this.datasets.length < OTHER_SOURCES_BIT) {
        bit = this.datasets.length;
        this.datasets.push({ id: `source-${bit}`, name: source, licence: 'as published by the source', attribution: `${source} (via ${this.datasets[0]!.name})` });
      } else {
        if (this.datasets.length === OTHER_SOURCES_BIT) {
          this.datasets.push({ id: 'other-sources', name: 'other sources', licence: 'as published by each source', attribution: `sources beyond the first 30 named in ${this.file}` });
        }
        bit = OTHER_SOURCES_BIT;
      }
      this.datasetBit.set(source, bit);
    }
    return (1 << bit) >>> 0;
  }

  /**
   * Adds head → tail. The relation is mapped onto the app's edge type when it and the
   * endpoint types match one (reversing the edge when the app reads it the other way);
   * otherwise the relation is kept as it is.
   */
  edge(relation: string, head: number, tail: number, undirected: boolean, datasets = 1): void {
    let s = head;
    let d = tail;
    let st = this.types.data[s]!;
    let dt = this.types.data[d]!;
    let key = `${relation}\u0000${st}\u0000${dt}`;
    let g = this.groupIndex.get(key);
    if (g === undefined && undirected) {
      // an undirected relation seen the other way round before: store it that way
      const rev = this.groupIndex.get(`${relation}\u0000${dt}\u0000${st}`);
      if (rev !== undefined) {
        g = rev;
        [s, d, st, dt] = [d, s, dt, st];
      }
    }
    if (g === undefined) {
      const mapped = mapRelation(relation, this.typeNames[st]!, this.typeNames[dt]!);
      if (mapped?.reversed) {
        [s, d, st, dt] = [d, s, dt, st];
        key = `${relation}\u0000${st}\u0000${dt}`;
        g = this.groupIndex.get(key);
      }
      if (g === undefined) {
        const label = relation.replace(/_/g, ' ');
        g = this.groups.length;
        this.groups.push({
          relation,
          info: mapped?.info ?? { name: relation, source: this.typeNames[st]!, target: this.typeNames[dt]!, label, inverseLabel: `${label} (reverse)` },
          srcType: st,
          dstType: dt,
          undirected,
          src: new U32Vec(),
          dst: new U32Vec(),
          datasets: new U32Vec(),
        });
        this.groupIndex.set(key, g);
        if (undirected && st === dt) this.groupIndex.set(`${relation}\u0000${dt}\u0000${st}`, g);
      }
    }
    const grp = this.groups[g]!;
    grp.src.push(s);
    grp.dst.push(d);
    grp.datasets.push(datasets);
  }

  build(name: string, description: string, sourceHash: string): PackedGraph {
    const n = this.ids.length;
    if (n === 0) throw new GraphFileError(this.file, 'end of file', 'no nodes or edges were found');
    const ids = uniqueIds(this.ids, this.types.data, this.typeNames);
    const edgeTypes = edgeTypeNames(this.groups);
    const edges: PackedEdgeGroup[] = this.groups.map((g, gi) => dedupe(gi, g, n));
    const edgeCount = edges.reduce((m, e) => m + e.src.length, 0);
    const nodeDatasets = new Uint32Array(n).fill(1);
    for (const eg of edges) {
      for (let e = 0; e < eg.src.length; e++) {
        nodeDatasets[eg.src[e]!]! |= eg.datasets[e]!;
        nodeDatasets[eg.dst[e]!]! |= eg.datasets[e]!;
      }
    }
    const packed: PackedGraph = {
      header: {
        packVersion: PACK_VERSION,
        name,
        description,
        datasets: this.datasets,
        nodeTypes: [...this.typeNames],
        edgeTypes,
        nodeCount: n,
        edgeCount,
        sourceHash,
        checksum: 0,
      },
      ids: packStrings(ids),
      names: packStrings(this.names),
      types: Uint16Array.from(this.types.data.subarray(0, n)),
      nodeDatasets,
      xrefs: packStringLists(this.xrefs),
      synonyms: packStringLists(new Array<string[]>(n).fill([])),
      edges,
    };
    packed.header.checksum = checksumPacked(packed);
    return packed;
  }
}

/** The same identifier under two node types gets the type appended, so findById stays exact. */
function uniqueIds(ids: readonly string[], types: Uint32Array, typeNames: readonly string[]): string[] {
  const first = new Map<string, number>();
  const clash = new Set<string>();
  ids.forEach((id, i) => (first.has(id) ? clash.add(id) : first.set(id, i)));
  if (clash.size === 0) return ids as string[];
  return ids.map((id, i) => (clash.has(id) && first.get(id) !== i ? `${id} (${typeNames[types[i]!]})` : id));
}

/** A relation name used by several type pairs is qualified by the pair, except for the first. */
function edgeTypeNames(groups: readonly EdgeGroupBuilder[]): EdgeTypeInfo[] {
  const used = new Set<string>();
  return groups.map((g) => {
    let name = g.info.name;
    if (used.has(name)) name = `${name}_${g.info.source}_${g.info.target}`.replace(/[^\w]+/g, '_');
    for (let k = 2; used.has(name); k++) name = `${g.info.name}_${k}`;
    used.add(name);
    return { ...g.info, name };
  });
}

/** Merge repeated edges in first-seen order; datasets of the repeats are OR-ed in. */
function dedupe(type: number, g: EdgeGroupBuilder, n: number): PackedEdgeGroup {
  const m = g.src.length;
  const src = g.src.data;
  const dst = g.dst.data;
  const ds = g.datasets.data;
  const keys = new Float64Array(m);
  const same = g.undirected && g.srcType === g.dstType;
  for (let e = 0; e < m; e++) {
    const a = src[e]!;
    const b = dst[e]!;
    keys[e] = same && b < a ? b * n + a : a * n + b;
  }
  const sorted = keys.slice().sort();
  const dup = new Set<number>();
  for (let i = 1; i < m; i++) if (sorted[i] === sorted[i - 1]) dup.add(sorted[i]!);
  if (dup.size === 0) return { type, src: g.src.toArray(), dst: g.dst.toArray(), datasets: g.datasets.toArray() };
  const firstAt = new Map<number, number>();
  const os = new U32Vec(m);
  const od = new U32Vec(m);
  const ob = new U32Vec(m);
  for (let e = 0; e < m; e++) {
    const k = keys[e]!;
    if (dup.has(k)) {
      const at = firstAt.get(k);
      if (at !== undefined) {
        ob.data[at]! |= ds[e]!;
        continue;
      }
      firstAt.set(k, os.length);
    }
    os.push(src[e]!);
    od.push(dst[e]!);
    ob.push(ds[e]!);
  }
  return { type, src: os.toArray(), dst: od.toArray(), datasets: ob.toArray() };
}

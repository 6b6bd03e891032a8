/**
 * The in-memory knowledge graph: one CSR per (edge type, direction) over a
 * PackedGraph, plus degree, rarity and the name index. Read-only once built; the
 * public API is what synthesis and the explorer use, so they never see the layout.
 */
import { buildCsr, type Csr } from './csr';
import type { DatasetInfo, EdgeTypeInfo } from './format';
import { NameIndex, type NameHit, type SearchOptions } from './name-index';
import { stringAt, stringListAt, type PackedGraph, type PackedGraphHeader } from './packed-graph';

export type Direction = 'out' | 'in';

export interface NodeSummary {
  index: number;
  id: string;
  name: string;
  type: string;
  degree: number;
  /** share of nodes of the same type with a higher degree: 1 = rarest, 0 = the hub */
  rarity: number;
}

export interface EdgeTypeDegree {
  edgeType: string;
  direction: Direction;
  /** the relation read from this node: "treats" or "is treated by" */
  label: string;
  otherType: string;
  count: number;
}

export interface NodeDetails extends NodeSummary {
  xrefs: string[];
  synonyms: string[];
  datasets: string[];
  degreeByEdgeType: EdgeTypeDegree[];
}

export interface Neighbour {
  node: number;
  edgeType: number;
  direction: Direction;
  /** bitmask over header.datasets */
  datasets: number;
}

export class KnowledgeGraph {
  readonly header: PackedGraphHeader;
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly degree: Uint32Array;
  readonly rarity: Float32Array;
  private readonly out: Csr[];
  private readonly inn: Csr[];
  private readonly groupOfType: Int32Array;
  private idMap: Map<string, number> | null = null;
  private nameIndex: NameIndex | null = null;

  constructor(readonly packed: PackedGraph) {
    this.header = packed.header;
    const n = packed.header.nodeCount;
    this.nodeCount = n;
    this.edgeCount = packed.header.edgeCount;
    this.groupOfType = new Int32Array(packed.header.edgeTypes.length).fill(-1);
    this.out = [];
    this.inn = [];
    this.degree = new Uint32Array(n);
    packed.edges.forEach((eg, gi) => {
      this.groupOfType[eg.type] = gi;
      this.out.push(buildCsr(n, eg.src, eg.dst));
      this.inn.push(buildCsr(n, eg.dst, eg.src));
      for (let e = 0; e < eg.src.length; e++) {
        this.degree[eg.src[e]!]!++;
        this.degree[eg.dst[e]!]!++;
      }
    });
    this.rarity = computeRarity(packed.types, this.degree, packed.header.nodeTypes.length);
  }

  get nodeTypes(): readonly string[] {
    return this.header.nodeTypes;
  }

  get edgeTypes(): readonly EdgeTypeInfo[] {
    return this.header.edgeTypes;
  }

  get datasets(): readonly DatasetInfo[] {
    return this.header.datasets;
  }

  nodeId(i: number): string {
    return stringAt(this.packed.ids, i);
  }

  nodeName(i: number): string {
    return stringAt(this.packed.names, i);
  }

  nodeTypeIndex(i: number): number {
    return this.packed.types[i]!;
  }

  nodeType(i: number): string {
    return this.header.nodeTypes[this.packed.types[i]!]!;
  }

  synonyms(i: number): string[] {
    return stringListAt(this.packed.synonyms, i);
  }

  xrefs(i: number): string[] {
    return stringListAt(this.packed.xrefs, i);
  }

  edgeTypeIndex(name: string): number {
    return this.header.edgeTypes.findIndex((e) => e.name === name);
  }

  /** Node index by primary identifier or any cross-reference (e.g. "DOID:2841", "DrugBank:DB00843"). */
  findById(id: string): number {
    if (!this.idMap) {
      const map = new Map<string, number>();
      for (let i = 0; i < this.nodeCount; i++) {
        for (const x of this.xrefs(i)) if (!map.has(x)) map.set(x, i);
      }
      // primary ids win over cross-references
      for (let i = 0; i < this.nodeCount; i++) map.set(this.nodeId(i), i);
      this.idMap = map;
    }
    return this.idMap.get(id) ?? -1;
  }

  /** Neighbour indices along one edge type; a view, not a copy. */
  neighbours(node: number, edgeType: number, direction: Direction): Uint32Array {
    const g = this.groupOfType[edgeType] ?? -1;
    if (g < 0) return new Uint32Array(0);
    const csr = direction === 'out' ? this.out[g]! : this.inn[g]!;
    return csr.targets.subarray(csr.offsets[node]!, csr.offsets[node + 1]!);
  }

  /** Neighbours along every edge type, with the datasets asserting each edge. */
  *neighbourEdges(node: number, edgeType?: number): Generator<Neighbour> {
    for (let g = 0; g < this.packed.edges.length; g++) {
      const eg = this.packed.edges[g]!;
      if (edgeType !== undefined && eg.type !== edgeType) continue;
      for (const [direction, csr] of [['out', this.out[g]!], ['in', this.inn[g]!]] as const) {
        for (let p = csr.offsets[node]!; p < csr.offsets[node + 1]!; p++) {
          yield { node: csr.targets[p]!, edgeType: eg.type, direction, datasets: eg.datasets[csr.edgeIds[p]!]! };
        }
      }
    }
  }

  summary(i: number): NodeSummary {
    return { index: i, id: this.nodeId(i), name: this.nodeName(i), type: this.nodeType(i), degree: this.degree[i]!, rarity: this.rarity[i]! };
  }

  details(i: number): NodeDetails {
    const degreeByEdgeType: EdgeTypeDegree[] = [];
    this.packed.edges.forEach((eg, g) => {
      const et = this.header.edgeTypes[eg.type]!;
      const o = this.out[g]!.offsets[i + 1]! - this.out[g]!.offsets[i]!;
      const inc = this.inn[g]!.offsets[i + 1]! - this.inn[g]!.offsets[i]!;
      if (o > 0) degreeByEdgeType.push({ edgeType: et.name, direction: 'out', label: et.label, otherType: et.target, count: o });
      if (inc > 0) degreeByEdgeType.push({ edgeType: et.name, direction: 'in', label: et.inverseLabel, otherType: et.source, count: inc });
    });
    const bits = this.packed.nodeDatasets[i]!;
    return {
      ...this.summary(i),
      xrefs: this.xrefs(i),
      synonyms: this.synonyms(i),
      datasets: this.header.datasets.filter((_, k) => (bits >>> k) & 1).map((d) => d.name),
      degreeByEdgeType,
    };
  }

  /** The name index is built on first use: loading the graph need not wait for it. */
  get names(): NameIndex {
    if (!this.nameIndex) {
      this.nameIndex = new NameIndex({
        nodeCount: this.nodeCount,
        keysOf: (i) => [this.nodeName(i), ...this.synonyms(i)],
        weight: (i) => this.degree[i]!,
        nodeType: (i) => this.packed.types[i]!,
      });
    }
    return this.nameIndex;
  }

  search(query: string, opts?: SearchOptions): (NameHit & NodeSummary)[] {
    const trimmed = query.trim();
    // A CURIE goes straight to the identifier map.
    if (/^[A-Za-z][\w.-]*:\S+$/.test(trimmed)) {
      const i = this.findById(trimmed);
      if (i >= 0) return [{ ...this.summary(i), node: i, kind: 'exact', matched: trimmed, score: 1000 }];
    }
    return this.names.search(query, opts).map((h) => ({ ...h, ...this.summary(h.node) }));
  }
}

/**
 * rarity[i] = share of nodes of i's type whose degree is strictly higher than i's.
 * Counting per (type, degree) keeps it O(n + max degree).
 */
export function computeRarity(types: Uint16Array, degree: Uint32Array, typeCount: number): Float32Array {
  const n = types.length;
  const rarity = new Float32Array(n);
  let maxDeg = 0;
  for (let i = 0; i < n; i++) if (degree[i]! > maxDeg) maxDeg = degree[i]!;
  const perType = new Uint32Array(typeCount);
  for (let i = 0; i < n; i++) perType[types[i]!]!++;
  for (let t = 0; t < typeCount; t++) {
    if (perType[t] === 0) continue;
    const hist = new Uint32Array(maxDeg + 2);
    for (let i = 0; i < n; i++) if (types[i] === t) hist[degree[i]!]!++;
    // above[d] = number of nodes of type t with degree > d
    const above = new Uint32Array(maxDeg + 2);
    for (let d = maxDeg - 1; d >= 0; d--) above[d] = above[d + 1]! + hist[d + 1]!;
    for (let i = 0; i < n; i++) if (types[i] === t) rarity[i] = above[degree[i]!]! / perType[t]!;
  }
  return rarity;
}

/**
 * The synthesis engine's handle on a graph: template roles resolved onto the graph's own
 * edge types (schema-map.ts), every edge for "could this option be right?" checks and the
 * strong edges only (edge-trust.ts, built once per run as their own CSR) for evidence and
 * keys, and node references and triples in the graph's own names and directions.
 */
import type { Direction, KnowledgeGraph } from '../graph/knowledge-graph';
import type { Csr } from '../graph/csr';
import { edgeMaskIndex, isStrongMask, policyFor, strongAdjacency, trustTable, type StrongAdjacency } from './edge-trust';
import type { NodeRef, Triple } from './record';
import { mapSchema, nodeRoleOf, type MappedRelation, type NodeRole, type SchemaMapping } from './schema-map';
import { isBlockedFinding, isCommonFinding, isNonspecificFinding } from './lexicon';

export const flip = (d: Direction): Direction => (d === 'out' ? 'in' : 'out');

const EMPTY = new Uint32Array(0);
const view = (csr: Csr, node: number): Uint32Array => csr.targets.subarray(csr.offsets[node]!, csr.offsets[node + 1]!);

export class SynthGraph {
  readonly n: number;
  readonly map: SchemaMapping;
  private readonly strong = new Map<string, StrongAdjacency>();
  private readonly roleOfTypeIndex: (NodeRole | undefined)[];

  constructor(
    readonly kg: KnowledgeGraph,
    readonly label: string,
    /** dataset ids whose assertions do not count toward strong (evidence and key) edges */
    readonly excluded: ReadonlySet<string> = new Set(),
  ) {
    this.n = kg.nodeCount;
    this.map = mapSchema(kg.header);
    this.roleOfTypeIndex = kg.header.nodeTypes.map((t) => nodeRoleOf(t));
  }

  rel(role: string): MappedRelation | undefined {
    return this.map.relations[role];
  }

  hasRole(role: string): boolean {
    return this.map.relations[role] !== undefined;
  }

  /** graph node type index of a node role, or -1 */
  typeIndexOf(role: NodeRole): number {
    const name = this.map.nodeTypes[role];
    return name === undefined ? -1 : this.kg.header.nodeTypes.indexOf(name);
  }

  roleOf(node: number): NodeRole | undefined {
    return this.roleOfTypeIndex[this.kg.nodeTypeIndex(node)];
  }

  /** every neighbour along a relation role ('out' = role source → role target), whatever its support */
  nb(node: number, role: string, dir: Direction): Uint32Array {
    const r = this.map.relations[role];
    if (!r) return EMPTY;
    return this.kg.neighbours(node, r.index, r.reversed ? flip(dir) : dir);
  }

  /** the strong neighbours only (edge-trust.ts) */
  strongNb(node: number, role: string, dir: Direction): Uint32Array {
    const adj = this.strongAdj(role);
    if (!adj) return EMPTY;
    const r = this.map.relations[role]!;
    const d = r.reversed ? flip(dir) : dir;
    return view(d === 'out' ? adj.out : adj.in, node);
  }

  private strongAdj(role: string): StrongAdjacency | undefined {
    const r = this.map.relations[role];
    if (!r) return undefined;
    let adj = this.strong.get(role);
    if (!adj) this.strong.set(role, (adj = strongAdjacency(this.kg, r.index, policyFor(role), this.excluded)));
    return adj;
  }

  private readonly masks = new Map<string, (h: number, t: number) => number>();
  private readonly described = new Map<string, Int32Array>();
  /** the graph's dataset trust, with the bits of the datasets that only summarise (edge-trust.ts `summary`: their silence is no evidence) */
  private trustInfo: { table: (ReturnType<typeof trustTable>[number] & { id: string })[]; summary: number } | null = null;

  private trust(): { table: (ReturnType<typeof trustTable>[number] & { id: string })[]; summary: number } {
    if (!this.trustInfo) {
      const table = trustTable(this.kg.datasets).map((t, i) => ({ ...t, id: this.kg.datasets[i]!.id }));
      this.trustInfo = { table, summary: table.reduce((bits, t, i) => (t.summary ? bits | (1 << i) : bits), 0) >>> 0 };
    }
    return this.trustInfo;
  }

  /**
   * How well described a node is along a role, for "is an absent edge informative?": its
   * neighbours (strong ones only with `strongOnly`) counted without the edges that only a
   * summarising source asserts — a definition names a disease's main features, so five
   * findings from a definition do not make a sixth one's absence mean anything.
   */
  describedDegree(node: number, role: string, strongOnly: boolean): number {
    const { table, summary } = this.trust();
    if (!summary) return (strongOnly ? this.strongNb(node, role, 'out') : this.nb(node, role, 'out')).length;
    const key = `${role}|${strongOnly ? 1 : 0}`;
    let memo = this.described.get(key);
    if (!memo) this.described.set(key, (memo = new Int32Array(this.n).fill(-1)));
    let c = memo[node]!;
    if (c >= 0) return c;
    c = 0;
    const list = strongOnly ? this.strongNb(node, role, 'out') : this.nb(node, role, 'out');
    for (let i = 0; i < list.length; i++) {
      const rest = (this.mask(node, role, list[i]!) & ~summary) >>> 0;
      if (rest && (!strongOnly || isStrongMask(rest, table, policyFor(role), this.excluded))) c++;
    }
    memo[node] = c;
    return c;
  }

  /** the dataset bitmask of the edge head —role→ tail (0 when absent) */
  mask(head: number, role: string, tail: number): number {
    const r = this.map.relations[role];
    if (!r) return 0;
    let idx = this.masks.get(role);
    if (!idx) this.masks.set(role, (idx = edgeMaskIndex(this.kg, r.index)));
    return r.reversed ? idx(tail, head) : idx(head, tail);
  }

  /** the bit of a dataset id in this graph's masks, or 0 when the graph has no such dataset */
  datasetBit(id: string): number {
    const i = this.kg.datasets.findIndex((d) => d.id === id);
    return i >= 0 ? (1 << i) >>> 0 : 0;
  }

  /** strong edges of a role / all its edges */
  strongShare(role: string): { kept: number; total: number } {
    const adj = this.strongAdj(role);
    return adj ? { kept: adj.kept, total: adj.total } : { kept: 0, total: 0 };
  }

  /** is there an edge head —role→ tail (any support)? Scans the shorter list. */
  has(head: number, role: string, tail: number): boolean {
    return contains(this.nb(head, role, 'out'), this.nb(tail, role, 'in'), head, tail) || (this.isSymmetric(role) && contains(this.nb(tail, role, 'out'), this.nb(head, role, 'in'), tail, head));
  }

  hasStrong(head: number, role: string, tail: number): boolean {
    return contains(this.strongNb(head, role, 'out'), this.strongNb(tail, role, 'in'), head, tail) || (this.isSymmetric(role) && contains(this.strongNb(tail, role, 'out'), this.strongNb(head, role, 'in'), tail, head));
  }

  isSymmetric(role: string): boolean {
    const r = this.map.relations[role];
    if (!r) return false;
    const info = this.kg.header.edgeTypes[r.index]!;
    return info.source === info.target && info.label === info.inverseLabel;
  }

  private flags: Uint8Array | null = null;
  /**
   * Lexicon facts about a finding node, computed once per node (lexicon.ts): 1 blocked (not a
   * finding), 2 constitutional, 4 common. Name lookups by string re-hash a fresh slice each call.
   */
  findingFlags(node: number): number {
    if (!this.flags) this.flags = new Uint8Array(this.n);
    let v = this.flags[node]!;
    if (v === 0) {
      const name = this.kg.nodeName(node);
      v = 128 | (isBlockedFinding(name) ? 1 : 0) | (isNonspecificFinding(name) ? 2 : 0) | (isCommonFinding(name) ? 4 : 0);
      this.flags[node] = v;
    }
    return v & 127;
  }

  private readonly names = new Map<number, string>();
  /** a node's name (kept: the same string object, so maps keyed by it hash it once) */
  name(node: number): string {
    let v = this.names.get(node);
    if (v === undefined) {
      if (this.names.size > 200_000) this.names.clear();
      this.names.set(node, (v = this.kg.nodeName(node)));
    }
    return v;
  }

  private readonly refs = new Map<number, NodeRef>();
  /** the record's reference to a node (a fresh object each time; the strings are decoded once per node) */
  ref(node: number): NodeRef {
    let r = this.refs.get(node);
    if (!r) {
      if (this.refs.size > 200_000) this.refs.clear();
      this.refs.set(node, (r = { id: this.kg.nodeId(node), type: this.kg.nodeType(node), name: this.kg.nodeName(node) }));
    }
    return { ...r };
  }

  private idSystem: Uint8Array | null = null;
  /** the identifier system of a node (its CURIE prefix), as a small number: equal numbers, one system */
  idSystemOf(node: number): number {
    if (!this.idSystem) this.idSystem = new Uint8Array(this.n).fill(255);
    let v = this.idSystem[node]!;
    if (v === 255) {
      const id = this.kg.nodeId(node);
      const prefix = id.slice(0, Math.max(0, id.indexOf(':')));
      let k = this.prefixes.indexOf(prefix);
      if (k < 0) k = this.prefixes.push(prefix) - 1;
      this.idSystem[node] = v = Math.min(k, 254);
    }
    return v;
  }
  private readonly prefixes: string[] = [];

  /** the triple head —role→ tail as the graph stores it (its own edge type name and direction) */
  triple(head: number, role: string, tail: number): Triple {
    const r = this.map.relations[role];
    // a relation this graph lacks (an absent fact stated in the template's terms): the role name stands in
    if (!r) return { head: this.ref(head), relation: role, tail: this.ref(tail) };
    const [h, t] = r.reversed ? [tail, head] : [head, tail];
    const out = { head: this.ref(h), relation: r.name, tail: this.ref(t) };
    this.made.set(out, [h, r.index, t]);
    return out;
  }

  /** node and edge-type indices of triples this view made (the object, or one it was assigned into, keeps them) */
  private readonly made = new WeakMap<object, [number, number, number]>();

  private readonly idIndex = new Map<string, number>();
  /** node index of an id (memoised: records repeat the same nodes) */
  private indexOf(id: string): number {
    let v = this.idIndex.get(id);
    if (v === undefined) {
      if (this.idIndex.size > 200_000) this.idIndex.clear();
      this.idIndex.set(id, (v = this.kg.findById(id)));
    }
    return v;
  }

  /** resolve a stored triple back to node indices and check the edge; null if a node or the relation is unknown */
  tripleHolds(t: Triple): boolean | null {
    const known = this.made.get(t);
    // a triple this view made carries its indices (the ids it shows are those nodes' ids): no id lookups
    const h = known && t.head.id === this.refs.get(known[0])?.id ? known[0] : this.indexOf(t.head.id);
    const tl = known && t.tail.id === this.refs.get(known[2])?.id ? known[2] : this.indexOf(t.tail.id);
    const rel = known && this.kg.header.edgeTypes[known[1]]!.name === t.relation ? known[1] : this.kg.edgeTypeIndex(t.relation);
    if (h < 0 || tl < 0 || rel < 0) return null;
    if (this.kg.neighbours(h, rel, 'out').includes(tl)) return true;
    const info = this.kg.header.edgeTypes[rel]!;
    return info.source === info.target && info.label === info.inverseLabel && this.kg.neighbours(tl, rel, 'out').includes(h);
  }
}

function contains(outOfHead: Uint32Array, intoTail: Uint32Array, head: number, tail: number): boolean {
  if (outOfHead.length <= intoTail.length) {
    for (let i = 0; i < outOfHead.length; i++) if (outOfHead[i] === tail) return true;
  } else {
    for (let i = 0; i < intoTail.length; i++) if (intoTail[i] === head) return true;
  }
  return false;
}

/**
 * The synthesis engine's handle on a graph: template roles resolved onto the graph's own
 * edge types (schema-map.ts), every edge for "could this option be right?" checks and the
 * strong edges only (edge-trust.ts, built once per run as their own CSR) for evidence and
 * keys, and node references and triples in the graph's own names and directions.
 */
import type { Direction, KnowledgeGraph } from '../graph/knowledge-graph';
import type { Csr } from '../graph/csr';
import { policyFor, strongAdjacency, type StrongAdjacency } from './edge-trust';
import type { NodeRef, Triple } from './record';
import { mapSchema, nodeRoleOf, type MappedRelation, type NodeRole, type SchemaMapping } from './schema-map';

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

  ref(node: number): NodeRef {
    return { id: this.kg.nodeId(node), type: this.kg.nodeType(node), name: this.kg.nodeName(node) };
  }

  /** the triple head —role→ tail as the graph stores it (its own edge type name and direction) */
  triple(head: number, role: string, tail: number): Triple {
    const r = this.map.relations[role];
    // a relation this graph lacks (an absent fact stated in the template's terms): the role name stands in
    if (!r) return { head: this.ref(head), relation: role, tail: this.ref(tail) };
    const [h, t] = r.reversed ? [tail, head] : [head, tail];
    return { head: this.ref(h), relation: r.name, tail: this.ref(t) };
  }

  /** resolve a stored triple back to node indices and check the edge; null if a node or the relation is unknown */
  tripleHolds(t: Triple): boolean | null {
    const h = this.kg.findById(t.head.id);
    const tl = this.kg.findById(t.tail.id);
    const rel = this.kg.edgeTypeIndex(t.relation);
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

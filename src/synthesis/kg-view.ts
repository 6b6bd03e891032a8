/**
 * The synthesis engine's handle on the graph: edge types resolved once by name, edge
 * tests, node references, and reusable epoch-stamped scratch sets so that sampling
 * and verification allocate nothing per edge.
 */
import type { Direction, KnowledgeGraph } from '../graph/knowledge-graph';
import type { NodeRef, Triple } from './record';

export interface Constraint {
  /** edge type index */
  rel: number;
  /** 'out': candidate → other; 'in': other → candidate */
  dir: Direction;
  other: number;
}

export const flip = (d: Direction): Direction => (d === 'out' ? 'in' : 'out');

/** A set over node indices, cleared in O(1) by bumping the epoch. */
export class NodeMarks {
  private readonly stamp: Uint32Array;
  readonly value: Int32Array;
  private epoch = 1;

  constructor(n: number) {
    this.stamp = new Uint32Array(n);
    this.value = new Int32Array(n);
  }

  clear(): void {
    this.epoch++;
    if (this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
  }

  has(i: number): boolean {
    return this.stamp[i] === this.epoch;
  }

  /** marks i; returns true when it was not marked yet (its value is then reset to 0) */
  add(i: number): boolean {
    if (this.stamp[i] === this.epoch) return false;
    this.stamp[i] = this.epoch;
    this.value[i] = 0;
    return true;
  }

  get(i: number): number {
    return this.stamp[i] === this.epoch ? this.value[i]! : 0;
  }
}

export class SynthGraph {
  readonly n: number;
  private readonly relIndex = new Map<string, number>();

  constructor(readonly kg: KnowledgeGraph, readonly label: string) {
    this.n = kg.nodeCount;
    kg.header.edgeTypes.forEach((e, i) => this.relIndex.set(e.name, i));
  }

  /** edge type index by name, or -1 when the graph lacks it */
  relOrMissing(name: string): number {
    return this.relIndex.get(name) ?? -1;
  }

  rel(name: string): number {
    const i = this.relIndex.get(name);
    if (i === undefined) throw new Error(`the graph has no "${name}" edges`);
    return i;
  }

  relName(rel: number): string {
    return this.kg.header.edgeTypes[rel]!.name;
  }

  relInfo(rel: number) {
    return this.kg.header.edgeTypes[rel]!;
  }

  typeIndex(name: string): number {
    return this.kg.header.nodeTypes.indexOf(name);
  }

  nb(node: number, rel: number, dir: Direction): Uint32Array {
    return this.kg.neighbours(node, rel, dir);
  }

  /** is there an edge head —rel→ tail? Scans the shorter of the two adjacency lists. */
  has(head: number, rel: number, tail: number): boolean {
    const a = this.kg.neighbours(head, rel, 'out');
    const b = this.kg.neighbours(tail, rel, 'in');
    if (a.length <= b.length) {
      for (let i = 0; i < a.length; i++) if (a[i] === tail) return true;
    } else {
      for (let i = 0; i < b.length; i++) if (b[i] === head) return true;
    }
    // symmetric relations (resembles) are stored once per pair
    if (this.isSymmetric(rel)) {
      const c = this.kg.neighbours(tail, rel, 'out');
      for (let i = 0; i < c.length; i++) if (c[i] === head) return true;
    }
    return false;
  }

  isSymmetric(rel: number): boolean {
    const info = this.kg.header.edgeTypes[rel]!;
    return info.source === info.target && info.label === info.inverseLabel;
  }

  satisfies(candidate: number, c: Constraint): boolean {
    return c.dir === 'out' ? this.has(candidate, c.rel, c.other) : this.has(c.other, c.rel, candidate);
  }

  ref(node: number): NodeRef {
    return { id: this.kg.nodeId(node), type: this.kg.nodeType(node), name: this.kg.nodeName(node) };
  }

  /** the triple a constraint states about a candidate, head→tail as stored in the KG */
  triple(candidate: number, c: Constraint): Triple {
    const [h, t] = c.dir === 'out' ? [candidate, c.other] : [c.other, candidate];
    return { head: this.ref(h), relation: this.relName(c.rel), tail: this.ref(t) };
  }

  edgeTriple(head: number, rel: number, tail: number): Triple {
    return { head: this.ref(head), relation: this.relName(rel), tail: this.ref(tail) };
  }

  /** resolve a stored triple back to node indices and check the edge; null if a node is unknown */
  tripleHolds(t: Triple): boolean | null {
    const h = this.kg.findById(t.head.id);
    const tl = this.kg.findById(t.tail.id);
    const rel = this.relOrMissing(t.relation);
    if (h < 0 || tl < 0 || rel < 0) return null;
    return this.has(h, rel, tl);
  }
}

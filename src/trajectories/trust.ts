/**
 * Which KG edges a chain may cite as facts: the STRONG ones under the edge-trust policy
 * synthesis uses for evidence and keys (src/synthesis/edge-trust.ts), chosen by the edge
 * type's template role (schema-map.ts), so an imported graph whose "CtD" edges play the
 * "treats" role gets the "treats" policy. A relation the KG asserts only weakly (one crowd
 * statement, text mining alone — "apremilast treats multiple sclerosis" from one Wikidata
 * row) is not a fact to teach; it still counts as a sign that an option might be right
 * (absence.ts reads every edge).
 */
import type { Csr } from '../graph/csr';
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { datasetNames, edgeMaskIndex, policyFor, strongAdjacency, type StrongAdjacency } from '../synthesis/edge-trust';
import { mapSchema } from '../synthesis/schema-map';

export class EdgeStrength {
  private readonly adj = new Map<number, StrongAdjacency>();
  private readonly masks = new Map<number, (h: number, t: number) => number>();
  /** edge type index → the template role it plays (default graph: its own name) */
  private readonly roleOf = new Map<number, string>();

  constructor(readonly kg: KnowledgeGraph) {
    const map = mapSchema(kg.header);
    for (const [role, r] of Object.entries(map.relations)) if (r && !this.roleOf.has(r.index)) this.roleOf.set(r.index, role);
  }

  private of(rel: number): StrongAdjacency {
    let a = this.adj.get(rel);
    if (!a) {
      const et = this.kg.header.edgeTypes[rel]!;
      a = strongAdjacency(this.kg, rel, policyFor(this.roleOf.get(rel) ?? et.name), new Set());
      this.adj.set(rel, a);
    }
    return a;
  }

  /** is h —rel→ t a strong edge (either direction for a symmetric type)? */
  strong(h: number, rel: number, t: number): boolean {
    const a = this.of(rel);
    if (contains(a.out, h, t)) return true;
    const et = this.kg.header.edgeTypes[rel]!;
    return et.source === et.target && et.label === et.inverseLabel && contains(a.out, t, h);
  }

  /** strong neighbours along one edge type */
  neighbours(n: number, rel: number, dir: 'out' | 'in'): Uint32Array {
    const c = dir === 'out' ? this.of(rel).out : this.of(rel).in;
    return c.targets.subarray(c.offsets[n]!, c.offsets[n + 1]!);
  }

  /** the datasets asserting an edge, for messages */
  datasets(h: number, rel: number, t: number): string[] {
    let m = this.masks.get(rel);
    if (!m) this.masks.set(rel, (m = edgeMaskIndex(this.kg, rel)));
    return datasetNames(m(h, t), this.kg.datasets.map((d) => d.id));
  }
}

function contains(c: Csr, h: number, t: number): boolean {
  for (let p = c.offsets[h]!; p < c.offsets[h + 1]!; p++) if (c.targets[p] === t) return true;
  return false;
}

/**
 * Typed, de-duplicated edge collection. Each edge type has one source and one
 * target node type; an edge asserted by several datasets is kept once with the
 * datasets OR'd into its bitmask. Self-loops are dropped, and symmetric types are
 * stored once per unordered pair (smaller id first).
 */
import type { MedicalEdgeType } from '../../../src/graph/medical-schema';
import type { EntityRegistry } from './entity-registry';

export type EdgeTypeDef = MedicalEdgeType;

export class EdgeStore {
  /** edge type -> "src\u0000dst" -> dataset bits */
  readonly edges = new Map<string, Map<string, number>>();
  readonly rejected = { selfLoop: 0, missingNode: 0, wrongType: 0 };
  private readonly defs: Map<string, EdgeTypeDef>;

  constructor(
    private readonly registry: EntityRegistry,
    defs: readonly EdgeTypeDef[],
  ) {
    this.defs = new Map(defs.map((d) => [d.name, d]));
  }

  /** Add one edge; returns false (and counts why) if it was rejected. */
  add(type: string, src: string | undefined, dst: string | undefined, bits: number): boolean {
    const def = this.defs.get(type);
    if (!def) throw new Error(`unknown edge type ${type}`);
    if (!src || !dst) {
      this.rejected.missingNode++;
      return false;
    }
    const s = this.registry.get(src);
    const d = this.registry.get(dst);
    if (!s || !d) {
      this.rejected.missingNode++;
      return false;
    }
    if (s.type !== def.source || d.type !== def.target) {
      this.rejected.wrongType++;
      return false;
    }
    if (src === dst) {
      this.rejected.selfLoop++;
      return false;
    }
    let a = src;
    let b = dst;
    if (def.symmetric && b < a) [a, b] = [b, a];
    let m = this.edges.get(type);
    if (!m) this.edges.set(type, (m = new Map()));
    const key = `${a}\u0000${b}`;
    m.set(key, (m.get(key) ?? 0) | bits);
    return true;
  }

  count(type?: string): number {
    if (type) return this.edges.get(type)?.size ?? 0;
    let n = 0;
    for (const m of this.edges.values()) n += m.size;
    return n;
  }
}

/**
 * Entity registry: assigns node ids and merges source records into one entity,
 * first by identifier (primary id or any xref CURIE, scoped by node type), then
 * by normalised name — a name joins only when it points at exactly one entity
 * (a primary-name match beats a synonym match; ties are treated as no match).
 */
import { normName } from '../normalize';

export interface Entity {
  id: string;
  type: string;
  name: string;
  xrefs: Set<string>;
  synonyms: Set<string>;
  datasets: number;
}

export interface ResolveQuery {
  /** identifiers (CURIEs) of the record, tried in order */
  xrefs?: readonly string[];
  /** names of the record, tried in order (primary name first) */
  names?: readonly string[];
}

export type JoinKind = 'xref' | 'name' | 'none';

interface NameHits {
  primary: Set<string>;
  synonym: Set<string>;
}

export class EntityRegistry {
  readonly entities = new Map<string, Entity>();
  /** `${type}|${curie}` -> entity id, or null when the CURIE is claimed by several entities */
  private readonly xrefIndex = new Map<string, string | null>();
  private readonly nameIndex = new Map<string, Map<string, NameHits>>();

  get(id: string): Entity | undefined {
    return this.entities.get(id);
  }

  /** Create an entity, or update the existing one with this id (same type required). */
  upsert(type: string, id: string, name: string, datasetBits: number, extra: { xrefs?: Iterable<string>; synonyms?: Iterable<string> } = {}): Entity {
    let e = this.entities.get(id);
    if (!e) {
      e = { id, type, name: name || id, xrefs: new Set(), synonyms: new Set(), datasets: 0 };
      this.entities.set(id, e);
      if (name) this.indexName(e, name, true);
    } else if (e.type !== type) {
      throw new Error(`entity ${id} is a ${e.type}, not a ${type}`);
    } else if (name) {
      this.addSynonym(e, name);
    }
    e.datasets |= datasetBits;
    for (const x of extra.xrefs ?? []) this.addXref(e, x);
    for (const s of extra.synonyms ?? []) this.addSynonym(e, s);
    return e;
  }

  addXref(e: Entity, curie: string): void {
    if (!curie || curie === e.id) return;
    e.xrefs.add(curie);
    this.indexXref(e, curie);
  }

  /** Alternative name: indexed for matching; stored only if it differs after normalisation. */
  addSynonym(e: Entity, name: string): void {
    const n = name.trim();
    if (!n) return;
    if (normName(n) !== normName(e.name)) e.synonyms.add(n);
    this.indexName(e, n, false);
  }

  /** Index a name for matching without storing it on the node (e.g. an inverted MeSH form). */
  indexName(e: Entity, name: string, primary: boolean): void {
    const key = normName(name);
    if (!key) return;
    let byType = this.nameIndex.get(e.type);
    if (!byType) this.nameIndex.set(e.type, (byType = new Map()));
    let hits = byType.get(key);
    if (!hits) byType.set(key, (hits = { primary: new Set(), synonym: new Set() }));
    (primary ? hits.primary : hits.synonym).add(e.id);
  }

  private indexXref(e: Entity, curie: string): void {
    const key = `${e.type}|${curie}`;
    const cur = this.xrefIndex.get(key);
    if (cur === undefined) this.xrefIndex.set(key, e.id);
    else if (cur !== e.id) this.xrefIndex.set(key, null); // claimed twice: ambiguous
  }

  /** Entity id for a CURIE (its primary id or an unambiguous xref). */
  byXref(type: string, curie: string): string | undefined {
    if (this.entities.get(curie)?.type === type) return curie;
    return this.xrefIndex.get(`${type}|${curie}`) ?? undefined;
  }

  /** Entity id for a name, only if the normalised name identifies exactly one entity. */
  byName(type: string, name: string): string | undefined {
    const hits = this.nameIndex.get(type)?.get(normName(name));
    if (!hits) return undefined;
    if (hits.primary.size === 1) return hits.primary.values().next().value;
    if (hits.primary.size > 1) return undefined;
    if (hits.synonym.size === 1) return hits.synonym.values().next().value;
    return undefined;
  }

  /** Find an existing entity: by any identifier first, then by any name. */
  resolve(type: string, q: ResolveQuery): { id: string; via: JoinKind } | undefined {
    for (const x of q.xrefs ?? []) {
      const id = this.byXref(type, x);
      if (id) return { id, via: 'xref' };
    }
    for (const n of q.names ?? []) {
      const id = this.byName(type, n);
      if (id) return { id, via: 'name' };
    }
    return undefined;
  }

  ofType(type: string): Entity[] {
    return [...this.entities.values()].filter((e) => e.type === type);
  }
}

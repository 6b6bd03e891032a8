/**
 * "Is this option a relative of the answer?" An option that is an ancestor, descendant or
 * overlapping part of the key is a second right answer, so every hierarchy the graph has is
 * read here: disease is_a, symptom is_a, anatomy is_a and part-of (overlap = one contains
 * the other or both contain a common part), taxonomic relatives of a pathogen, pharmacologic
 * classes that share members, genes of one family. Closures are computed on demand and
 * cached per node; every edge counts, whatever its support (a weak edge is still a sign).
 */
import type { SynthGraph } from './kg-view';
import { organSystems } from './lexicon';

/** Above this many descendants a disease is a grouping ("cancer"), not a question subject. */
export const MAX_DESCENDANTS = 400;
/** Classes with more members than this are too broad to imply a shared mechanism ("Central Nervous System Agents"). */
export const BROAD_CLASS = 300;

type Step = { role: string; dir: 'out' | 'in' };

export class Hierarchies {
  private readonly up = new Map<string, Map<number, Set<number>>>();
  private readonly down = new Map<string, Map<number, Set<number> | null>>();

  constructor(readonly g: SynthGraph) {}

  /** ancestors along the steps (each step applied repeatedly), node excluded */
  closureUp(node: number, key: string, steps: readonly Step[]): Set<number> {
    let cache = this.up.get(key);
    if (!cache) this.up.set(key, (cache = new Map()));
    let s = cache.get(node);
    if (s) return s;
    s = new Set();
    const stack = [node];
    while (stack.length) {
      const x = stack.pop()!;
      for (const st of steps) {
        const list = this.g.nb(x, st.role, st.dir);
        for (let i = 0; i < list.length; i++) {
          const y = list[i]!;
          if (y !== node && !s.has(y)) {
            s.add(y);
            stack.push(y);
          }
        }
      }
    }
    cache.set(node, s);
    return s;
  }

  /** descendants (the steps reversed), or null when there are more than `cap` */
  closureDown(node: number, key: string, steps: readonly Step[], cap = MAX_DESCENDANTS): Set<number> | null {
    let cache = this.down.get(key);
    if (!cache) this.down.set(key, (cache = new Map()));
    if (cache.has(node)) return cache.get(node)!;
    const s = new Set<number>();
    const stack = [node];
    let over = false;
    while (stack.length && !over) {
      const x = stack.pop()!;
      for (const st of steps) {
        const list = this.g.nb(x, st.role, st.dir === 'out' ? 'in' : 'out');
        for (let i = 0; i < list.length; i++) {
          const y = list[i]!;
          if (y !== node && !s.has(y)) {
            s.add(y);
            stack.push(y);
            if (s.size > cap) over = true;
          }
        }
      }
    }
    const out = over ? null : s;
    cache.set(node, out);
    return out;
  }

  // diseases ---------------------------------------------------------------
  diseaseAncestors(d: number): Set<number> {
    return this.closureUp(d, 'disease', DISEASE_UP);
  }
  diseaseDescendants(d: number): Set<number> | null {
    return this.closureDown(d, 'disease', DISEASE_UP);
  }
  /** the disease itself, its ancestors and (when not a broad grouping) its descendants */
  diseaseFamily(d: number): Set<number> | null {
    const desc = this.diseaseDescendants(d);
    if (!desc) return null;
    const out = new Set<number>([d]);
    for (const x of this.diseaseAncestors(d)) out.add(x);
    for (const x of desc) out.add(x);
    return out;
  }
  diseasesRelated(a: number, b: number): boolean {
    return a === b || this.diseaseAncestors(a).has(b) || this.diseaseAncestors(b).has(a);
  }

  // symptoms ---------------------------------------------------------------
  /**
   * A finding with its narrower findings and its direct broader one ("abdominal pain" with
   * "right upper quadrant pain" and "pain"): a disease presenting any of them may present
   * the finding. Farther ancestors are grouping terms that say nothing about it.
   */
  findingFamily(f: number): Set<number> {
    const out = new Set<number>([f]);
    const parents = this.g.nb(f, 'symptom_is_a', 'out');
    for (let i = 0; i < parents.length; i++) out.add(parents[i]!);
    for (const x of this.closureDown(f, 'symptom', SYMPTOM_UP, 200) ?? []) out.add(x);
    return out;
  }

  // anatomy ----------------------------------------------------------------
  anatomyAbove(a: number): Set<number> {
    return this.closureUp(a, 'anatomy', ANATOMY_UP);
  }
  anatomyBelow(a: number): Set<number> {
    return this.closureDown(a, 'anatomy', ANATOMY_UP, 5000) ?? new Set();
  }
  /** one contains (or is a kind of) the other, or both contain a common part */
  anatomyOverlaps(a: number, b: number): boolean {
    if (a === b || this.anatomyAbove(a).has(b) || this.anatomyAbove(b).has(a)) return true;
    const da = this.anatomyBelow(a);
    const db = this.anatomyBelow(b);
    const [small, big] = da.size <= db.size ? [da, db] : [db, da];
    for (const x of small) if (big.has(x)) return true;
    return false;
  }

  private readonly systemCache = new Map<number, string[]>();
  /** organ systems of a structure: by its name and the names of the structures it lies within (lexicon.ts) */
  anatomySystems(a: number): string[] {
    let v = this.systemCache.get(a);
    if (!v) {
      const out = new Set(organSystems(this.g.kg.nodeName(a)));
      for (const x of this.anatomyAbove(a)) for (const sys of organSystems(this.g.kg.nodeName(x))) out.add(sys);
      this.systemCache.set(a, (v = [...out]));
    }
    return v;
  }

  // pathogens --------------------------------------------------------------
  private readonly taxonCache = new Map<number, string>();
  /**
   * The taxonomic name of a pathogen: its name, or — where the graph shows a clinical name
   * ("Epstein-Barr virus") — the binomial kept among its synonyms ("Lymphocryptovirus humangamma4").
   */
  taxonName(p: number): string {
    let v = this.taxonCache.get(p);
    if (v === undefined) {
      const name = this.g.kg.nodeName(p).replace(/[[\]]/g, '');
      v = name;
      if (/\bvirus\b|virus$|\b[A-Z][a-z]+ [a-z]+ virus/.test(name) || !/^[A-Z][a-z]+( [a-z0-9.-]+)*$/.test(name)) {
        const binomial = this.g.kg.synonyms(p).find((s) => /^[A-Z][a-z]+ [a-z0-9-]+$/.test(s.trim()));
        if (binomial) v = binomial.trim();
      }
      this.taxonCache.set(p, v);
    }
    return v;
  }

  /** the genus (lower-case first word of the taxonomic name) */
  genusOf(p: number): string {
    return this.taxonName(p).split(/\s+/)[0]!.toLowerCase().replace(/[^a-z]/g, '');
  }

  /** same genus by name, one name inside the other, or named as causes of one disease (taxonomic relatives share facets) */
  pathogensRelated(a: number, b: number): boolean {
    if (a === b) return true;
    const na = this.taxonName(a).toLowerCase();
    const nb = this.taxonName(b).toLowerCase();
    const ca = this.g.kg.nodeName(a).toLowerCase();
    const cb = this.g.kg.nodeName(b).toLowerCase();
    if (this.genusOf(a) === this.genusOf(b) || na.includes(nb) || nb.includes(na) || ca.includes(cb) || cb.includes(ca)) return true;
    const da = this.g.nb(a, 'caused_by', 'in');
    const db = this.g.nb(b, 'caused_by', 'in');
    for (let i = 0; i < da.length; i++) if (db.includes(da[i]!)) return true;
    return false;
  }

  // pathways ---------------------------------------------------------------
  private pathwayLimit = -1;
  /**
   * Umbrella pathways ("Signaling Pathways", "Metabolism", "Disease") hold the genes of many
   * narrower ones: as an option they are right for almost any drug target. Broad = among the
   * largest 3% of pathways by genes in this graph (and more than 10).
   */
  isBroadPathway(p: number): boolean {
    if (this.pathwayLimit < 0) {
      const ti = this.g.typeIndexOf('pathway');
      const sizes: number[] = [];
      if (ti >= 0) for (let i = 0; i < this.g.n; i++) if (this.g.kg.nodeTypeIndex(i) === ti) sizes.push(this.g.nb(i, 'participates_pathway', 'in').length);
      sizes.sort((a, b) => a - b);
      this.pathwayLimit = Math.max(10, sizes[Math.floor(sizes.length * 0.97)] ?? 10);
    }
    return this.g.nb(p, 'participates_pathway', 'in').length > this.pathwayLimit;
  }

  // classes and genes ------------------------------------------------------
  classSize(c: number): number {
    return this.g.nb(c, 'in_class', 'in').length;
  }
  /** does any drug belong to both classes? */
  private shared = new Map<number, boolean>();
  classesShareMember(a: number, b: number): boolean {
    if (a === b) return true;
    const key = a < b ? a * this.g.n + b : b * this.g.n + a;
    let v = this.shared.get(key);
    if (v === undefined) this.shared.set(key, (v = this.computeShared(a, b)));
    return v;
  }
  private computeShared(a: number, b: number): boolean {
    const ma = this.g.nb(a, 'in_class', 'in');
    const mb = this.g.nb(b, 'in_class', 'in');
    const [small, other] = ma.length <= mb.length ? [ma, b] : [mb, a];
    for (let i = 0; i < small.length; i++) if (this.g.has(small[i]!, 'in_class', other)) return true;
    return false;
  }
  /** same symbol family ("GABRA1" / "GABRE", "KCNK9" / "KCNK10") or targeted together by one drug */
  genesRelated(a: number, b: number): boolean {
    if (a === b) return true;
    if (geneFamily(this.g.kg.nodeName(a)) === geneFamily(this.g.kg.nodeName(b))) return true;
    const da = this.g.nb(a, 'targets', 'in');
    for (let i = 0; i < da.length; i++) if (this.g.has(da[i]!, 'targets', b)) return true;
    return false;
  }
}

const DISEASE_UP: readonly Step[] = [{ role: 'is_a', dir: 'out' }];
const SYMPTOM_UP: readonly Step[] = [{ role: 'symptom_is_a', dir: 'out' }];
const ANATOMY_UP: readonly Step[] = [
  { role: 'anatomy_is_a', dir: 'out' },
  { role: 'anatomy_part_of', dir: 'out' },
];

/** the family of a gene symbol: its leading letters, at most four ("GABRA1", "GABRE" → "GABR"; "KCNK9" → "KCNK"; "HTR2A" → "HTR") */
export function geneFamily(symbol: string): string {
  const letters = /^[A-Z]*/.exec(symbol.toUpperCase())![0];
  return letters.length ? letters.slice(0, 4) : symbol.toUpperCase();
}

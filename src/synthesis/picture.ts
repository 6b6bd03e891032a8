/**
 * The clinical picture of a stem: findings of a hidden disease, chosen so that the picture
 * points to that disease and to no other. Findings come from strong "presents" edges only
 * (edge-trust.ts), never two that restate each other ("weakness", "muscle weakness"), never
 * one that names the disease ("fever" for familial Mediterranean fever). The picture is
 * specific when no disease outside the answer's own family (ancestors, descendants) may
 * present every shown finding, by any edge: when one does, the disease's next most
 * discriminating finding is added, up to six.
 */
import type { SynthGraph } from './kg-view';
import type { Hierarchies } from './relatedness';
import type { Rng } from './rng';
import { contentWords, sharedKeyWord } from './names';
import { contradicts, contradictsDisease, findingConcept, findingPhrase } from './lexicon';

/** a picture of three findings is too thin to single out a disease a clinician would name ("melena, loss of appetite and menorrhagia") */
export const MIN_PICTURE_FINDINGS = 4;
/** shown findings that are distinctive (specific, differential.ts): one can be a coincidence, two make a picture */
export const MIN_DISTINCTIVE_FINDINGS = 2;
/** of which at least this many point to an organ system (not constitutional) */
export const MIN_SPECIFIC_FINDINGS = 2;

export { isNonspecificFinding } from './lexicon';
export const MAX_SHOWN_FINDINGS = 6;
/** a disease with more subtypes than this is a grouping: it may present anything its subtypes do */
const MAX_SUBTYPES_SCANNED = 60;
/** how many shown findings a competing disease may miss and still count as fitting the picture (an incomplete KG) */
export const PICTURE_SLACK = 1;
/** a disease with this many findings (any source) is annotated well enough for a missing one to count (as for distractors) */
const WELL_ANNOTATED_FINDINGS = 5;

export interface Picture {
  shown: number[];
  /** strong findings of the disease left out of the stem (partial information) */
  withheld: number[];
}

export class PictureBuilder {
  private readonly familyCache = new Map<number, Set<number>>();

  constructor(
    readonly g: SynthGraph,
    readonly h: Hierarchies,
  ) {}

  /** the finding with its broader and narrower findings */
  family(f: number): Set<number> {
    let s = this.familyCache.get(f);
    if (!s) this.familyCache.set(f, (s = this.h.findingFamily(f)));
    return s;
  }

  /**
   * May disease x present finding f, by any edge: x itself, an ancestor (inherited) or a
   * descendant (a subtype has it) presents f or a broader/narrower finding of it.
   */
  /** per finding, per disease: 0 unknown, 1 no, 2 yes (a typed array per finding asked about: pictures use a few hundred findings) */
  private readonly mayCache = new Map<number, Uint8Array>();

  mayPresent(x: number, f: number): boolean {
    let row = this.mayCache.get(f);
    if (!row) this.mayCache.set(f, (row = new Uint8Array(this.g.n)));
    let v = row[x]!;
    if (v === 0) row[x] = v = this.computeMayPresent(x, f) ? 2 : 1;
    return v === 2;
  }

  private computeMayPresent(x: number, f: number): boolean {
    const fam = this.family(f);
    if (this.presentsAnyOf(x, fam)) return true;
    for (const a of this.h.diseaseAncestors(x)) if (this.presentsAnyOf(a, fam)) return true;
    const desc = this.h.diseaseDescendants(x);
    if (!desc || desc.size > MAX_SUBTYPES_SCANNED) return true; // a broad grouping may present anything
    for (const d of desc) if (this.presentsAnyOf(d, fam)) return true;
    return false;
  }

  /** does x itself or one of its subtypes present f (or a broader / narrower finding), not counting what it inherits? */
  presentsOwn(x: number, f: number): boolean {
    const fam = this.family(f);
    if (this.presentsAnyOf(x, fam)) return true;
    for (const d of this.h.diseaseDescendants(x) ?? []) if (this.presentsAnyOf(d, fam)) return true;
    return false;
  }

  private presentsAnyOf(d: number, fam: ReadonlySet<number>): boolean {
    const list = this.g.nb(d, 'presents', 'out');
    for (let i = 0; i < list.length; i++) if (fam.has(list[i]!)) return true;
    return false;
  }

  /**
   * Diseases outside `family` that may present all the shown findings but `slack` of them
   * (checked from the neighbours of the slack + 1 rarest findings: a competitor misses at most
   * `slack`, so it has one of them). Slack 1 makes a picture robust to one annotation the KG
   * lacks: a sparsely annotated disease that matches all but one finding is, in an incomplete
   * KG, a disease that may match them all. A well-annotated one (as many findings as a
   * distractor needs, judges.ts) that lacks a finding is contradicted: a differential.
   */
  competitors(shown: readonly number[], family: ReadonlySet<number>, slack = PICTURE_SLACK, limit = 50): { disease: number; misses: number }[] {
    const bySize = shown
      .map((f) => {
        let size = 0;
        for (const x of this.family(f)) size += this.g.nb(x, 'presents', 'in').length;
        return { f, size };
      })
      .sort((a, b) => a.size - b.size);
    const seeds = bySize.slice(0, Math.min(shown.length, slack + 1)).map((x) => x.f);
    const out: { disease: number; misses: number }[] = [];
    const seen = new Set<number>();
    const allowed = Math.min(slack, shown.length - 2); // a competitor always shares at least two findings
    for (const seedF of seeds) {
      for (const x of this.family(seedF)) {
        const list = this.g.nb(x, 'presents', 'in');
        for (let i = 0; i < list.length; i++) {
          const d = list[i]!;
          if (seen.has(d) || family.has(d)) continue;
          seen.add(d);
          // a broad grouping ("brain cancer", hundreds of subtypes) may present anything: it is no diagnosis a
          // picture competes with (and never an option, judges.ts), so it does not block every picture it touches
          const desc = this.h.diseaseDescendants(d);
          if (!desc || desc.size > MAX_SUBTYPES_SCANNED) continue;
          // a well-annotated disease that lacks a finding is contradicted (a differential, not a competitor)
          const tolerance = this.g.describedDegree(d, 'presents', false) >= WELL_ANNOTATED_FINDINGS ? 0 : allowed;
          let misses = 0;
          for (const f of shown) {
            if (!this.mayPresent(d, f) && ++misses > tolerance) break;
          }
          if (misses <= tolerance) {
            out.push({ disease: d, misses });
            if (out.length >= limit) return out;
          }
        }
      }
    }
    return out;
  }

  /** strong findings of d usable in a stem: clinical findings (not processes, lexicon.ts) that name neither the disease nor the answer */
  private readonly usableCache = new Map<string, number[]>();
  usableFindings(d: number, answerName: string): number[] {
    const key = `${d}|${answerName}`;
    let v = this.usableCache.get(key);
    if (!v) {
      if (this.usableCache.size > 50_000) this.usableCache.clear();
      this.usableCache.set(key, (v = this.computeUsable(d, answerName)));
    }
    return v;
  }

  private computeUsable(d: number, answerName: string): number[] {
    const list = this.g.strongNb(d, 'presents', 'out');
    const diseaseName = this.g.kg.nodeName(d);
    const lineage = [diseaseName, ...Array.from(this.h.diseaseAncestors(d), (a) => this.g.kg.nodeName(a))];
    const out: number[] = [];
    for (let i = 0; i < list.length; i++) {
      const f = list[i]!;
      if (this.g.findingFlags(f) & 1) continue;
      const name = this.g.name(f);
      const shown = findingPhrase(name);
      if (sharedKeyWord(name, diseaseName) || sharedKeyWord(name, answerName) || sharedKeyWord(shown, diseaseName) || sharedKeyWord(shown, answerName)) continue;
      // a finding the disease's definition rules out (weight gain in marasmus)
      if (contradictsDisease(lineage, name)) continue;
      out.push(f);
    }
    return out;
  }

  /**
   * Do two findings restate each other: one concept in the lexicon ("hematochezia",
   * "rectorrhagia"), broader / narrower, a shared MeSH or UMLS identifier, or a shared
   * content word of their names or shown phrases ("weakness", "muscle weakness")?
   */
  restate(a: number, b: number): boolean {
    if (a === b) return true;
    const kg = this.g.kg;
    const na = this.g.name(a);
    const nb = this.g.name(b);
    if (findingConcept(na) === findingConcept(nb)) return true;
    // two findings that cannot be shown together either (lexicon.ts: "emaciation", "weight gain")
    if (contradicts(na, nb)) return true;
    if (this.family(a).has(b) || this.family(b).has(a)) return true;
    const xa = kg.xrefs(a);
    if (xa.length) {
      const xb = kg.xrefs(b);
      for (const x of xa) if ((x.startsWith('MESH:') || x.startsWith('UMLS:')) && xb.includes(x)) return true;
    }
    const wa = [...contentWords(na), ...contentWords(findingPhrase(na))];
    const wb = [...contentWords(nb), ...contentWords(findingPhrase(nb))];
    return wa.some((w) => wb.includes(w));
  }

  /**
   * Choose the shown findings: a random start of 2 (each further one with chance 1 − drop,
   * up to 5), then the most discriminating remaining findings while competitors remain.
   * Null when the disease's findings cannot single it out.
   */
  choose(d: number, family: ReadonlySet<number>, answerName: string, drop: number, rng: Rng, distinctive: (f: number) => boolean = () => false): Picture | null {
    const usable = this.usableFindings(d, answerName);
    if (usable.length < MIN_PICTURE_FINDINGS) return null;
    const pool = rng.shufflePrefix(usable.slice());
    const specific = (f: number) => !(this.g.findingFlags(f) & 2);
    if (pool.filter(specific).length < MIN_SPECIFIC_FINDINGS) return null;
    // a distinctive finding first (the one that can single the disease out), then organ-system findings, so the
    // picture has its anchors; the order within each group stays random
    const rank = (f: number) => (distinctive(f) ? 2 : specific(f) ? 1 : 0);
    pool.sort((a, b) => rank(b) - rank(a));
    const shown: number[] = [];
    const redundant = (f: number) => shown.some((s) => this.restate(s, f));
    let target = MIN_PICTURE_FINDINGS;
    while (target < Math.min(5, pool.length) && rng.chance(1 - drop)) target++;
    for (const f of pool) {
      if (shown.length >= MIN_SPECIFIC_FINDINGS || !specific(f)) break;
      if (!redundant(f)) shown.push(f);
    }
    if (shown.length < MIN_SPECIFIC_FINDINGS) return null;
    const rest = rng.shufflePrefix(pool.filter((f) => !shown.includes(f)));
    for (const f of rest) {
      if (shown.length >= target) break;
      if (!redundant(f)) shown.push(f);
    }
    if (shown.length < MIN_PICTURE_FINDINGS) return null;
    let comp = this.competitors(shown, family);
    while (comp.length > 0 && shown.length < MAX_SHOWN_FINDINGS) {
      // the unused finding that leaves the fewest competitors (a sparsely annotated one may miss one more now)
      const allowed = Math.min(PICTURE_SLACK, shown.length + 1 - 2);
      let best = -1;
      let bestLeft = comp.length;
      for (const f of pool) {
        if (shown.includes(f) || redundant(f)) continue;
        let left = 0;
        for (const c of comp) if (c.misses + (this.mayPresent(c.disease, f) ? 0 : 1) <= (this.g.describedDegree(c.disease, 'presents', false) >= WELL_ANNOTATED_FINDINGS ? 0 : allowed)) left++;
        if (left < bestLeft) {
          bestLeft = left;
          best = f;
        }
      }
      if (best < 0) return null;
      shown.push(best);
      comp = this.competitors(shown, family);
    }
    if (comp.length > 0) return null;
    if (shown.filter(distinctive).length < MIN_DISTINCTIVE_FINDINGS) return null;
    const withheld = pool.filter((f) => !shown.includes(f)).slice(0, 4);
    return { shown: rng.shufflePrefix(shown), withheld };
  }
}

/**
 * Two shown sets that read as one picture (review round 3, N9): one inside the other, one
 * finding apart (one added or one swapped), or Jaccard >= 0.6 — #19's four findings were a
 * subset of #18's five and passed an exact-set check.
 */
export function picturesOverlap<T>(a: readonly T[], b: readonly T[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  let inter = 0;
  for (const f of sb) if (sa.has(f)) inter++;
  const union = sa.size + sb.size - inter;
  return inter === Math.min(sa.size, sb.size) || union - inter <= 2 || inter / union >= 0.6;
}

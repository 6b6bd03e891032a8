/**
 * The one rule, shared by synthesis (judges.ts) and the built-in teacher
 * (trajectories/kg-plan.ts, teachable.ts), for when the graph gives a POSITIVE reason that an
 * option is wrong — one a chain of thought can say as a true clinical sentence. Before, the
 * generator stored reasons the teacher would not say ("lobomycosis is caused by Lacazia
 * loboi" beside an onchocerciasis picture: lobomycosis has no findings in the graph, so
 * nothing shows it does not present the same picture), and 172 of 2,133 items got no
 * chain (review round 2, N7). The rules, by what the option is:
 *  - a differential (diagnosis), or the disease an organism causes (causative agent): the
 *    disease's picture is well described, and a shown finding is one it cannot account for
 *    (`cannotExplain`): a pathogen causing a different disease is a reason it is not the
 *    cause here only if that disease does not present the same findings;
 *  - a structure (localisation): it is THE site of another disease (its only strong site,
 *    up to containment) whose name does not simply restate the structure ("ureter cancer"
 *    for the ureter teaches nothing);
 *  - a drug class: a member the class holds soundly (a ChEBI role only when another class
 *    system names the same class for the drug).
 * Synthesis keeps a distractor only with such a reason (and stores it), so every item it
 * emits is one the teacher can write a chain for.
 */
import { classNameKey } from './judges';
import type { SynthGraph } from './kg-view';
import { isNonspecificFinding, type PictureBuilder } from './picture';
import { anatomyPhrase } from './lexicon';
import type { Hierarchies } from './relatedness';
import { contentWords, sharedKeyWord } from './names';
import { containsName } from './text';

/** a parent with at most this many descendants groups closely related diseases (its children are "siblings") */
const NARROW_PARENT = 100;

/** a disease needs this many strong findings before a finding it lacks says anything */
export const WELL_DESCRIBED_PICTURE = 4;
/** a disease with more subtypes than this is a grouping: "the kidney is the site of kidney disease" teaches nothing */
const MAX_SITE_SUBTYPES = 20;

/**
 * Review round 4, N14: "rubella does not account for lymphadenopathy" was stated (rubella has
 * 4 strong findings in the graph; lymphadenopathy is one of its cardinal signs), as were
 * leptospirosis / dyspnoea (6) and brucellosis / hepatosplenomegaly (6); endemic typhus /
 * hepatosplenomegaly (7) and Lujo fever / hepatomegaly (5) were doubtful. What a short
 * annotation leaves out is the common sign, so a sign that COMMON_SIGN or more diseases present
 * may be denied only of a disease with WELL_DESCRIBED_FOR_NEGATIVE strong findings; a rarer
 * finding (wheezing, haematuria) still needs WELL_DESCRIBED_PICTURE. Measured on `--n 3000
 * --seed 53` (diagnosis / causative-agent items): 33 / 10 before; 9 / 3 with 8 findings
 * required for every denial, 18 / 5 with 7; 27 / 10 with this rule.
 */
export const WELL_DESCRIBED_FOR_NEGATIVE = 8;
/** a finding that this many diseases present (any edge) is a common sign for that rule */
export const COMMON_SIGN = 20;

/** findings too vague to be unexplained by anything ("abscesses", "abdominal swelling", "muscle tenderness") */
const VAGUE = /\b(pain|ache|aches|tenderness|swelling|abscess(es)?|lesions?|mass|masses|nodules?|discomfort|weakness|distension|distention|enlargement|abnormality|disorder|problems?)\b/i;
/**
 * Manifestations the Symptom Ontology files under several body systems: a disease with one
 * of them may well give another (bleeding signs in skin, nose, stool and menses; the
 * cholestatic signs of a liver disease; meningeal signs of a febrile or neurological one; the
 * vital signs of a febrile one).
 */
const GROUPS: readonly [string, RegExp][] = [
  ['bleeding', /bleed|h(a)?emorrh|petechia|purpura|ecchymos|epistaxis|h(a)?ematemesis|mel(a)?ena|h(a)?ematochezia|rectorrhagia|menorrhagia|metrorrhagia|h(a)?ematuria|h(a)?emoptysis|bruis/i],
  ['cholestatic', /jaundice|icter|dark urine|choluria|acholic|pale stool|clay.colou?red/i],
  ['neuro', /neck stiffness|stiff neck|nuchal|photophobia|meningism|kernig|brudzinski/i],
  // vital signs move together: a febrile illness may well give a fast pulse, fast breathing or low blood pressure
  ['vital', /tachycardia|tachypn|hypotension|low blood pressure|fever|pyrexia|hyperthermia|shock/i],
];
/** Symptom Ontology branches that are one system for this purpose: the nervous system and "neurological and physiological" (where fever sits) */
const NEURO_BRANCH = /nervous system|neurolog/i;

export class RuleOutFacts {
  constructor(
    readonly g: SynthGraph,
    readonly h: Hierarchies,
    readonly pic: PictureBuilder,
  ) {}

  /** enough strong findings that a missing one is informative */
  wellDescribed(d: number): boolean {
    return this.g.describedDegree(d, 'presents', true) >= WELL_DESCRIBED_PICTURE;
  }

  /** enough strong findings that "D does not account for F" is a claim the graph can stand behind (N14) */
  describedForNegative(d: number): boolean {
    return this.g.describedDegree(d, 'presents', true) >= WELL_DESCRIBED_FOR_NEGATIVE;
  }

  /**
   * May one say that disease D does not account for finding F? Only where D's picture is
   * described at length (`describedForNegative`), F is specific and not vague, neither D (its ancestors, subtypes) nor a broader
   * or narrower finding of F is linked by any edge, weak ones included, and none of D's own
   * findings lies in F's body system or manifestation group or shares a word with it.
   */
  cannotExplain(d: number, f: number): boolean {
    if (!this.wellDescribed(d)) return false;
    // a sign shared by many diseases (lymphadenopathy, dyspnoea, hepatosplenomegaly) is the one a short annotation leaves
    // out: its absence is informative only of a disease described at length (N14)
    if (!this.describedForNegative(d) && this.g.nb(f, 'presents', 'in').length >= COMMON_SIGN) return false;
    const kg = this.g.kg;
    const name = kg.nodeName(f);
    if (isNonspecificFinding(name) || VAGUE.test(name)) return false;
    if (containsName(kg.nodeName(d), name) || containsName(name, kg.nodeName(d))) return false;
    if (this.pic.mayPresent(d, f)) return false;
    const tags = this.systemsOf(f);
    const words = contentWords(name);
    const own = this.g.nb(d, 'presents', 'out');
    for (let i = 0; i < own.length; i++) {
      const o = own[i]!;
      if (this.systemsOf(o).some((t) => tags.includes(t)) || contentWords(kg.nodeName(o)).some((w) => words.includes(w))) return false;
    }
    return true;
  }

  /** the shown finding disease D cannot account for, the most specific (fewest diseases) first, or -1 */
  unexplained(d: number, shown: readonly number[]): number {
    if (!this.wellDescribed(d)) return -1;
    const ordered = shown.slice().sort((a, b) => this.g.nb(a, 'presents', 'in').length - this.g.nb(b, 'presents', 'in').length || a - b);
    return ordered.find((s) => this.cannotExplain(d, s)) ?? -1;
  }

  /** the same disease, an ancestor or descendant, or a sibling under a narrow parent (duodenal and gastric ulcer): what is said of one may well hold for the other */
  near(a: number, b: number): boolean {
    if (a === b || this.h.diseasesRelated(a, b)) return true;
    const pa = this.g.nb(a, 'is_a', 'out');
    const pb = new Set(this.g.nb(b, 'is_a', 'out'));
    for (let i = 0; i < pa.length; i++) {
      if (!pb.has(pa[i]!)) continue;
      const under = this.h.diseaseDescendants(pa[i]!);
      if (under && under.size <= NARROW_PARENT) return true;
    }
    return false;
  }

  /**
   * The disease organism q causes that rules it out for this picture: a strong cause, not near
   * the question's disease, whose well-described picture cannot account for a shown finding
   * (`prefer` first, then by degree); -1 if none. "Lacazia loboi causes lobomycosis" is no reason
   * beside an onchocerciasis picture when the graph cannot say lobomycosis lacks its findings.
   */
  causeRuledOut(q: number, subject: number, shown: readonly number[], prefer?: number): { disease: number; finding: number } | null {
    if (shown.length && this.organismMayFit(q, subject, shown) >= 0) return null;
    const list = this.byDegree(this.g.strongNb(q, 'caused_by', 'in'));
    if (prefer !== undefined && list.includes(prefer)) list.unshift(prefer);
    for (const dz of list) {
      if (this.near(dz, subject)) continue;
      const f = this.unexplained(dz, shown);
      if (f >= 0) return { disease: dz, finding: f };
    }
    return null;
  }

  /**
   * Every disease organism q causes (strong edges, of q and of its narrower taxa — Salmonella's
   * include typhoid fever, caused by S. enterica — with their subtypes), the question's own
   * disease left out.
   */
  causedSpectrum(q: number, subject: number): number[] {
    const out = new Set<number>();
    const add = (p: number) => {
      const caused = this.g.strongNb(p, 'caused_by', 'in');
      for (let i = 0; i < caused.length; i++) {
        const d = caused[i]!;
        out.add(d);
        for (const y of this.h.diseaseDescendants(d) ?? []) out.add(y);
      }
    };
    add(q);
    for (const p of this.narrowerTaxa(q)) add(p);
    out.delete(subject);
    return [...out];
  }

  /**
   * Review round 3, N8: an organism distractor is a second right answer when ANY disease it
   * causes may present the picture (Strongyloides beside an Ascaris picture of cough, wheeze and
   * abdominal cramps; Salmonella — typhoid fever — beside a Toxocara picture). It is ruled out
   * only when every disease it causes is well described and cannot account for a shown finding,
   * and together they leave at least two shown findings unaccounted for. Returns a disease that
   * may fit (or the organism's first disease when only their union covers the picture), or -1.
   */
  organismMayFit(q: number, subject: number, shown: readonly number[]): number {
    const list = this.causedSpectrum(q, subject);
    if (!list.length) return -1;
    const covered = new Set<number>();
    for (const d of list) {
      // a sibling of the question's disease (strongyloidiasis beside ascariasis) shares its picture as far as the graph can tell
      if (this.near(d, subject) || this.unexplained(d, shown) < 0) return d; // not well described, or accounts for every shown finding
      for (const f of shown) if (this.pic.mayPresent(d, f)) covered.add(f);
    }
    return shown.length - covered.size <= 1 ? list[0]! : -1;
  }

  private taxaByGenus: Map<string, number[]> | null = null;
  /** pathogens of q's genus whose taxonomic name starts with q's (S. enterica under Salmonella), q excluded */
  narrowerTaxa(q: number): number[] {
    if (!this.taxaByGenus) {
      this.taxaByGenus = new Map();
      const ti = this.g.typeIndexOf('pathogen');
      if (ti >= 0)
        for (let i = 0; i < this.g.n; i++) {
          if (this.g.kg.nodeTypeIndex(i) !== ti || !this.g.nb(i, 'caused_by', 'in').length) continue;
          const genus = this.h.genusOf(i);
          const list = this.taxaByGenus.get(genus);
          if (list) list.push(i);
          else this.taxaByGenus.set(genus, [i]);
        }
    }
    const name = this.h.taxonName(q).toLowerCase();
    return (this.taxaByGenus.get(this.h.genusOf(q)) ?? []).filter((p) => p !== q && this.h.taxonName(p).toLowerCase().startsWith(name));
  }

  /** a disease of which anatomy a is the site, in the sense `siteTeaches` allows, not near `subject` (`prefer` first); -1 if none */
  siteOfOther(a: number, subject: number, avoid: (d: number) => boolean, prefer?: number): number {
    const list = this.byDegree(this.g.strongNb(a, 'localizes', 'in'));
    if (prefer !== undefined && list.includes(prefer)) list.unshift(prefer);
    for (const dz of list) if (!avoid(dz) && !(subject >= 0 && this.near(dz, subject)) && this.siteTeaches(dz, a)) return dz;
    return -1;
  }

  /**
   * A strong indication of drug y that says what it is used for instead: not near the disease
   * in question (anakinra's rheumatoid arthritis is no contrast beside psoriatic arthritis, a
   * sibling under "arthritis" where drugs cross over) and not a broad grouping ("cancer");
   * `prefer` first; -1 if none.
   */
  indicationElsewhere(y: number, subject: number, prefer?: number): number {
    const list = Array.from(this.g.strongNb(y, 'treats', 'out'));
    if (prefer !== undefined && list.includes(prefer)) list.unshift(prefer);
    for (const d of list) if (!(subject >= 0 && this.near(d, subject)) && this.h.diseaseDescendants(d) !== null) return d;
    return -1;
  }

  /** a member class c holds soundly and strongly (not `not`), with a strong indication where there is one (`prefer` first); -1 if none */
  soundMemberOf(c: number, not: number, prefer?: number): number {
    const list = this.byDegree(this.g.strongNb(c, 'in_class', 'in'));
    if (prefer !== undefined && list.includes(prefer)) list.unshift(prefer);
    let any = -1;
    for (const m of list) {
      if (m === not || !this.soundMember(m, c)) continue;
      if (this.g.strongNb(m, 'treats', 'out').length) return m;
      if (any < 0) any = m;
    }
    return any;
  }

  private byDegree(list: ArrayLike<number>): number[] {
    const deg = this.g.kg.degree;
    return Array.from(list).sort((a, b) => deg[b]! - deg[a]! || a - b);
  }

  /** is anatomy A the site of disease D (its only strong site, up to containment)? */
  soleSite(d: number, a: number): boolean {
    if (!this.g.hasStrong(d, 'localizes', a)) return false;
    const sites = this.g.strongNb(d, 'localizes', 'out');
    for (let i = 0; i < sites.length; i++) if (sites[i] !== a && !this.h.anatomyOverlaps(a, sites[i]!)) return false;
    return true;
  }

  /**
   * "A is the site of D" teaches something: A is D's sole site, D's name does not restate A
   * ("nose disease"; also under A's display name: "urinary system disease" for Uberon's "renal
   * system", review round 7), and D is no grouping of many diseases.
   */
  siteTeaches(d: number, a: number): boolean {
    if (!this.soleSite(d, a)) return false;
    const dn = this.g.kg.nodeName(d);
    const an = this.g.kg.nodeName(a);
    if (sharedKeyWord(dn, an) || sharedKeyWord(dn, anatomyPhrase(an))) return false;
    const under = this.h.diseaseDescendants(d);
    return under !== null && under.size <= MAX_SITE_SUBTYPES;
  }

  /**
   * Is "drug m belongs to class c" sound enough to teach? Pharmacologic classes from MeSH and the
   * FDA's classes are; a ChEBI role only when another class system names the same class for the
   * drug: ChEBI roles include "losartan: endothelin receptor antagonist", "troglitazone:
   * anticoagulant", "cisplatin: photosensitizing agent".
   */
  soundMember(m: number, c: number): boolean {
    return !/^CHEBI:/i.test(this.g.kg.nodeId(c)) || this.confirmedMember(m, c);
  }

  /** does another class system (another id prefix) put drug m in a class of the same name as c? */
  confirmedMember(m: number, c: number): boolean {
    const kg = this.g.kg;
    const prefix = kg.nodeId(c).split(':')[0]!.toUpperCase();
    const key = classNameKey(kg.nodeName(c));
    for (const other of this.g.nb(m, 'in_class', 'out')) {
      if (other === c || kg.nodeId(other).split(':')[0]!.toUpperCase() === prefix) continue;
      if (classNameKey(kg.nodeName(other)) === key) return true;
    }
    return false;
  }

  /** the body system (Symptom Ontology branch) and manifestation groups of a finding */
  systemsOf(f: number): string[] {
    const out: string[] = [];
    const b = this.branchOf(f);
    if (b >= 0) out.push(NEURO_BRANCH.test(this.g.kg.nodeName(b)) ? 'neuro' : `branch:${b}`);
    const name = this.g.kg.nodeName(f);
    for (const [tag, re] of GROUPS) if (re.test(name)) out.push(tag);
    return out;
  }

  private readonly branches = new Map<number, number>();

  /** the finding's top branch of the Symptom Ontology (the body system under the root), or -1 */
  branchOf(f: number): number {
    let b = this.branches.get(f);
    if (b === undefined) {
      b = -1;
      let x = f;
      const seen = new Set<number>([f]);
      for (let i = 0; i < 12; i++) {
        const up = this.g.nb(x, 'symptom_is_a', 'out');
        if (!up.length) break;
        const parent = up[0]!;
        if (seen.has(parent)) break;
        seen.add(parent);
        // x is a top branch when its parent has no parent (the root)
        if (!this.g.nb(parent, 'symptom_is_a', 'out').length) {
          b = x;
          break;
        }
        x = parent;
      }
      this.branches.set(f, b);
    }
    return b;
  }
}

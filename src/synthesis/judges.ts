/**
 * Open-world-safe distractors. A KG is incomplete: a missing edge never proves an option
 * wrong. A candidate is accepted only when
 *  - nothing in the KG, on any edge however weak, suggests it is right: it is not the answer's
 *    relative (is-a, part-of, taxonomy, shared class members, gene family), it does not hold
 *    for the subject's parent or subtypes, it shares no specific class or target with any
 *    known answer;
 *  - the KG gives a positive reason it is wrong: its own facts point elsewhere (it treats,
 *    causes, is the site of another disease; it is a member of a disjoint class) or, for a
 *    differential diagnosis, it has a finding the picture lacks while lacking one the picture
 *    has, and it is well annotated enough in that relation for the absence to mean something.
 * Plausibility comes from where candidates are drawn: the answer's neighbourhood (diseases
 * sharing the findings, resembling or sibling diseases, and what they lead to).
 */
import { knownHarm } from './known-harm';
import { RuleOutFacts } from './rule-out';
import { classKind, isActionNamed } from './canonical-key';
import type { ContradictingFact, DistractorReason, Triple } from './record';
import type { SynthGraph } from './kg-view';
import { BROAD_CLASS, geneFamily, type Hierarchies } from './relatedness';
import type { PictureBuilder } from './picture';
import { capitaliseFirst as capital, contentWords, inSentence, wordStem } from './names';
import { RICH_FINDINGS, type Differentials } from './differential';
import { anatomyPhrase, findingPhrase, isAboveGenus, isUnnaturalAnatomy, organSystems } from './lexicon';


/** picture-independent verdicts kept per subject: a rejection, or what the picture-dependent part needs */
type DifferentialBase = { reject: string } | { own: number; anyFindings: number };
type DrugBase = { reject: string } | { treated: number[]; indications: number };
type ClassBase = { reject: string } | { member: number };
type GeneBase = { reject: string } | { other: number };
type PathogenBase = { reject: string } | { caused: number[] };

/** a parent with more children than this is a grouping ("bacterial infectious disease"): its children are not managed alike */
export const SIBLING_PARENT = 12;
/** An absence means something only in an option annotated at least this much in the relation. */
export const WELL_ANNOTATED = { findings: 5, strongFindings: 3, indications: 2, classMembers: 3, pathwayGenes: 3 } as const;

export interface Candidate {
  node: number;
  /** 0 far … 1 same neighbourhood */
  closeness: number;
  /** the neighbour it was reached through (a competing disease, a drug) */
  origin?: number;
}

export interface Verdict {
  reasons: DistractorReason[];
  /** the discriminating fact (kept as `contradicted_by`) */
  primary: ContradictingFact;
  via?: Triple[];
  closeness: number;
  /** the diseases the option points to (a differential itself, the diseases a drug treats or an organism causes): none may hold the picture's discriminating finding */
  diseases?: number[];
}

/** What the subject already has, by any edge: the options that would be (or might be) right. */
export class Known {
  private cache = new Map<string, Set<number>>();

  constructor(
    readonly g: SynthGraph,
    readonly h: Hierarchies,
    readonly subject: number,
    /** the subject disease with its ancestors and descendants (disease subjects) */
    readonly family: ReadonlySet<number> | null,
  ) {}

  private readonly bases = new Map<string, Map<number, unknown>>();
  /** a rule's picture-independent verdict on an option, kept per subject (undefined: not judged yet) */
  lookup<T>(rule: string, x: number): T | undefined {
    return this.bases.get(rule)?.get(x) as T | undefined;
  }
  keep<T>(rule: string, x: number, v: T): T {
    let m = this.bases.get(rule);
    if (!m) this.bases.set(rule, (m = new Map()));
    m.set(x, v);
    return v;
  }

  private words: Set<string> | null = null;
  /** content words of the disease's own texts (names, synonyms, findings), built once */
  memoWords(f: () => Set<string>): Set<string> {
    return (this.words ??= f());
  }

  private memo(key: string, f: (k: Known) => Set<number>): Set<number> {
    let v = this.cache.get(key);
    if (!v) this.cache.set(key, (v = f(this)));
    return v;
  }

  /** drugs with any treats / palliates edge to the disease's family */
  treaters(): Set<number> {
    return this.memo('treaters', computeTreaters);
  }

  /** drugs with a strong treats edge to the disease's family */
  strongTreaters(): Set<number> {
    return this.memo('strongTreaters', (k) => {
      const out = new Set<number>();
      for (const d of k.family ?? [k.subject]) for (const x of k.g.strongNb(d, 'treats', 'in')) out.add(x);
      return out;
    });
  }

  /** specific classes (≤ BROAD_CLASS members) of the treaters */
  treaterClasses(): Set<number> {
    return this.memo('treaterClasses', (k) => {
      const out = new Set<number>();
      for (const drug of k.treaters()) for (const c of k.g.nb(drug, 'in_class', 'out')) if (k.h.classSize(c) <= BROAD_CLASS) out.add(c);
      return out;
    });
  }

  treaterTargets(): Set<number> {
    return this.memo('treaterTargets', (k) => {
      const out = new Set<number>();
      for (const drug of k.treaters()) for (const t of k.g.nb(drug, 'targets', 'out')) out.add(t);
      return out;
    });
  }

  /** every drug in a specific class of a treatment: a class with any of them shares a member with a treatment class */
  treaterClassMembers(): Set<number> {
    return this.memo('treaterClassMembers', (k) => {
      const out = new Set<number>();
      for (const c of k.treaterClasses()) for (const m of k.g.nb(c, 'in_class', 'in')) out.add(m);
      return out;
    });
  }

  /** every drug sharing a class with the drug subject (its classes of any size: the class test is about membership, not mechanism) */
  subjectClassMembers(specificOnly = false): Set<number> {
    return this.memo(specificOnly ? 'subjectClassMembers:specific' : 'subjectClassMembers:any', (k) => {
      const out = new Set<number>();
      for (const c of k.ofSubject('in_class')) if (!specificOnly || k.h.classSize(c) <= BROAD_CLASS) for (const m of k.g.nb(c, 'in_class', 'in')) out.add(m);
      return out;
    });
  }

  private readonly familyEdges = new Map<string, Set<number>>();
  /** the disease family's own edges of a relation (any support) */
  ofFamily(role: string): Set<number> {
    let v = this.familyEdges.get(role);
    if (!v) {
      v = new Set<number>();
      for (const d of this.family ?? [this.subject]) for (const x of this.g.nb(d, role, 'out')) v.add(x);
      this.familyEdges.set(role, v);
    }
    return v;
  }

  private readonly subjectEdges = new Map<string, Set<number>>();
  /** the drug subject's own edges of a relation (any support) */
  ofSubject(role: string, dir: 'out' | 'in' = 'out'): Set<number> {
    const m = dir === 'out' ? this.subjectEdges : this.subjectEdgesIn;
    let v = m.get(role);
    if (!v) m.set(role, (v = new Set(this.g.nb(this.subject, role, dir))));
    return v;
  }
  private readonly subjectEdgesIn = new Map<string, Set<number>>();
}

function computeTreaters(k: Known): Set<number> {
  const out = new Set<number>();
  for (const d of k.family ?? [k.subject]) {
    for (const role of ['treats', 'palliates']) {
      const list = k.g.nb(d, role, 'in');
      for (let i = 0; i < list.length; i++) out.add(list[i]!);
    }
  }
  return out;
}

export class Judges {
  /** candidates turned down, by rule (reported with the run: why options were not accepted) */
  readonly rejected: Record<string, number> = {};

  private no(rule: string): null {
    this.rejected[rule] = (this.rejected[rule] ?? 0) + 1;
    return null;
  }

  /** the rule the teacher rules options out by (rule-out.ts): a distractor is kept only with a reason it can say */
  readonly ro: RuleOutFacts;

  constructor(
    readonly g: SynthGraph,
    readonly h: Hierarchies,
    readonly pic: PictureBuilder,
    readonly diff: Differentials,
  ) {
    this.ro = new RuleOutFacts(g, h, pic);
  }

  /**
   * The cheap part of each rule (set lookups only), run over the whole candidate list before
   * the weighted draw so that the draw spends its budget on candidates that can pass.
   */
  quick(type: string, known: Known, key: number, c: Candidate): boolean {
    const g = this.g;
    const x = c.node;
    switch (type) {
      case 'diagnosis':
        return !known.family?.has(x) && !this.h.diseasesRelated(x, key);
      case 'treatment':
      case 'two_hop_treatment': {
        if (known.treaters().has(x)) return false;
        const kc = known.treaterClasses();
        const classes = g.nb(x, 'in_class', 'out');
        for (let i = 0; i < classes.length; i++) if (kc.has(classes[i]!)) return false;
        const kt = known.treaterTargets();
        const targets = g.nb(x, 'targets', 'out');
        for (let i = 0; i < targets.length; i++) if (kt.has(targets[i]!)) return false;
        return true;
      }
      case 'drug_class':
        return this.sameClassSystem(x, key) && !known.ofSubject('in_class').has(x) && !anyIn(g.nb(x, 'in_class', 'in'), known.subjectClassMembers(true));
      case 'presentation_class':
        return g.idSystemOf(x) === g.idSystemOf(key) && this.h.classSize(x) <= BROAD_CLASS && !anyIn(g.nb(x, 'in_class', 'in'), known.treaterClassMembers()) && !anyIn(g.nb(x, 'in_class', 'in'), known.treaters());
      case 'mechanism':
        return !known.ofSubject('targets').has(x) && !anyIn(g.nb(x, 'targets', 'in'), known.subjectClassMembers(true));
      case 'localisation':
        return !known.ofFamily('localizes').has(x);
      case 'causative_agent':
        return !known.ofFamily('caused_by').has(x);
      default:
        return true;
    }
  }

  private label(role: string): string {
    const r = this.g.rel(role)!;
    const info = this.g.kg.header.edgeTypes[r.index]!;
    return r.reversed ? info.inverseLabel : info.label;
  }

  private name(x: number): string {
    const raw = this.g.kg.nodeName(x);
    return inSentence(this.g.roleOf(x) === 'symptom' ? findingPhrase(raw) : raw);
  }

  fact(head: number, role: string, tail: number, holds: boolean): ContradictingFact {
    return Object.assign(this.g.triple(head, role, tail), { holds });
  }

  /** a reason with its sentence */
  reason(kind: DistractorReason['kind'], head: number, role: string, tail: number, holds: boolean, extra: { annotated?: number; text?: string } = {}): DistractorReason {
    const text = extra.text ?? (holds ? `${capital(this.name(head))} ${this.label(role)} ${this.name(tail)}.` : `The KG has no "${this.name(head)} ${this.label(role)} ${this.name(tail)}".`);
    return { kind, fact: this.fact(head, role, tail, holds), ...(extra.annotated !== undefined ? { annotated: extra.annotated } : {}), text };
  }

  /** a strong edge from x along role to something outside `avoid` (the positive "points elsewhere" fact), preferring `prefer` */
  private elsewhere(x: number, role: string, dir: 'out' | 'in', avoid: (y: number) => boolean, prefer?: number): number {
    const list = this.g.strongNb(x, role, dir);
    if (prefer !== undefined && list.includes(prefer) && !avoid(prefer)) return prefer;
    for (let i = 0; i < list.length; i++) if (!avoid(list[i]!)) return list[i]!;
    return -1;
  }

  /**
   * The first of these diseases (outside the subject's family) that competes with the
   * subject for this picture (differential.ts: shares two shown findings open-world, or is in
   * its clinical group), or -1. An option right for such a disease might be right here,
   * whatever edge the KG lacks.
   */
  private competitor(known: Known, diseases: Iterable<number>, shown: readonly number[], cap = 60): number {
    let k = 0;
    for (const d of diseases) {
      if (known.family?.has(d)) continue;
      if (++k > cap) break;
      if (this.diff.competes(d, known.subject, shown)) return d;
    }
    return -1;
  }

  /** the diseases (outside the family, at most `cap`) a list holds, or null when one is in the subject's clinical group (checked once per subject) */
  private outsideGroup(known: Known, diseases: Iterable<number>, cap: number): number[] | null {
    const out: number[] = [];
    for (const d of diseases) {
      if (known.family?.has(d)) continue;
      if (out.length >= cap) break;
      if (this.diff.sameGroupCached(d, known.subject)) return null;
      out.push(d);
    }
    return out;
  }

  /** one of these diseases fits the picture (picture-dependent part of competes) */
  private fitsPicture(diseases: readonly number[], shown: readonly number[], systems?: readonly string[]): boolean {
    if (!shown.length) return false;
    for (const d of diseases) if (this.diff.competesWithPicture(d, shown, false, systems)) return true;
    return false;
  }

  private outsideFamily(known: Known): (d: number) => boolean {
    return (d) => known.family?.has(d) ?? d === known.subject;
  }

  // ---- diagnosis: a differential that shares part of the picture ------------------------------

  differential(known: Known, key: number, shown: readonly number[], c: Candidate, systems?: readonly string[]): Verdict | null {
    const g = this.g;
    const x = c.node;
    // the picture-independent part, once per subject and option
    const base = known.lookup<DifferentialBase>('differential', x) ?? known.keep('differential', x, ((): DifferentialBase => {
      if (known.family?.has(x) || this.h.diseasesRelated(x, key)) return { reject: 'relative_of_answer' };
      const desc = this.h.diseaseDescendants(x);
      if (!desc || desc.size > 60) return { reject: 'broad_grouping' }; // a grouping ("neuromuscular disease") can be right by a subtype
      const strongFindings = g.strongNb(x, 'presents', 'out');
      // how well described, without what a definition alone names (its silence is no evidence)
      const anyFindings = g.describedDegree(x, 'presents', false);
      if (anyFindings < WELL_ANNOTATED.findings && g.describedDegree(x, 'presents', true) < WELL_ANNOTATED.strongFindings) return { reject: 'not_well_annotated' };
      // open-world: a differential of the key's clinical group competes whatever its findings
      if (this.diff.sameGroupCached(x, key)) return { reject: 'same_clinical_group' };
      // caused by the same or a related organism (Sennetsu fever beside ehrlichiosis): one disease family
      const keyCauses = g.nb(key, 'caused_by', 'out');
      if (keyCauses.length) for (const q of g.nb(x, 'caused_by', 'out')) for (const p of keyCauses) if (this.h.pathogensRelated(p, q)) return { reject: 'same_or_related_agent' };
      // a finding of its own that the answer does not have: the discriminating feature (a specific one when there is one)
      let own = -1;
      let fallback = -1;
      for (let i = 0; i < strongFindings.length; i++) {
        const f = strongFindings[i]!;
        if (g.findingFlags(f) & 1 || this.pic.mayPresent(key, f)) continue;
        if (this.diff.isSpecific(f)) {
          own = f;
          break;
        }
        if (fallback < 0) fallback = f;
      }
      if (own < 0) own = fallback;
      if (own < 0) return { reject: 'no_discriminating_finding' };
      return { own, anyFindings };
    })());
    if ('reject' in base) return this.no(base.reject);
    // open-world against this picture: two shown findings it may present, or any organ system of the picture
    const why = this.diff.competesWithPicture(x, shown, true, systems);
    if (why) return this.no(why === 'shares_two_findings' ? 'competing_differential' : why);
    const { own, anyFindings } = base;
    if (shown.some((s) => this.pic.family(s).has(own))) return this.no('no_discriminating_finding');
    // the shared rule (rule-out.ts): a shown finding its well-described picture cannot account for, the reason a
    // chain of thought gives; "presents with something the picture lacks" alone is no reason the teacher can say
    const unexplained = shown.length ? this.ro.unexplained(x, shown) : -1;
    if (shown.length && unexplained < 0) return this.no('no_teachable_reason');
    const lacking = [...(unexplained >= 0 ? [unexplained] : []), ...shown.filter((f) => f !== unexplained && !this.diff.mayPresentWide(x, f))];
    const reasons: DistractorReason[] = [
      this.reason('points_elsewhere', x, 'presents', own, true, { text: `${capital(this.name(x))} presents with ${this.name(own)}, which the picture does not include and ${this.name(key)} is not known for.` }),
      {
        kind: 'separate',
        fact: this.fact(x, 'presents', lacking[0] ?? shown[0]!, false),
        text: `${capital(this.name(x))} is not a disease of the same group as ${this.name(key)} and shares at most one of the shown findings.`,
      },
    ];
    // "lacks" only where the option is annotated richly enough for a missing finding to mean something
    if (anyFindings >= RICH_FINDINGS && lacking.length) {
      const f0 = lacking[0]!;
      reasons.push(
        this.reason('lacks', x, 'presents', f0, false, {
          annotated: anyFindings,
          text: `${capital(this.name(x))} is not known to present with ${this.name(f0)} (the KG lists ${anyFindings} findings of it).`,
        }),
      );
    }
    return { reasons, primary: reasons[0]!.fact, closeness: c.closeness, diseases: [x] };
  }

  // ---- drugs for a disease (treatment, two-hop treatment) --------------------------------------

  drugForDisease(known: Known, c: Candidate, shown: readonly number[] = [], systems?: readonly string[]): Verdict | null {
    const g = this.g;
    const y = c.node;
    const rule = shown.length ? 'drugForDisease:picture' : 'drugForDisease';
    const base = known.lookup<DrugBase>(rule, y) ?? known.keep(rule, y, ((): DrugBase => {
      if (known.treaters().has(y)) return { reject: 'treats_disease_or_relative' };
      // a sibling's treatment (review round 6: amoxicillin, for duodenal ulcer, beside a gastric ulcer): the two are
      // managed alike, so a drug for one is a second right answer for the other
      if (this.treatsSibling(y, known.subject)) return { reject: 'treats_a_sibling_disease' };
      if (g.nb(y, 'not_indicated_for', 'out').some((d) => known.family?.has(d))) return { reject: 'reviewed_for_disease' }; // reviewed for this disease: not a clean distractor
      for (const f of g.strongNb(known.subject, 'presents', 'out')) if (g.has(y, 'treats_symptom', f)) return { reject: 'relieves_a_finding' };
      const classes = g.nb(y, 'in_class', 'out');
      const kc = known.treaterClasses();
      for (let i = 0; i < classes.length; i++) if (kc.has(classes[i]!)) return { reject: 'same_class_as_known_answer' };
      const kt = known.treaterTargets();
      const targets = g.nb(y, 'targets', 'out');
      for (let i = 0; i < targets.length; i++) if (kt.has(targets[i]!)) return { reject: 'same_target_as_known_answer' };
      const indications = g.nb(y, 'treats', 'out').length;
      if (indications < WELL_ANNOTATED.indications) return { reject: 'not_well_annotated' };
      if (this.elsewhere(y, 'treats', 'out', this.outsideFamily(known)) < 0) return { reject: 'no_indication_elsewhere' };
      // a picture item: the drug must treat nothing of the hidden disease's clinical group (a named item names the disease)
      const all = [...g.nb(y, 'treats', 'out'), ...g.nb(y, 'palliates', 'out')];
      if (!shown.length) return { treated: all.slice(0, 60), indications };
      const treated = this.outsideGroup(known, all, 60);
      if (!treated) return { reject: 'treats_a_disease_that_fits_the_picture' };
      return { treated, indications };
    })());
    if ('reject' in base) return this.no(base.reject);
    if (this.fitsPicture(base.treated, shown, systems)) return this.no('treats_a_disease_that_fits_the_picture');
    // the shared rule (rule-out.ts): an indication the teacher can give as "used to treat E instead", not a sibling of the disease
    const e = this.ro.indicationElsewhere(y, known.subject, c.origin);
    if (e < 0 || this.outsideFamily(known)(e)) return this.no('no_teachable_reason');
    const reasons = [
      this.reason('points_elsewhere', y, 'treats', e, true),
      this.reason('lacks', y, 'treats', known.subject, false, { annotated: base.indications }),
      {
        kind: 'separate' as const,
        fact: this.fact(y, 'treats', known.subject, false),
        text: `${capital(this.name(y))} shares no pharmacologic class and no target with any drug the KG lists for ${this.name(known.subject)} or its subtypes.`,
      },
    ];
    return { reasons, primary: reasons[1]!.fact, via: [g.triple(y, 'treats', e)], closeness: c.closeness, diseases: base.treated };
  }

  /** does drug y treat (any edge) a sibling of disease d under a narrow parent (one with at most SIBLING_PARENT children)? */
  treatsSibling(y: number, d: number): boolean {
    const g = this.g;
    for (const p of g.nb(d, 'is_a', 'out')) {
      const children = g.nb(p, 'is_a', 'in');
      if (children.length > SIBLING_PARENT) continue;
      for (const sib of children) if (sib !== d && g.has(y, 'treats', sib)) return true;
    }
    return false;
  }

  // ---- EXCEPT items: the wrong options are drugs that do treat the disease ---------------------

  /**
   * A drug that does treat the disease, as firmly as a key must (an EXCEPT item's wrong
   * options are statements of fact): a strong edge (edge-trust.ts: an agreed curated row or
   * two independent sources), not a prevention or risk-reduction indication (raloxifene and
   * breast cancer, when the stem says "treat"), and not an indication that is really for a
   * complication or comorbidity of the disease (irbesartan: diabetic nephropathy; orlistat:
   * obesity, for type 2 diabetes) unless a drug label states it for the disease itself.
   */
  treaterOfDisease(known: Known, key: number, c: Candidate): Verdict | null {
    const g = this.g;
    const y = c.node;
    const d = known.subject;
    if (knownHarm(g.kg, y, d)) return this.no('known_harm');
    if (y === key || !g.hasStrong(y, 'treats', d)) return this.no('not_a_listed_treatment');
    if (g.has(y, 'not_indicated_for', d)) return this.no('also_reviewed_not_indicated');
    if (this.preventionOnly(y, known)) return this.no('prevention_not_treatment');
    if (this.complicationIndication(y, known) >= 0) return this.no('indication_is_for_a_complication');
    if (this.aloneInItsClasses(y, known)) return this.no('no_drug_of_its_class_treats_it');
    const r = this.reason('conflicts', y, 'treats', d, true);
    return { reasons: [r], primary: r.fact, closeness: c.closeness };
  }

  /**
   * No other drug of any of the drug's specific classes treats the disease (atorvastatin,
   * the only HMG-CoA reductase inhibitor "for hypertension": a combination product's row):
   * an indication out of character for its class. Drugs whose classes are all singletons
   * (or unknown) cannot be judged so and pass.
   */
  aloneInItsClasses(y: number, known: Known): boolean {
    const g = this.g;
    // peers count by strong edges only (a weak row is as suspect as the one it would vouch for)
    const treaters = known.strongTreaters();
    let judged = false;
    for (const c of g.nb(y, 'in_class', 'out')) {
      const size = this.h.classSize(c);
      if (size < 2 || size > BROAD_CLASS) continue;
      judged = true;
      const members = g.nb(c, 'in_class', 'in');
      for (let i = 0; i < members.length; i++) if (members[i] !== y && treaters.has(members[i]!)) return false;
    }
    return judged;
  }

  /** does a drug label (DrugCentral, LabeledIn expert rows) state the drug for the disease or a subtype? */
  labelTreats(y: number, known: Known): boolean {
    const labels = this.g.datasetBit('drugcentral') | this.g.datasetBit('labeledin');
    if (!labels) return true; // a graph without label sources: nothing to tell a label row from another
    for (const d of known.family ?? [known.subject]) if (this.g.mask(y, 'treats', d) & labels) return true;
    return false;
  }

  /** the drug's only indications for the disease or a relative are prevention or risk reduction */
  preventionOnly(y: number, known: Known): boolean {
    const bit = this.g.datasetBit('drugcentral_prevention');
    if (!bit) return false;
    let prevention = false;
    for (const d of known.family ?? [known.subject]) if (this.g.mask(y, 'treats', d) & bit) prevention = true;
    return prevention && !this.labelTreats(y, known);
  }

  /**
   * A disease the drug treats that is a complication or comorbidity of the subject (a
   * MEDLINE "resembles" pair, or named for it: "diabetic nephropathy" for diabetes) while no
   * drug label states the drug for the subject itself: the curated row most likely meant the
   * complication. Returns that disease, or -1.
   */
  complicationIndication(y: number, known: Known): number {
    if (this.labelTreats(y, known)) return -1;
    const g = this.g;
    const d = known.subject;
    const stems = contentWords(g.kg.nodeName(d)).map((w) => w.slice(0, 5)).filter((w) => w.length === 5);
    for (const role of ['treats', 'palliates']) {
      for (const x of g.nb(y, role, 'out')) {
        if (known.family?.has(x) || x === d) continue;
        if (g.has(x, 'resembles', d) || g.has(d, 'resembles', x)) return x;
        if (stems.length && contentWords(g.kg.nodeName(x)).some((w) => stems.includes(w.slice(0, 5)))) return x;
      }
    }
    return -1;
  }

  // ---- classes ---------------------------------------------------------------------------------

  /** drug_class: a class the drug is not in, disjoint from all its classes, of the same class system as the key */
  classForDrug(known: Known, key: number, c: Candidate): Verdict | null {
    const g = this.g;
    const x = known.subject;
    const cl = c.node;
    if (!this.sameClassSystem(cl, key)) return this.no('other_class_system');
    const mine = known.ofSubject('in_class');
    // the drug-level part, once per drug and class
    const base = known.lookup<ClassBase>('classForDrug', cl) ?? known.keep('classForDrug', cl, ((): ClassBase => {
      if (isMechanismPhrase(g.kg.nodeName(cl))) return { reject: 'mechanism_phrase_not_a_class' };
      if (mine.has(cl)) return { reject: 'is_a_class_of_drug' };
      if (this.h.classSize(cl) < WELL_ANNOTATED.classMembers) return { reject: 'not_well_annotated' };
      // shares a member with one of the drug's specific classes: it may hold the drug too (a class of 400 "enzyme
      // inhibitors" says nothing of the kind)
      if (anyIn(g.nb(cl, 'in_class', 'in'), known.subjectClassMembers(true))) return { reject: 'shares_members_with_drug_class' };
      if (this.restatesAny(cl, mine)) return { reject: 'same_class_in_another_system' };
      // a class named for a use ("Antirheumatic agent") takes in every drug used so: if one of its members is used
      // for something the drug is used for, the drug may well belong to it, annotated or not (anakinra, rheumatoid arthritis)
      // a class named for an effect or a use beside a drug whose uses the graph does not hold: nothing says the drug
      // is not one (review round 4, N16)
      // and one that a member of the class is used for, too: "Appetite depressants" beside rimonabant, which treats obesity
      const useClass = USE_CLASS.test(g.kg.nodeName(cl)) || !isActionNamed(g.kg.nodeName(cl));
      if (useClass && g.nb(x, 'treats', 'out').length === 0) return { reject: 'use_class_unknown_uses' };
      if (useClass) {
        const uses = new Set(g.nb(x, 'treats', 'out'));
        const members = g.nb(cl, 'in_class', 'in');
        for (let i = 0; i < members.length; i++) for (const d of g.nb(members[i]!, 'treats', 'out')) if (uses.has(d)) return { reject: 'use_class_shares_an_indication' };
      }
      const member = this.memberTreating(cl, () => false);
      if (member < 0) return { reject: 'no_member_with_indication' };
      // the shared rule (rule-out.ts): a member the class holds soundly (a ChEBI role another system confirms), the
      // member the teacher names ("mucolytics include acetylcysteine")
      const sound = this.ro.soundMemberOf(cl, x, member);
      if (sound < 0) return { reject: 'no_teachable_reason' };
      return { member: sound };
    })());
    if ('reject' in base) return this.no(base.reject);
    if (this.restatesAny(cl, [key])) return this.no('same_class_in_another_system');
    const member = base.member;
    const reasons = [
      this.reason('points_elsewhere', member, 'in_class', cl, true, { text: `${capital(this.name(cl))} includes ${this.name(member)}; no drug in the KG is in both ${this.name(cl)} and ${this.name(key)}.` }),
      this.reason('lacks', x, 'in_class', cl, false, { annotated: mine.size }),
    ];
    return { reasons, primary: reasons[1]!.fact, via: [g.triple(member, 'in_class', cl)], closeness: c.closeness };
  }

  /** presentation_class: a class none of whose members treats the disease, disjoint from every class of its treatments */
  classForDisease(known: Known, key: number, c: Candidate, shown: readonly number[] = []): Verdict | null {
    const g = this.g;
    const cl = c.node;
    if (g.idSystemOf(cl) !== g.idSystemOf(key)) return this.no('other_class_system');
    if (isMechanismPhrase(g.kg.nodeName(cl))) return this.no('mechanism_phrase_not_a_class');
    const size = this.h.classSize(cl);
    if (size < WELL_ANNOTATED.classMembers || size > BROAD_CLASS) return this.no('too_small_or_broad');
    const treaters = known.treaters();
    const members = g.nb(cl, 'in_class', 'in');
    for (let i = 0; i < members.length; i++) if (treaters.has(members[i]!)) return this.no('member_treats_disease_or_relative');
    // a class whose drugs relieve one of the disease's findings (antipyretics for a fever) is used for it too
    for (const f of g.strongNb(known.subject, 'presents', 'out')) for (let i = 0; i < members.length; i++) if (g.has(members[i]!, 'treats_symptom', f)) return this.no('member_relieves_a_finding');
    if (anyIn(members, known.treaterClassMembers())) return this.no('shares_members_with_treatment_class');
    if (this.restatesAny(cl, known.treaterClasses()) || this.restatesAny(cl, [key])) return this.no('same_class_in_another_system');
    const outside = this.outsideFamily(known);
    const member = this.memberTreating(cl, outside, c.origin);
    if (member < 0) return this.no('no_member_with_indication');
    const diseases: number[] = [];
    for (let i = 0; i < Math.min(members.length, 30); i++) for (const d of g.nb(members[i]!, 'treats', 'out').slice(0, 10)) diseases.push(d);
    if (shown.length && this.competitor(known, diseases, shown, 120) >= 0) return this.no('member_treats_a_disease_that_fits_the_picture');
    const e = this.elsewhere(member, 'treats', 'out', outside);
    const reasons = [
      this.reason('points_elsewhere', member, 'treats', e, true, { text: `${capital(this.name(cl))} includes ${this.name(member)}, which treats ${this.name(e)}; no drug of this class is listed for ${this.name(known.subject)}.` }),
      this.reason('separate', member, 'in_class', cl, true, { text: `No drug in the KG belongs both to ${this.name(cl)} and to a class of the drugs used for ${this.name(known.subject)}.` }),
    ];
    return { reasons, primary: this.fact(members[0]!, 'treats', known.subject, false), via: [g.triple(member, 'treats', e), g.triple(member, 'in_class', cl)], closeness: c.closeness, diseases: diseases.slice(0, 120) };
  }

  /** one class system and kind (an FDA established class beside FDA established classes, not beside mechanism classes: canonical-key.ts) */
  private sameClassSystem(a: number, b: number): boolean {
    const kg = this.g.kg;
    return this.g.idSystemOf(a) === this.g.idSystemOf(b) && classKind(kg.nodeId(a), kg.nodeName(a)) === classKind(kg.nodeId(b), kg.nodeName(b));
  }

  /** does the class restate, in another class system, one of these classes ("Antirheumatic Agents" / "Antirheumatic agent")? */
  private restatesAny(cl: number, classes: Iterable<number>): boolean {
    const key = classNameKey(this.g.kg.nodeName(cl));
    for (const c of classes) if (c !== cl && classNameKey(this.g.kg.nodeName(c)) === key) return true;
    return false;
  }

  /** a member of the class with a strong indication outside `avoid`, preferring `prefer` */
  private memberTreating(cl: number, avoid: (d: number) => boolean, prefer?: number): number {
    const members = this.g.nb(cl, 'in_class', 'in');
    if (prefer !== undefined && members.includes(prefer) && this.elsewhere(prefer, 'treats', 'out', avoid) >= 0) return prefer;
    for (let i = 0; i < members.length; i++) if (this.elsewhere(members[i]!, 'treats', 'out', avoid) >= 0) return members[i]!;
    return -1;
  }

  // ---- genes, sites, organisms, pathways ---------------------------------------------------------

  geneForDrug(known: Known, c: Candidate): Verdict | null {
    const g = this.g;
    const x = known.subject;
    const gene = c.node;
    const mine = known.ofSubject('targets');
    const base = known.lookup<GeneBase>('geneForDrug', gene) ?? known.keep('geneForDrug', gene, ((): GeneBase => {
      if (mine.has(gene)) return { reject: 'is_a_target_of_drug' };
      for (const t of mine) if (this.h.genesRelated(t, gene)) return { reject: 'gene_family_or_cotargeted' };
      const peers = known.subjectClassMembers(true);
      const byDrugs = g.nb(gene, 'targets', 'in');
      let other = -1;
      for (let i = 0; i < byDrugs.length; i++) {
        const z = byDrugs[i]!;
        if (peers.has(z)) return { reject: 'targeted_by_same_class' }; // a drug of the same class acts on it
        if (other < 0 && z !== x && g.hasStrong(z, 'targets', gene)) other = z;
      }
      if (other < 0) return { reject: 'no_other_drug_targets_it' };
      return { other };
    })());
    if ('reject' in base) return this.no(base.reject);
    const other = base.other;
    const reasons = [
      this.reason('points_elsewhere', other, 'targets', gene, true, { text: `${capital(this.name(gene))} is a target of ${this.name(other)}, a drug of another class.` }),
      this.reason('lacks', x, 'targets', gene, false, { annotated: mine.size }),
    ];
    return { reasons, primary: reasons[1]!.fact, closeness: c.closeness };
  }

  siteForDisease(known: Known, key: number, concrete: (a: number) => boolean, c: Candidate): Verdict | null {
    const g = this.g;
    const b = c.node;
    const sites = known.ofFamily('localizes');
    const reject = known.lookup<string>('siteForDisease', b) ?? known.keep('siteForDisease', b, ((): string => {
      if (!concrete(b) || isUnnaturalAnatomy(g.kg.nodeName(b))) return 'not_a_named_structure';
      for (const s of sites) if (this.h.anatomyOverlaps(s, b)) return 'overlaps_a_known_site';
      // one organ system with a site of the disease (trachea, pleura beside the lung of granulomatosis with polyangiitis)
      const systems = this.h.anatomySystems(b);
      if (systems.length) for (const s of sites) if (this.h.anatomySystems(s).some((x) => systems.includes(x))) return 'same_organ_system_as_a_site';
      // named by the disease, a subtype or a finding of it ("subglottic stenosis": trachea; "arthritis": joint),
      // or in an organ system its findings point to (hearing loss, vertigo: the inner ear for Ramsay Hunt syndrome)
      if (this.namedByDisease(known, b)) return 'named_by_disease_or_its_findings';
      if (systems.length && this.findingSystems(known).some((x) => systems.includes(x))) return 'organ_system_of_a_finding';
      // the site of a disease of the subject's clinical group (vagina, vulvovaginal candidiasis, beside chronic mucocutaneous candidiasis)
      for (const d of g.nb(b, 'localizes', 'in')) if (!known.family?.has(d) && this.diff.sameGroupCached(d, known.subject)) return 'site_of_a_related_disease';
      return '';
    })());
    if (reject) return this.no(reject);
    const outside = this.outsideFamily(known);
    if (this.elsewhere(b, 'localizes', 'in', outside, c.origin) < 0) return this.no('no_other_disease_there');
    // the shared rule (rule-out.ts): the structure is THE site of another disease not named after it ("the urethra is
    // the site of trichomoniasis" is false: trichomoniasis has other sites), the reason the teacher gives
    const e = this.ro.siteOfOther(b, known.subject, outside, c.origin);
    if (e < 0) return this.no('no_teachable_reason');
    const reasons = [
      this.reason('points_elsewhere', e, 'localizes', b, true),
      this.reason('separate', b, 'anatomy_part_of', key, false, { text: `${capital(this.name(b))} neither contains nor lies within ${this.name(key)}, nor any other site the KG gives for ${this.name(known.subject)}.` }),
      this.reason('lacks', known.subject, 'localizes', b, false, { annotated: sites.size }),
    ];
    return { reasons, primary: reasons[2]!.fact, closeness: c.closeness };
  }

  private readonly findingSystemCache = new Map<number, string[]>();
  /** organ systems the findings of the disease and its subtypes point to (lexicon.ts) */
  private findingSystems(known: Known): string[] {
    let v = this.findingSystemCache.get(known.subject);
    if (!v) {
      const out = new Set<string>();
      const anc = this.h.diseaseAncestors(known.subject);
      for (const d of known.family ?? [known.subject]) {
        if (anc.has(d)) continue;
        for (const f of this.g.nb(d, 'presents', 'out')) for (const x of organSystems(findingPhrase(this.g.kg.nodeName(f)))) out.add(x);
        for (const x of organSystems(this.g.kg.nodeName(d))) out.add(x);
        for (const syn of this.g.kg.synonyms(d)) for (const x of organSystems(syn)) out.add(x);
      }
      if (this.findingSystemCache.size > 5000) this.findingSystemCache.clear();
      this.findingSystemCache.set(known.subject, (v = [...out]));
    }
    return v;
  }

  /** do the names of the disease, its subtypes, their synonyms or their findings name this structure (by word or organ root)? */
  private namedByDisease(known: Known, b: number): boolean {
    const g = this.g;
    const words = known.memoWords(() => {
      const out = new Set<string>();
      const add = (text: string) => {
        for (const w of contentWords(text)) out.add(w);
      };
      for (const d of known.family ?? [known.subject]) {
        if (this.h.diseaseAncestors(known.subject).has(d)) continue; // an ancestor's name ("respiratory system disease") names a whole system
        add(g.kg.nodeName(d));
        for (const syn of g.kg.synonyms(d)) add(syn);
        for (const f of g.nb(d, 'presents', 'out')) add(findingPhrase(g.kg.nodeName(f)));
      }
      return out;
    });
    const mine = contentWords(anatomyPhrase(g.kg.nodeName(b)));
    return mine.some((w) => words.has(w) || [...words].some((x) => x.length >= 5 && w.length >= 5 && x.slice(0, 5) === w.slice(0, 5)));
  }

  pathogenForDisease(known: Known, key: number, c: Candidate, shown: readonly number[] = [], systems?: readonly string[]): Verdict | null {
    const g = this.g;
    const q = c.node;
    const causes = known.ofFamily('caused_by');
    const base = known.lookup<PathogenBase>('pathogenForDisease', q) ?? known.keep('pathogenForDisease', q, ((): PathogenBase => {
      if (isAboveGenus(g.kg.nodeName(q)) || isAboveGenus(this.h.taxonName(q))) return { reject: 'taxon_above_genus' }; // "Fungi" is no answer
      if (causes.has(q)) return { reject: 'causes_disease_or_relative' };
      for (const p of causes) if (this.h.pathogensRelated(p, q)) return { reject: 'taxonomic_relative_of_a_cause' };
      if (this.h.pathogensRelated(key, q)) return { reject: 'taxonomic_relative_of_answer' };
      if (this.elsewhere(q, 'caused_by', 'in', this.outsideFamily(known)) < 0) return { reject: 'causes_no_other_disease' };
      // every disease it causes, with their subtypes (EBV: infectious mononucleosis), must not compete with the picture
      const all = new Set<number>();
      for (const x of g.nb(q, 'caused_by', 'in')) {
        all.add(x);
        for (const y of this.h.diseaseDescendants(x) ?? []) all.add(y);
      }
      const caused = this.outsideGroup(known, all, 200);
      if (!caused) return { reject: 'causes_a_disease_that_fits_the_picture' };
      return { caused };
    })());
    if ('reject' in base) return this.no(base.reject);
    if (this.fitsPicture(base.caused, shown, systems)) return this.no('causes_a_disease_that_fits_the_picture');
    // the shared rule (rule-out.ts): a disease it causes that cannot account for a shown finding, so the reason says
    // why the organism does not fit this picture ("… causes tetanus, which does not account for blindness")
    let e: number;
    const extra: DistractorReason[] = [];
    if (shown.length) {
      const r = this.ro.causeRuledOut(q, known.subject, shown, c.origin);
      if (!r || this.outsideFamily(known)(r.disease)) return this.no('no_teachable_reason');
      e = r.disease;
      extra.push(this.reason('lacks', e, 'presents', r.finding, false, { text: `${capital(this.name(e))} does not account for ${this.name(r.finding)}.` }));
    } else e = this.elsewhere(q, 'caused_by', 'in', this.outsideFamily(known), c.origin);
    const reasons = [this.reason('points_elsewhere', e, 'caused_by', q, true), this.reason('lacks', known.subject, 'caused_by', q, false, { annotated: causes.size }), ...extra];
    return { reasons, primary: reasons[1]!.fact, via: [g.triple(e, 'caused_by', q)], closeness: c.closeness, diseases: base.caused };
  }

  pathwayForDisease(known: Known, key: number, c: Candidate, chainGene = -1): Verdict | null {
    const g = this.g;
    const v = c.node;
    const genes = g.nb(v, 'participates_pathway', 'in');
    if (genes.length < WELL_ANNOTATED.pathwayGenes) return this.no('not_well_annotated');
    if (this.h.isBroadPathway(v)) return this.no('umbrella_pathway');
    const targets = known.treaterTargets();
    const keyGenes = new Set(g.nb(key, 'participates_pathway', 'in'));
    // a member of the chain gene's family (MMP2 beside MMP1) may be acted on as well, listed among its genes or
    // named in the pathway's title ("Rac1/Pak1/p38/MMP-2 pathway": the graph holds a sample of the members)
    if (chainGene >= 0) {
      for (let i = 0; i < genes.length; i++) if (this.h.genesRelated(genes[i]!, chainGene)) return this.no('contains_a_relative_of_the_target');
      const family = geneFamily(g.kg.nodeName(chainGene));
      if (geneSymbolsIn(g.kg.nodeName(v)).some((sym) => geneFamily(sym) === family)) return this.no('contains_a_relative_of_the_target');
    }
    // a target of any drug for the disease (not only the chain's drug) makes the pathway right too
    for (let i = 0; i < genes.length; i++) for (const t of targets) if (this.h.genesRelated(genes[i]!, t)) return this.no('contains_a_treatment_target_or_shares_genes');
    let via: { z: number; gene: number; e: number } | null = null;
    const outside = this.outsideFamily(known);
    for (let i = 0; i < genes.length; i++) {
      const gene = genes[i]!;
      if (targets.has(gene) || keyGenes.has(gene)) return this.no('contains_a_treatment_target_or_shares_genes');
      if (via) continue;
      const drugs = g.strongNb(gene, 'targets', 'in');
      for (let j = 0; j < drugs.length && !via; j++) {
        const e = this.elsewhere(drugs[j]!, 'treats', 'out', outside);
        if (e >= 0) via = { z: drugs[j]!, gene, e };
      }
    }
    if (!via) return this.no('no_gene_leading_elsewhere');
    const reasons = [
      this.reason('points_elsewhere', via.gene, 'participates_pathway', v, true, {
        text: `${capital(this.name(v))} involves ${this.name(via.gene)}, a target of ${this.name(via.z)} (used for ${this.name(via.e)}); none of its ${genes.length} genes in the KG is a target of a drug for ${this.name(known.subject)}.`,
      }),
    ];
    return {
      reasons,
      primary: this.fact(via.gene, 'participates_pathway', v, true),
      via: [g.triple(via.z, 'treats', via.e), g.triple(via.z, 'targets', via.gene), g.triple(via.gene, 'participates_pathway', v)],
      closeness: c.closeness,
    };
  }
}

/** classes of one system (MeSH pharmacologic actions, FDA classes, ChEBI roles) read alike and never restate each other */
export function sameSystem(a: string, b: string): boolean {
  return systemOf(a) === systemOf(b);
}
const systemOf = (s: string) => {
  const i = s.indexOf(':');
  return i > 0 ? s.slice(0, i) : '';
};

function anyIn(list: ArrayLike<number>, set: ReadonlySet<number>): boolean {
  for (let i = 0; i < list.length; i++) if (set.has(list[i]!)) return true;
  return false;
}

/** shown findings a differential must lack: two (robust to one annotation the KG misses), or all but one of a shorter picture */
export function missesRequired(shownCount: number): number {
  return Math.min(2, Math.max(1, shownCount - 1));
}

/** class names that state a use, not a mechanism: "Antirheumatic agent", "Antihypertensive Agents", "anticonvulsant" */
export const USE_CLASS = /^anti[\s-]?[a-z]/i;

/** a class name reduced to its sorted word stems, so one concept named by MeSH, the FDA and ChEBI compares equal */
const classKeyCache = new Map<string, string>();
export function classNameKey(name: string): string {
  let v = classKeyCache.get(name);
  if (v === undefined) {
    if (classKeyCache.size > 50_000) classKeyCache.clear();
    classKeyCache.set(name, (v = computeClassNameKey(name)));
  }
  return v;
}

function computeClassNameKey(name: string): string {
  const text = name.toLowerCase().replace(/\banti[\s-]+/g, 'anti').replace(/-/g, ' ');
  const words = contentWords(text).map((w) => wordStem(w.replace(/s$/, '')).replace(/^blocker$/, 'antagonist'));
  return [...new Set(words)].sort().join(' ');
}

/**
 * A mechanism stated as an activity or an interaction ("Tumor Necrosis Factor Receptor
 * Blocking Activity", "Cytochrome P450 2D6 Interactions"): an FDA mechanism phrase, not a
 * class a clinician names a drug by.
 */
export function isMechanismPhrase(name: string): boolean {
  return /\b(activity|activities|interactions?|binding|mechanism)$/i.test(name.trim());
}

/** gene symbols a pathway title names ("Rac1/Pak1/p38/MMP-2 pathway" → RAC1, PAK1, P38, MMP2) */
export function geneSymbolsIn(title: string): string[] {
  return (title.match(/\b[A-Za-z][A-Za-z0-9]*-?[0-9]+[A-Za-z]?\b|\b[A-Z]{2,}[0-9]*\b/g) ?? []).map((t) => t.replace(/-/g, '').toUpperCase());
}

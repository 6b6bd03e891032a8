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
import type { ContradictingFact, DistractorReason, Triple } from './record';
import type { SynthGraph } from './kg-view';
import { BROAD_CLASS, type Hierarchies } from './relatedness';
import type { PictureBuilder } from './picture';
import { capitaliseFirst as capital, inSentence } from './names';

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

  private memo(key: string, f: () => Set<number>): Set<number> {
    let s = this.cache.get(key);
    if (!s) this.cache.set(key, (s = f()));
    return s;
  }

  /** drugs with any treats / palliates edge to the disease's family */
  treaters(): Set<number> {
    return this.memo('treaters', () => {
      const out = new Set<number>();
      for (const d of this.family ?? [this.subject]) {
        for (const role of ['treats', 'palliates']) {
          const list = this.g.nb(d, role, 'in');
          for (let i = 0; i < list.length; i++) out.add(list[i]!);
        }
      }
      return out;
    });
  }

  /** specific classes (≤ BROAD_CLASS members) of the treaters */
  treaterClasses(): Set<number> {
    return this.memo('treaterClasses', () => {
      const out = new Set<number>();
      for (const drug of this.treaters()) for (const c of this.g.nb(drug, 'in_class', 'out')) if (this.h.classSize(c) <= BROAD_CLASS) out.add(c);
      return out;
    });
  }

  treaterTargets(): Set<number> {
    return this.memo('treaterTargets', () => {
      const out = new Set<number>();
      for (const drug of this.treaters()) for (const t of this.g.nb(drug, 'targets', 'out')) out.add(t);
      return out;
    });
  }

  /** every drug in a specific class of a treatment: a class with any of them shares a member with a treatment class */
  treaterClassMembers(): Set<number> {
    return this.memo('treaterClassMembers', () => {
      const out = new Set<number>();
      for (const c of this.treaterClasses()) for (const m of this.g.nb(c, 'in_class', 'in')) out.add(m);
      return out;
    });
  }

  /** every drug sharing a class with the drug subject (its classes of any size: the class test is about membership, not mechanism) */
  subjectClassMembers(specificOnly = false): Set<number> {
    return this.memo(`subjectClassMembers:${specificOnly}`, () => {
      const out = new Set<number>();
      for (const c of this.ofSubject('in_class')) if (!specificOnly || this.h.classSize(c) <= BROAD_CLASS) for (const m of this.g.nb(c, 'in_class', 'in')) out.add(m);
      return out;
    });
  }

  /** the disease family's own edges of a relation (any support) */
  ofFamily(role: string): Set<number> {
    return this.memo(`family:${role}`, () => {
      const out = new Set<number>();
      for (const d of this.family ?? [this.subject]) for (const x of this.g.nb(d, role, 'out')) out.add(x);
      return out;
    });
  }

  /** the drug subject's own edges of a relation (any support) */
  ofSubject(role: string, dir: 'out' | 'in' = 'out'): Set<number> {
    return this.memo(`subject:${role}:${dir}`, () => new Set(this.g.nb(this.subject, role, dir)));
  }
}

export class Judges {
  /** candidates turned down, by rule (reported with the run: why options were not accepted) */
  readonly rejected: Record<string, number> = {};

  private no(rule: string): null {
    this.rejected[rule] = (this.rejected[rule] ?? 0) + 1;
    return null;
  }

  constructor(
    readonly g: SynthGraph,
    readonly h: Hierarchies,
    readonly pic: PictureBuilder,
  ) {}

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
        return sameSystem(g.kg.nodeId(x), g.kg.nodeId(key)) && !known.ofSubject('in_class').has(x) && !anyIn(g.nb(x, 'in_class', 'in'), known.subjectClassMembers());
      case 'presentation_class':
        return sameSystem(g.kg.nodeId(x), g.kg.nodeId(key)) && this.h.classSize(x) <= BROAD_CLASS && !anyIn(g.nb(x, 'in_class', 'in'), known.treaterClassMembers()) && !anyIn(g.nb(x, 'in_class', 'in'), known.treaters());
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
    return inSentence(this.g.kg.nodeName(x));
  }

  fact(head: number, role: string, tail: number, holds: boolean): ContradictingFact {
    return { ...this.g.triple(head, role, tail), holds };
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
   * Does any of these diseases (outside the subject's family) fit the picture: miss fewer
   * shown findings than a differential must? Then an option that is right for it might be
   * right here, whatever edge the KG lacks.
   */
  private fitsPicture(known: Known, diseases: Iterable<number>, shown: readonly number[], cap = 60): boolean {
    const need = missesRequired(shown.length);
    let k = 0;
    for (const d of diseases) {
      if (known.family?.has(d)) continue;
      if (++k > cap) break;
      let misses = 0;
      for (const f of shown) if (!this.pic.mayPresent(d, f) && ++misses >= need) break;
      if (misses < need) return true;
    }
    return false;
  }

  private outsideFamily(known: Known): (d: number) => boolean {
    return (d) => known.family?.has(d) ?? d === known.subject;
  }

  // ---- diagnosis: a differential that shares part of the picture ------------------------------

  differential(known: Known, key: number, shown: readonly number[], c: Candidate): Verdict | null {
    const g = this.g;
    const x = c.node;
    if (known.family?.has(x) || this.h.diseasesRelated(x, key)) return this.no('relative_of_answer');
    const desc = this.h.diseaseDescendants(x);
    if (!desc || desc.size > 60) return this.no('broad_grouping'); // a grouping ("neuromuscular disease") can be right by a subtype
    const anyFindings = g.nb(x, 'presents', 'out').length;
    const strongFindings = g.strongNb(x, 'presents', 'out');
    if (anyFindings < WELL_ANNOTATED.findings && strongFindings.length < WELL_ANNOTATED.strongFindings) return this.no('not_well_annotated');
    const lacking = shown.filter((f) => !this.pic.mayPresent(x, f));
    if (lacking.length === 0) return this.no('may_present_every_finding');
    if (lacking.length < missesRequired(shown.length)) return this.no('fits_all_but_one_finding');
    // a finding of its own that the answer does not have: the discriminating feature
    let own = -1;
    for (let i = 0; i < strongFindings.length && own < 0; i++) {
      const f = strongFindings[i]!;
      if (shown.some((s) => this.pic.family(s).has(f))) continue;
      if (!this.pic.mayPresent(key, f)) own = f;
    }
    if (own < 0) return this.no('no_discriminating_finding');
    const f0 = lacking[0]!;
    const reasons = [
      this.reason('lacks', x, 'presents', f0, false, {
        annotated: anyFindings,
        text: `${capital(this.name(x))} is not known to present with ${this.name(f0)} (the KG lists ${anyFindings} findings of it).`,
      }),
      this.reason('points_elsewhere', x, 'presents', own, true, { text: `${capital(this.name(x))} presents with ${this.name(own)}, which the picture does not include and ${this.name(key)} is not known for.` }),
    ];
    return { reasons, primary: reasons[0]!.fact, closeness: c.closeness };
  }

  // ---- drugs for a disease (treatment, two-hop treatment) --------------------------------------

  drugForDisease(known: Known, c: Candidate, shown: readonly number[] = []): Verdict | null {
    const g = this.g;
    const y = c.node;
    if (known.treaters().has(y)) return this.no('treats_disease_or_relative');
    if (g.nb(y, 'not_indicated_for', 'out').some((d) => known.family?.has(d))) return this.no('reviewed_for_disease'); // reviewed for this disease: not a clean distractor
    for (const f of g.strongNb(known.subject, 'presents', 'out')) if (g.has(y, 'treats_symptom', f)) return this.no('relieves_a_finding');
    const classes = g.nb(y, 'in_class', 'out');
    const kc = known.treaterClasses();
    for (let i = 0; i < classes.length; i++) if (kc.has(classes[i]!)) return this.no('same_class_as_known_answer');
    const kt = known.treaterTargets();
    const targets = g.nb(y, 'targets', 'out');
    for (let i = 0; i < targets.length; i++) if (kt.has(targets[i]!)) return this.no('same_target_as_known_answer');
    const indications = g.nb(y, 'treats', 'out').length;
    if (indications < WELL_ANNOTATED.indications) return this.no('not_well_annotated');
    const e = this.elsewhere(y, 'treats', 'out', this.outsideFamily(known), c.origin);
    if (e < 0) return this.no('no_indication_elsewhere');
    if (shown.length && this.fitsPicture(known, [...g.nb(y, 'treats', 'out'), ...g.nb(y, 'palliates', 'out')], shown)) return this.no('treats_a_disease_that_fits_the_picture');
    const reasons = [
      this.reason('points_elsewhere', y, 'treats', e, true),
      this.reason('lacks', y, 'treats', known.subject, false, { annotated: indications }),
      {
        kind: 'separate' as const,
        fact: this.fact(y, 'treats', known.subject, false),
        text: `${capital(this.name(y))} shares no pharmacologic class and no target with any drug the KG lists for ${this.name(known.subject)} or its subtypes.`,
      },
    ];
    return { reasons, primary: reasons[1]!.fact, via: [g.triple(y, 'treats', e)], closeness: c.closeness };
  }

  // ---- EXCEPT items: the wrong options are drugs that do treat the disease ---------------------

  treaterOfDisease(known: Known, key: number, c: Candidate): Verdict | null {
    const g = this.g;
    const y = c.node;
    if (y === key || !g.hasStrong(y, 'treats', known.subject)) return this.no('not_a_listed_treatment');
    if (g.has(y, 'not_indicated_for', known.subject)) return this.no('also_reviewed_not_indicated');
    const r = this.reason('conflicts', y, 'treats', known.subject, true);
    return { reasons: [r], primary: r.fact, closeness: c.closeness };
  }

  // ---- classes ---------------------------------------------------------------------------------

  /** drug_class: a class the drug is not in, disjoint from all its classes, of the same class system as the key */
  classForDrug(known: Known, key: number, c: Candidate): Verdict | null {
    const g = this.g;
    const x = known.subject;
    const cl = c.node;
    if (!sameSystem(g.kg.nodeId(cl), g.kg.nodeId(key))) return this.no('other_class_system');
    const mine = known.ofSubject('in_class');
    if (mine.has(cl)) return this.no('is_a_class_of_drug');
    if (this.h.classSize(cl) < WELL_ANNOTATED.classMembers) return this.no('not_well_annotated');
    if (anyIn(g.nb(cl, 'in_class', 'in'), known.subjectClassMembers())) return this.no('shares_members_with_drug_class');
    const member = this.memberTreating(cl, () => false);
    if (member < 0) return this.no('no_member_with_indication');
    const reasons = [
      this.reason('points_elsewhere', member, 'in_class', cl, true, { text: `${capital(this.name(cl))} includes ${this.name(member)}; no drug in the KG is in both ${this.name(cl)} and ${this.name(key)}.` }),
      this.reason('lacks', x, 'in_class', cl, false, { annotated: mine.size }),
    ];
    return { reasons, primary: reasons[1]!.fact, closeness: c.closeness };
  }

  /** presentation_class: a class none of whose members treats the disease, disjoint from every class of its treatments */
  classForDisease(known: Known, key: number, c: Candidate, shown: readonly number[] = []): Verdict | null {
    const g = this.g;
    const cl = c.node;
    if (!sameSystem(g.kg.nodeId(cl), g.kg.nodeId(key))) return this.no('other_class_system');
    const size = this.h.classSize(cl);
    if (size < WELL_ANNOTATED.classMembers || size > BROAD_CLASS) return this.no('too_small_or_broad');
    const treaters = known.treaters();
    const members = g.nb(cl, 'in_class', 'in');
    for (let i = 0; i < members.length; i++) if (treaters.has(members[i]!)) return this.no('member_treats_disease_or_relative');
    // a class whose drugs relieve one of the disease's findings (antipyretics for a fever) is used for it too
    for (const f of g.strongNb(known.subject, 'presents', 'out')) for (let i = 0; i < members.length; i++) if (g.has(members[i]!, 'treats_symptom', f)) return this.no('member_relieves_a_finding');
    if (anyIn(members, known.treaterClassMembers())) return this.no('shares_members_with_treatment_class');
    const outside = this.outsideFamily(known);
    const member = this.memberTreating(cl, outside, c.origin);
    if (member < 0) return this.no('no_member_with_indication');
    if (shown.length) {
      const diseases: number[] = [];
      for (let i = 0; i < Math.min(members.length, 30); i++) for (const d of g.nb(members[i]!, 'treats', 'out').slice(0, 10)) diseases.push(d);
      if (this.fitsPicture(known, diseases, shown, 120)) return this.no('member_treats_a_disease_that_fits_the_picture');
    }
    const e = this.elsewhere(member, 'treats', 'out', outside);
    const reasons = [
      this.reason('points_elsewhere', member, 'treats', e, true, { text: `${capital(this.name(cl))} includes ${this.name(member)}, which treats ${this.name(e)}; no drug of this class is listed for ${this.name(known.subject)}.` }),
      this.reason('separate', member, 'in_class', cl, true, { text: `No drug in the KG belongs both to ${this.name(cl)} and to a class of the drugs used for ${this.name(known.subject)}.` }),
    ];
    return { reasons, primary: this.fact(members[0]!, 'treats', known.subject, false), via: [g.triple(member, 'treats', e), g.triple(member, 'in_class', cl)], closeness: c.closeness };
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
    if (mine.has(gene)) return this.no('is_a_target_of_drug');
    for (const t of mine) if (this.h.genesRelated(t, gene)) return this.no('gene_family_or_cotargeted');
    const peers = known.subjectClassMembers(true);
    const byDrugs = g.nb(gene, 'targets', 'in');
    let other = -1;
    for (let i = 0; i < byDrugs.length; i++) {
      const z = byDrugs[i]!;
      if (peers.has(z)) return this.no('targeted_by_same_class'); // a drug of the same class acts on it
      if (other < 0 && z !== x && g.hasStrong(z, 'targets', gene)) other = z;
    }
    if (other < 0) return this.no('no_other_drug_targets_it');
    const reasons = [
      this.reason('points_elsewhere', other, 'targets', gene, true, { text: `${capital(this.name(gene))} is a target of ${this.name(other)}, a drug of another class.` }),
      this.reason('lacks', x, 'targets', gene, false, { annotated: mine.size }),
    ];
    return { reasons, primary: reasons[1]!.fact, closeness: c.closeness };
  }

  siteForDisease(known: Known, key: number, concrete: (a: number) => boolean, c: Candidate): Verdict | null {
    const g = this.g;
    const b = c.node;
    if (!concrete(b)) return this.no('not_a_named_structure');
    const sites = known.ofFamily('localizes');
    for (const s of sites) if (this.h.anatomyOverlaps(s, b)) return this.no('overlaps_a_known_site');
    const outside = this.outsideFamily(known);
    const e = this.elsewhere(b, 'localizes', 'in', outside, c.origin);
    if (e < 0) return this.no('no_other_disease_there');
    const reasons = [
      this.reason('points_elsewhere', e, 'localizes', b, true),
      this.reason('separate', b, 'anatomy_part_of', key, false, { text: `${capital(this.name(b))} neither contains nor lies within ${this.name(key)}, nor any other site the KG gives for ${this.name(known.subject)}.` }),
      this.reason('lacks', known.subject, 'localizes', b, false, { annotated: sites.size }),
    ];
    return { reasons, primary: reasons[2]!.fact, closeness: c.closeness };
  }

  pathogenForDisease(known: Known, key: number, c: Candidate, shown: readonly number[] = []): Verdict | null {
    const g = this.g;
    const q = c.node;
    const causes = known.ofFamily('caused_by');
    if (causes.has(q)) return this.no('causes_disease_or_relative');
    for (const p of causes) if (this.h.pathogensRelated(p, q)) return this.no('taxonomic_relative_of_a_cause');
    if (this.h.pathogensRelated(key, q)) return this.no('taxonomic_relative_of_answer');
    const e = this.elsewhere(q, 'caused_by', 'in', this.outsideFamily(known), c.origin);
    if (e < 0) return this.no('causes_no_other_disease');
    if (shown.length && this.fitsPicture(known, g.nb(q, 'caused_by', 'in'), shown)) return this.no('causes_a_disease_that_fits_the_picture');
    const reasons = [this.reason('points_elsewhere', e, 'caused_by', q, true), this.reason('lacks', known.subject, 'caused_by', q, false, { annotated: causes.size })];
    return { reasons, primary: reasons[1]!.fact, via: [g.triple(e, 'caused_by', q)], closeness: c.closeness };
  }

  pathwayForDisease(known: Known, key: number, c: Candidate): Verdict | null {
    const g = this.g;
    const v = c.node;
    const genes = g.nb(v, 'participates_pathway', 'in');
    if (genes.length < WELL_ANNOTATED.pathwayGenes) return this.no('not_well_annotated');
    if (this.h.isBroadPathway(v)) return this.no('umbrella_pathway');
    const targets = known.treaterTargets();
    const keyGenes = new Set(g.nb(key, 'participates_pathway', 'in'));
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

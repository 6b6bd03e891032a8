/**
 * The validity report: counts, over a set of generated items, of each defect class a
 * clinician reviewer found (issue 10): second right answers (a relative of the key, a drug
 * for the disease's parent or subtype, a drug of the same specific class as a known
 * treatment, an overlapping anatomical structure, a differential that shares every shown
 * finding), keys resting on weak edges, non-findings in stems, lower-case stems, inverted
 * names, key words in the stem, distractors ruled out by absence alone, and the tier split
 * per type.
 *
 * The checks read the graph directly with their own plain traversals, not the engine's
 * judges, so they can disagree with it. They apply the same definitions the engine was
 * built to (what counts as a relative, a weak edge, a finding), so on the engine's own
 * output they measure consistency with those definitions, not clinical truth: a clinician
 * (or the LLM verifier) still has the last word.
 */
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { edgeMaskIndex, isStrongMask, policyFor, trustTable, type DatasetTrust } from './edge-trust';
import { mapSchema, type SchemaMapping } from './schema-map';
import { SynthGraph } from './kg-view';
import { Hierarchies } from './relatedness';
import { PictureBuilder, picturesOverlap } from './picture';
import { Differentials } from './differential';
import { isMechanismPhrase, Judges, Known } from './judges';
import { findingPhrase, isAboveGenus, isBlockedFinding, organSystems } from './lexicon';
import { hasInnerCapital } from './names';
import { knownHarm } from './known-harm';
import { isUmbrellaDisease, premiseOf } from './premise';
import { classNamesNested, drugNamesAlike } from './option-relations';
import { DIFFICULTIES, type Difficulty, type QuestionRecord, type Triple } from './record';

export const DEFECT_CLASSES = [
  'relative_of_key',
  'treats_parent_or_subtype',
  'same_class_as_known_answer',
  'anatomy_containment',
  'differential_shares_findings',
  'weak_edge_key',
  'weak_edge_evidence',
  'non_finding_in_stem',
  'lower_case_stem',
  'inverted_name',
  'key_word_in_stem',
  'absent_edge_only_distractor',
  'weak_indication_distractor',
  'competing_differential',
  'anatomy_same_system',
  'no_discriminating_finding',
  'needs_unstated_premise',
  'restating_findings',
  'off_target_chain',
  'unclinical_option_name',
  'mechanism_phrase_option',
  'nested_options',
  'casing_cue',
  'known_harm',
  'umbrella_disease',
  'repeated_picture',
  'filler_sentence',
] as const;
export type DefectClass = (typeof DEFECT_CLASSES)[number];

export const DEFECT_LABELS: Record<DefectClass, string> = {
  relative_of_key: 'second right answer: an option is an is-a / part-of / taxonomic / class relative of the key',
  treats_parent_or_subtype: 'second right answer: a drug option treats the disease, its parent, a subtype or a sibling under a narrow parent',
  same_class_as_known_answer: 'second right answer: a drug option shares a specific class with a known treatment',
  anatomy_containment: 'second right answer: an anatomy option contains, or lies within, a site of the disease',
  differential_shares_findings: 'second right answer: a differential may present every shown finding',
  weak_edge_key: 'the key rests on a weak edge (one text-mined, inferred or single non-expert source)',
  weak_edge_evidence: 'a shown finding rests on a weak edge',
  non_finding_in_stem: 'the stem lists something that is not a clinical finding',
  lower_case_stem: 'the stem starts lower-case',
  inverted_name: 'an inverted ontology name ("obesity, abdominal") in the stem or options',
  key_word_in_stem: 'the stem shares a content word with the key',
  absent_edge_only_distractor: 'a distractor ruled out only by a missing edge (no positive reason stored)',
  weak_indication_distractor:
    'second right answer (EXCEPT item): a wrong option "treats" the disease only by a weak row, a prevention indication, an indication for a complication or comorbidity, or one out of character for its class',
  competing_differential: "second right answer: an option, or the disease it points to, is in the key's clinical group or fits the picture (two shown findings, or one and its organ system)",
  anatomy_same_system: 'second right answer: an anatomy option in an organ system of a site, a finding or a name of the disease',
  no_discriminating_finding: 'the picture has no specific finding that every disease the distractors point to lacks',
  needs_unstated_premise:
    'the key is a complication of another disease ("… in sickle cell disease") that the stem does not give, or implies an age or a pregnancy (infant botulism, pre-eclampsia) the stem does not state',
  restating_findings: 'two shown findings restate each other (one concept, broader and narrower, a shared identifier)',
  off_target_chain: "a pathway chain runs through a human target of a drug for an infection (an off-target effect, not the drug's mechanism)",
  unclinical_option_name: 'an organism option named by a taxon above the genus ("Fungi") or by an ICTV binomial clinicians do not use',
  mechanism_phrase_option: 'a mechanism phrase ("… blocking activity") offered as a drug class',
  nested_options: 'two options restate each other (a shared member, one class name inside the other, two salts of one substance)',
  casing_cue: 'the key stands out from the other options by its casing',
  known_harm: 'the key, or an EXCEPT item\'s wrong option, "treats" a disease it is known to harm (corticosteroids for rosacea)',
  umbrella_disease: 'a treatment stem names a vague category ("allergic disease", "autoimmune disease"), not a diagnosis',
  repeated_picture: 'the same shown findings as an earlier item (any type), or a near repeat: the same disease with a shown set inside, one finding from or mostly the same as an earlier one',
  filler_sentence: 'the stem has a sentence that is no finding ("The brain is involved.") or a referral clause ("referred to endocrinology")',
};

/** the classes that make a second right answer */
export const SECOND_RIGHT_ANSWER: readonly DefectClass[] = [
  'relative_of_key',
  'treats_parent_or_subtype',
  'same_class_as_known_answer',
  'anatomy_containment',
  'differential_shares_findings',
  'weak_indication_distractor',
  'competing_differential',
  'anatomy_same_system',
];

export interface ValidityReport {
  items: number;
  /** items with at least one defect of the class */
  counts: Record<DefectClass, number>;
  /** items with any second-right-answer defect */
  secondRightAnswer: number;
  /** up to 3 item ids per class, to open in the curation view */
  examples: Partial<Record<DefectClass, string[]>>;
  tiersPerType: Record<string, Record<Difficulty, number>>;
  /** items whose nodes are not in this graph (made from another graph) */
  unresolved: number;
}

const BROAD_CLASS = 300;
const GENERIC_WORDS = new Set('disease disorder syndrome infection infectious class type acute chronic primary secondary congenital familial hereditary agent agents drug drugs system structure tissue cells human deficiency'.split(' '));

export function validityReport(kg: KnowledgeGraph, records: readonly QuestionRecord[]): ValidityReport {
  const v = new Checker(kg);
  const counts = Object.fromEntries(DEFECT_CLASSES.map((c) => [c, 0])) as Record<DefectClass, number>;
  const examples: Partial<Record<DefectClass, string[]>> = {};
  const tiersPerType: Record<string, Record<Difficulty, number>> = {};
  let secondRight = 0;
  let unresolved = 0;
  let items = 0;
  // repeats over the set: a shown-finding set seen before (the engine also caps pictures per disease, at 2 per
  // 1,000 items requested; a set's own size says nothing of what was requested, so that cap is tested, not counted here)
  const shownSets = new Set<string>();
  // and a near repeat: the same hidden disease with a shown set inside, one finding from, or mostly the same as an earlier one
  const picturesOf = new Map<string, string[][]>();
  const presents = mapSchema(kg.header).relations.presents?.name;
  for (const r of records) {
    if (r.source !== 'synthetic' || !r.provenance) continue;
    items++;
    const shownEv = r.provenance.evidence.filter((e) => e.shown && e.role === 'evidence' && e.relation === presents);
    const pictureOf = shownEv.map((e) => e.tail.id).sort().join(',');
    let repeated = false;
    if (shownEv.length) {
      if (shownSets.has(pictureOf)) repeated = true;
      shownSets.add(pictureOf);
      const ids = shownEv.map((e) => e.tail.id);
      const list = picturesOf.get(shownEv[0]!.head.id) ?? [];
      if (list.some((prev) => picturesOverlap(prev, ids))) repeated = true;
      list.push(ids);
      picturesOf.set(shownEv[0]!.head.id, list);
    }
    const tiers = (tiersPerType[r.type] ??= Object.fromEntries(DIFFICULTIES.map((d) => [d, 0])) as Record<Difficulty, number>);
    tiers[r.difficulty]++;
    const found = v.check(r);
    if (found === null) {
      unresolved++;
      continue;
    }
    if (repeated) found.push('repeated_picture');
    let srA = false;
    for (const c of found) {
      counts[c]++;
      const ex = (examples[c] ??= []);
      if (ex.length < 3) ex.push(r.id);
      if (SECOND_RIGHT_ANSWER.includes(c)) srA = true;
    }
    if (srA) secondRight++;
  }
  return { items, counts, secondRightAnswer: secondRight, examples, tiersPerType, unresolved };
}

class Checker {
  private readonly map: SchemaMapping;
  private readonly trust: (DatasetTrust & { id: string })[];
  private readonly masks = new Map<string, (h: number, t: number) => number>();
  /**
   * The engine's own definition modules, for the classes issue 10's second review added (clinical
   * groups, organ systems, indication trust, the lexicon): these counts measure consistency
   * with the definitions the generator was built to, by construction — not clinical truth.
   */
  private readonly g: SynthGraph;
  private readonly h: Hierarchies;
  private readonly pic: PictureBuilder;
  private readonly diff: Differentials;
  private readonly judges: Judges;

  constructor(readonly kg: KnowledgeGraph) {
    this.map = mapSchema(kg.header);
    this.trust = trustTable(kg.datasets).map((t, i) => ({ ...t, id: kg.datasets[i]!.id }));
    this.g = new SynthGraph(kg, '');
    this.h = new Hierarchies(this.g);
    this.pic = new PictureBuilder(this.g, this.h);
    this.diff = new Differentials(this.g, this.h, this.pic);
    this.judges = new Judges(this.g, this.h, this.pic, this.diff);
  }

  private nb(node: number, role: string, dir: 'out' | 'in'): number[] {
    const r = this.map.relations[role];
    if (!r) return [];
    return Array.from(this.kg.neighbours(node, r.index, r.reversed ? (dir === 'out' ? 'in' : 'out') : dir));
  }

  private has(h: number, role: string, t: number): boolean {
    return this.nb(h, role, 'out').includes(t);
  }

  /** plain breadth-first closure along a role (both directions of the hierarchy when `both`) */
  private closure(node: number, roles: string[], dir: 'out' | 'in', limit = 2000): Set<number> {
    const seen = new Set<number>();
    const queue = [node];
    while (queue.length && seen.size < limit) {
      const x = queue.shift()!;
      for (const role of roles) {
        for (const y of this.nb(x, role, dir)) {
          if (y !== node && !seen.has(y)) {
            seen.add(y);
            queue.push(y);
          }
        }
      }
    }
    return seen;
  }

  private related(a: number, b: number, roles: string[]): boolean {
    return a === b || this.closure(a, roles, 'out').has(b) || this.closure(b, roles, 'out').has(a);
  }

  private diseaseFamily(d: number): Set<number> {
    const out = new Set<number>([d]);
    for (const x of this.closure(d, ['is_a'], 'out')) out.add(x);
    for (const x of this.closure(d, ['is_a'], 'in', 400)) out.add(x);
    return out;
  }

  private anatomyOverlap(a: number, b: number): boolean {
    const roles = ['anatomy_is_a', 'anatomy_part_of'];
    if (this.related(a, b, roles)) return true;
    const da = this.closure(a, roles, 'in');
    for (const x of this.closure(b, roles, 'in')) if (da.has(x)) return true;
    return false;
  }

  private strong(t: Triple): boolean | null {
    const rel = this.kg.edgeTypeIndex(t.relation);
    const h = this.kg.findById(t.head.id);
    const tl = this.kg.findById(t.tail.id);
    if (rel < 0 || h < 0 || tl < 0) return null;
    let idx = this.masks.get(t.relation);
    if (!idx) this.masks.set(t.relation, (idx = edgeMaskIndex(this.kg, rel)));
    const mask = idx(h, tl);
    const role = Object.entries(this.map.relations).find(([, m]) => m?.index === rel)?.[0] ?? t.relation;
    return isStrongMask(mask, this.trust, policyFor(role));
  }

  /** the defect classes an item has, or null when its nodes are not in this graph */
  check(r: QuestionRecord): DefectClass[] | null {
    const p = r.provenance!;
    const kg = this.kg;
    const key = kg.findById(p.answer_node.id);
    if (key < 0) return null;
    const opts = p.distractors.map((d) => kg.findById(d.id));
    if (opts.some((x) => x < 0)) return null;
    const out = new Set<DefectClass>();
    const evidence = p.evidence.filter((e) => e.role === 'evidence');
    const shownFindings = evidence.filter((e) => e.shown && e.relation === this.map.relations.presents?.name).map((e) => kg.findById(e.tail.id));
    // the disease the item is about: the head of the findings (picture) or the named disease
    const diseaseType = this.map.nodeTypes.disease;
    let subject = -1;
    if (shownFindings.length) subject = kg.findById(evidence[0]!.head.id);
    else {
      const e = evidence[0];
      if (e) {
        const other = e.head.id === p.answer_node.id ? e.tail : e.head;
        subject = kg.findById(other.id);
      }
    }
    const subjectIsDisease = subject >= 0 && kg.nodeType(subject) === diseaseType;
    const family = subjectIsDisease ? this.diseaseFamily(subject) : new Set<number>();
    const answerRole = kg.nodeType(key);

    // --- second right answers
    for (const o of opts) {
      if (answerRole === this.map.nodeTypes.disease && this.related(o, key, ['is_a'])) out.add('relative_of_key');
      if (answerRole === this.map.nodeTypes.pathogen) {
        const genus = (x: number) => kg.nodeName(x).replace(/[[\]]/g, '').split(/\s+/)[0]!.toLowerCase();
        const da = this.nb(o, 'caused_by', 'in');
        if (genus(o) === genus(key) || this.nb(key, 'caused_by', 'in').some((d) => da.includes(d))) out.add('relative_of_key');
        if (subjectIsDisease && [...family].some((d) => this.has(d, 'caused_by', o))) out.add('relative_of_key');
      }
      if (answerRole === this.map.nodeTypes.gene) {
        const fam = (x: number) => (/^[A-Z]*/.exec(kg.nodeName(x).toUpperCase())![0] || kg.nodeName(x)).slice(0, 4);
        if (fam(o) === fam(key) || this.nb(key, 'targets', 'in').some((drug) => this.has(drug, 'targets', o))) out.add('relative_of_key');
      }
      if (answerRole === this.map.nodeTypes.pharmacologic_class) {
        const members = new Set(this.nb(o, 'in_class', 'in'));
        if (this.nb(key, 'in_class', 'in').some((m) => members.has(m))) out.add('relative_of_key');
        if (subjectIsDisease) {
          const treaters = this.treaters(family);
          if ([...members].some((m) => treaters.has(m))) out.add('same_class_as_known_answer');
        } else if (subject >= 0) {
          if (this.has(subject, 'in_class', o)) out.add('relative_of_key');
          // the same class named by another system ("Antirheumatic agent" for a drug in MeSH "Antirheumatic Agents")
          const same = conceptOf(kg.nodeName(o));
          if (this.nb(subject, 'in_class', 'out').some((c) => conceptOf(kg.nodeName(c)) === same)) out.add('relative_of_key');
          // a use class ("Antirheumatic agent") with a member used for one of the drug's own indications
          if (/^anti/i.test(kg.nodeName(o))) {
            const uses = new Set(this.nb(subject, 'treats', 'out'));
            if ([...members].some((m) => this.nb(m, 'treats', 'out').some((d) => uses.has(d)))) out.add('relative_of_key');
          }
        }
      }
      if (answerRole === this.map.nodeTypes.pathway) {
        const genes = new Set(this.nb(o, 'participates_pathway', 'in'));
        if (this.nb(key, 'participates_pathway', 'in').some((g) => genes.has(g))) out.add('relative_of_key');
      }
      if (answerRole === this.map.nodeTypes.anatomy) {
        if (this.anatomyOverlap(o, key)) out.add('anatomy_containment');
        else if (subjectIsDisease && [...family].some((d) => this.nb(d, 'localizes', 'out').some((s) => this.anatomyOverlap(s, o)))) out.add('anatomy_containment');
      }
      if (answerRole === this.map.nodeTypes.drug && subjectIsDisease && r.type !== 'contraindicated') {
        if ([...family].some((d) => this.has(o, 'treats', d) || this.has(o, 'palliates', d))) out.add('treats_parent_or_subtype');
        // a sibling under a narrow parent is managed alike (amoxicillin for duodenal ulcer beside gastric ulcer)
        if (subject >= 0 && this.judges.treatsSibling(o, subject)) out.add('treats_parent_or_subtype');
        const known = this.treaters(family);
        const classes = this.nb(o, 'in_class', 'out').filter((c) => this.nb(c, 'in_class', 'in').length <= BROAD_CLASS);
        if ([...known].some((k) => k !== o && classes.some((c) => this.has(k, 'in_class', c)))) out.add('same_class_as_known_answer');
      }
    }
    if (r.type === 'contraindicated' && subjectIsDisease && [...family].some((d) => this.has(key, 'treats', d) || this.has(key, 'palliates', d))) out.add('treats_parent_or_subtype');
    if (answerRole === this.map.nodeTypes.disease && shownFindings.length) {
      for (const o of opts) if (shownFindings.every((f) => this.mayPresent(o, f))) out.add('differential_shares_findings');
    }

    // --- edge trust
    const keyEdges = p.evidence.filter((e) => e.role === 'chain' || (!shownFindings.length && e.role === 'evidence'));
    if (keyEdges.some((e) => this.strong(e) === false)) out.add('weak_edge_key');
    if (p.evidence.filter((e) => e.shown && e.role === 'evidence' && shownFindings.length).some((e) => this.strong(e) === false)) out.add('weak_edge_evidence');

    // --- text
    for (const f of shownFindings) if (f >= 0 && !this.isFinding(f)) out.add('non_finding_in_stem');
    if (/^[a-z]/.test(r.question.trim())) out.add('lower_case_stem');
    const names = [...Object.values(r.options), ...evidence.filter((e) => e.shown).map((e) => (e.head.id === p.answer_node.id ? e.tail.name : e.head.name))];
    for (const o of Object.values(r.options)) if (invertedForm(o)) out.add('inverted_name');
    for (const n of names) if (invertedForm(n) && normal(r.question).includes(normal(n))) out.add('inverted_name');
    if (keyWordInText(r.question, r.answer)) out.add('key_word_in_stem');
    if (p.distractors.some((d) => !(d.reasons ?? [{ fact: d.contradicted_by }]).some((x) => x.fact.holds))) out.add('absent_edge_only_distractor');
    this.reviewChecks(r, key, opts, subjectIsDisease ? subject : -1, subjectIsDisease ? family : null, shownFindings, out);
    return [...out];
  }

  /** the classes of the second clinician review (issue 10): open-world differentials, indication trust, names, cues */
  private reviewChecks(r: QuestionRecord, key: number, opts: number[], subject: number, family: Set<number> | null, shown: number[], out: Set<DefectClass>): void {
    const kg = this.kg;
    const g = this.g;
    const role = g.roleOf(key);
    const known = subject >= 0 ? new Known(g, this.h, subject, family) : null;
    // the diseases each option points to (itself, what it causes, what it treats)
    const pointsTo = (o: number): number[] => {
      if (role === 'disease') return [o];
      if (role === 'pathogen') {
        const all = new Set<number>();
        for (const d of g.nb(o, 'caused_by', 'in')) {
          all.add(d);
          for (const x of this.h.diseaseDescendants(d) ?? []) all.add(x);
        }
        return [...all];
      }
      if (role === 'drug') return [...g.nb(o, 'treats', 'out'), ...g.nb(o, 'palliates', 'out')].slice(0, 60);
      return [];
    };
    if (shown.length && subject >= 0) {
      const systems = this.diff.pictureSystems(shown);
      const against: number[] = [];
      for (const o of opts) {
        for (const d of pointsTo(o)) {
          if (family?.has(d)) continue;
          against.push(d);
          if (this.diff.competes(d, subject, shown, role === 'disease', systems)) out.add('competing_differential');
        }
      }
      if (this.diff.discriminating(shown, against) < 0) out.add('no_discriminating_finding');
      if (this.diff.needsPremise(subject)) out.add('needs_unstated_premise');
      const premise = premiseOf(subject, g, this.h);
      if (premise && !r.question.startsWith(premise)) out.add('needs_unstated_premise');
      for (let i = 0; i < shown.length; i++) for (let j = i + 1; j < shown.length; j++) if (this.pic.restate(shown[i]!, shown[j]!)) out.add('restating_findings');
      for (const f of shown) if (isBlockedFinding(kg.nodeName(f))) out.add('non_finding_in_stem');
    }
    // known harms stated as treatment: the key of a treatment item, the wrong options of an EXCEPT item
    if (subject >= 0 && (r.type === 'treatment' || r.type === 'two_hop_treatment') && knownHarm(kg, key, subject)) out.add('known_harm');
    if (subject >= 0 && r.type === 'contraindicated' && opts.some((o) => knownHarm(kg, o, subject))) out.add('known_harm');
    if (subject >= 0 && !shown.length && (r.type === 'treatment' || r.type === 'contraindicated') && isUmbrellaDisease(kg.nodeName(subject), this.h.diseaseDescendants(subject)?.size ?? Infinity)) out.add('umbrella_disease');
    if (/\. The [^.?]* (is|are) involved\./.test(r.question)) out.add('filler_sentence');
    // a referral clause anywhere ("A patient referred to endocrinology presents with …"): the graph's specialty is no
    // finding, often wrong (scurvy → endocrinology) and a cue when right (SLE → rheumatology) — review round 3, N4
    if (/\breferred to [a-z]/i.test(r.question)) out.add('filler_sentence');
    if (r.type === 'contraindicated' && known) {
      for (const o of opts) {
        if (!g.hasStrong(o, 'treats', subject) || this.judges.preventionOnly(o, known) || this.judges.complicationIndication(o, known) >= 0 || this.judges.aloneInItsClasses(o, known)) out.add('weak_indication_distractor');
      }
    }
    if (role === 'anatomy' && known) {
      const sys = new Set<string>();
      for (const s of known.ofFamily('localizes')) for (const x of this.h.anatomySystems(s)) sys.add(x);
      const anc = this.h.diseaseAncestors(subject);
      for (const d of family ?? [subject]) {
        if (anc.has(d)) continue;
        for (const f of g.nb(d, 'presents', 'out')) for (const x of organSystems(findingPhrase(kg.nodeName(f)))) sys.add(x);
      }
      for (const o of opts) if (this.h.anatomySystems(o).some((x) => sys.has(x))) out.add('anatomy_same_system');
    }
    if (r.type === 'target_pathway') {
      const chain = r.provenance!.evidence.filter((e) => e.role === 'chain');
      const disease = chain[0] ? kg.findById(chain[0].tail.id) : -1;
      const root = kg.findById('DOID:0050117');
      if (disease >= 0 && (g.nb(disease, 'caused_by', 'out').length > 0 || (root >= 0 && this.h.diseaseAncestors(disease).has(root)))) out.add('off_target_chain');
    }
    // the names as the item shows them (a record made from an older graph keeps its own)
    if (role === 'pathogen') for (const o of Object.values(r.options)) if (isAboveGenus(o) || ICTV_BINOMIAL.test(o)) out.add('unclinical_option_name');
    if (role === 'pharmacologic_class' || role === 'pathway') {
      if (role === 'pharmacologic_class') for (const o of [key, ...opts]) if (isMechanismPhrase(kg.nodeName(o))) out.add('mechanism_phrase_option');
      const names = Object.values(r.options);
      const caps = names.map(hasInnerCapital);
      const at = Object.keys(r.options).indexOf(r.answer_idx);
      const others = caps.filter((_, i) => i !== at);
      if (caps[at] ? !others.some(Boolean) : others.every(Boolean)) out.add('casing_cue');
    }
    const all = [key, ...opts];
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        const a = all[i]!;
        const b = all[j]!;
        if (role === 'pharmacologic_class' && i > 0 && (this.h.classesShareMember(a, b) || classNamesNested(kg.nodeName(a), kg.nodeName(b)))) out.add('nested_options');
        if (role === 'drug' && r.type !== 'contraindicated' && i > 0 && drugNamesAlike(kg.nodeName(a), kg.nodeName(b))) out.add('nested_options');
      }
    }
  }

  private treatersCache = new Map<Set<number>, Set<number>>();
  private treaters(family: Set<number>): Set<number> {
    let s = this.treatersCache.get(family);
    if (!s) {
      s = new Set<number>();
      for (const d of family) for (const role of ['treats', 'palliates']) for (const x of this.nb(d, role, 'in')) s.add(x);
      this.treatersCache.clear();
      this.treatersCache.set(family, s);
    }
    return s;
  }

  /** may disease x present finding f: x, an ancestor or a subtype presents f, a narrower finding or its direct broader one */
  private mayPresent(x: number, f: number): boolean {
    const fam = new Set<number>([f, ...this.nb(f, 'symptom_is_a', 'out'), ...this.closure(f, ['symptom_is_a'], 'in', 200)]);
    const diseases = [x, ...this.closure(x, ['is_a'], 'out'), ...this.closure(x, ['is_a'], 'in', 60)];
    return diseases.some((d) => this.nb(d, 'presents', 'out').some((y) => fam.has(y)));
  }

  /** a finding, not a heading, a body measurement or a named condition */
  private isFinding(f: number): boolean {
    const name = this.kg.nodeName(f);
    if (/\b(Manifestations|Signs and Symptoms|Symptoms|Disorders)\b|^Body (Weight|Temperature)|(^|\s)Weight$|\b(Syndromes?|Disease)\b/.test(name)) return false;
    return !/^(symptom|general symptom|.* system symptom)$/i.test(name);
  }

}

const normal = (s: string) => ` ${s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()} `;

/** "Obesity, Abdominal", "hearing loss, noise-induced": a name followed by a comma and a short qualifier */
function invertedForm(name: string): boolean {
  const m = /^([^,]+), ([^,]+)$/.exec(name.trim());
  if (!m) return false;
  const q = m[2]!;
  return q.split(/\s+/).length <= 3 && !/\d|^(and|or|with|type|due|not)\b/i.test(q);
}

/** a content word of the key (5+ letters, not generic) that starts a word of the text, by its first five letters */
function keyWordInText(text: string, key: string): boolean {
  const words = (s: string) => s.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 5 && !GENERIC_WORDS.has(w));
  const stems = new Set(words(key).map((w) => w.slice(0, 5)));
  return words(text).some((w) => stems.has(w.slice(0, 5)));
}

/** a class name without case, hyphens, plural and the generic "agent/drug" heads */
function conceptOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/\banti[\s-]+/g, 'anti')
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !/^(agents?|drugs?|class)$/.test(w))
    .map((w) => w.replace(/s$/, ''))
    .sort()
    .join(' ');
}

/** an ICTV species binomial of a virus ("Orthoflavivirus omskense", "Lymphocryptovirus humangamma4") */
const ICTV_BINOMIAL = /^[A-Z][a-z]*virus [a-z][a-z0-9]+$/;

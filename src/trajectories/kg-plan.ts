/**
 * What the built-in teacher will say about one item, before any wording: the findings, the
 * condition they point to, the hidden hops to the answer, and for EVERY other option a
 * positive clinical reason it is wrong. Each fact is one the graph asserts strongly
 * (trust.ts, the synthesis edge-trust policy) and is worded no more strongly than the
 * graph backs (teachable.ts). The reasons, by what the option is:
 *  - a drug: what it is used for instead (its own indication, not the condition in
 *    question nor a relative of it), with its class; in an EXCEPT item, that it does treat
 *    the condition;
 *  - a drug class: a member and what that member is used for; a gene: a drug that targets
 *    it and what that drug is for; a pathway: a gene in it, the drug targeting that gene,
 *    and that drug's use;
 *  - a structure: a disease of which it is THE site (its only site);
 *  - a disease (diagnosis) or the disease an organism causes: why that disease does not fit
 *    the picture — a shown finding it cannot account for (only where its own picture is well
 *    described and nothing of it touches that finding's body system, teachable.ts). A hallmark
 *    of the option missing from the stem would be a reason too, but the graph cannot tell a
 *    hallmark from an odd annotation often enough ("aspiration pneumonitis … stroke"): of 3,000
 *    items it would have saved 21 chains, so the teacher does not argue that way.
 * An option with no such reason makes the item one the teacher skips (a weak chain teaches
 * worse than none); so does a shown or hidden fact the graph asserts only weakly.
 */
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { USE_CLASS } from '../synthesis/judges';
import { classRank } from '../synthesis/canonical-key';
import { isNonspecificFinding } from '../synthesis/picture';
import type { Distractor, NodeRef, QuestionRecord, Triple } from '../synthesis/record';
import { letterOfOption } from './options';
import { display } from './phrasing';
import { Teachable } from './teachable';

/** a fact in its template role's direction ("treats": drug → disease) */
export interface Fact {
  head: NodeRef;
  role: string;
  tail: NodeRef;
}

export type RuleOutKind = 'conflict' | 'indication' | 'class_use' | 'target_of' | 'pathway_target' | 'site_of' | 'cause' | 'differential';

export interface RuleOut {
  letter: string;
  option: NodeRef;
  kind: RuleOutKind;
  /** positive facts from the option outward (its indication, a member and its use, the disease it causes …) */
  facts: Fact[];
  /** the option drug's (specific) class, said beside its indication */
  classOf?: Fact;
  /** a shown finding the disease in question (the option, or the one it causes/treats) cannot account for */
  unexplained?: { disease: NodeRef; finding: NodeRef };
  /**
   * site_of: what makes the structure wrong for THIS disease (review round 3, N12): the organ
   * system the key lies in and the option lies outside, or, where the systems do not separate
   * them, the key itself (the disease's own site) — the other disease living there comes second.
   */
  apart?: { disease: NodeRef; system?: string; site: NodeRef };
}

export interface Plan {
  type: string;
  /** a picture stem (findings) or a named one (a disease or a drug is named) */
  stem: 'picture' | 'named';
  answer: NodeRef;
  letter: string;
  /** shown findings, in the order the stem lists them */
  findings: NodeRef[];
  /** other shown facts of the picture (specialty, site) */
  context: Fact[];
  /** the condition the findings point to (the answer of a diagnosis item), or the condition a named stem names */
  condition: NodeRef | null;
  /** the entity a named stem names (a disease or a drug) */
  subject: NodeRef | null;
  /** the stated link(s) to the answer: the shown fact of a one-hop item, the hidden hops of a chain */
  hops: Fact[];
  /** what the stem's drug is used for (drug class / mechanism), or the EXCEPT answer's own use */
  subjectUse: Fact | null;
  /** one more fact about the answer (a drug's class, another member of a class) */
  detail: Fact | null;
  outs: RuleOut[];
}

export interface Skip {
  kind: 'no_positive_reason' | 'weak_fact' | 'off_target' | 'unknown_entity';
  reason: string;
}

/** a class with more members than this is too broad to say what a drug is ("Central Nervous System Agents") */
const SPECIFIC_CLASS = 60;

export class Planner {
  readonly t: Teachable;
  private readonly index = new Map<string, number>();
  private readonly roleOfName = new Map<string, { role: string; reversed: boolean }>();

  constructor(readonly kg: KnowledgeGraph, teachable?: Teachable) {
    this.t = teachable ?? new Teachable(kg);
    for (const [role, r] of Object.entries(this.t.g.map.relations)) if (r && !this.roleOfName.has(r.name)) this.roleOfName.set(r.name, { role, reversed: r.reversed });
  }

  plan(q: QuestionRecord): Plan | Skip {
    const p = q.provenance!;
    const shownAll = p.evidence.filter((e) => e.shown && e.role === 'evidence').map((e) => this.fact(e));
    const chain = p.evidence.filter((e) => e.role === 'chain').map((e) => this.fact(e));
    // a drug → gene hop for an infection: the graph's targets are human proteins, so the link is an off-target
    // effect, not how the drug treats it (doxycycline → MMP1 for anthrax); synthesis drops such chains
    // (engine.ts chainProblem) and the teacher does not teach one from an older file either
    const treated = chain.find((f) => f.role === 'treats');
    if (treated && chain.some((f) => f.role === 'targets') && this.infectious(this.node(treated.tail.id)))
      return { kind: 'off_target', reason: `question ${q.id}: "${chain.find((f) => f.role === 'targets')!.head.name} targets ${chain.find((f) => f.role === 'targets')!.tail.name}" is not how it treats ${treated.tail.name}, an infection` };
    for (const f of [...shownAll, ...chain]) {
      const h = this.node(f.head.id);
      const tl = this.node(f.tail.id);
      if (h < 0 || tl < 0) return { kind: 'unknown_entity', reason: `question ${q.id}: ${f.head.name} or ${f.tail.name} is not in this graph` };
      if (!this.t.strong(h, f.role, tl)) return { kind: 'weak_fact', reason: `question ${q.id}: "${f.head.name} ${f.role} ${f.tail.name}" is asserted only weakly by the graph, so the chain cannot teach it` };
      if (f.role === 'in_class' && !this.soundMember(h, tl)) return { kind: 'weak_fact', reason: `question ${q.id}: "${f.head.name} is in class ${f.tail.name}" is a ChEBI role no other class system confirms, so the chain cannot teach it` };
    }
    const findingFacts = shownAll.filter((f) => f.role === 'presents');
    const picture = findingFacts.length > 0;
    const answer = p.answer_node;
    const letter = q.answer_idx;
    const condition = picture ? findingFacts[0]!.head : null;
    const stemPos = (n: NodeRef) => {
      const i = q.question.toLowerCase().indexOf(display(n).toLowerCase());
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    const findings = findingFacts.map((f) => f.tail).sort((a, b) => stemPos(a) - stemPos(b));
    const context = shownAll.filter((f) => f.role !== 'presents');
    const named = !picture ? (shownAll[0] ?? null) : null;
    // the node a named stem names: the end of its one shown fact that is not the answer
    const subject = named ? (named.head.id === answer.id ? named.tail : named.head) : null;
    const hops = picture ? chain : named ? [named] : chain;
    const K = condition ?? (subject && this.roleOfType(subject.type) === 'disease' ? subject : null);
    const kIdx = K ? this.node(K.id) : -1;
    const shownIdx = findings.map((f) => this.node(f.id));

    // the key's own hidden nodes: the drugs, genes the answer path runs through
    const keyDrugs = new Set([...hops, ...chain].flatMap((f) => [f.head, f.tail]).filter((n) => this.roleOfType(n.type) === 'drug').map((n) => this.node(n.id)));
    const keyGenes = new Set([...hops, ...chain].flatMap((f) => [f.head, f.tail]).filter((n) => this.roleOfType(n.type) === 'gene').map((n) => this.node(n.id)));
    const avoidDiseases = kIdx >= 0 ? [kIdx] : [];
    // a stem drug's indications (drug class, mechanism): another class's member used for the same is no contrast
    const subjDrug = subject && this.roleOfType(subject.type) === 'drug' ? this.node(subject.id) : -1;
    const subjIndications = subjDrug >= 0 ? Array.from(this.t.g.strongNb(subjDrug, 'treats', 'out')) : [];

    let subjectUse: Fact | null = null;
    if (subjDrug >= 0) {
      const use = this.indicationOf(subjDrug, [], []);
      if (use >= 0) subjectUse = this.roleFact(subjDrug, 'treats', use);
    }
    if (q.type === 'contraindicated' || hops.some((h) => h.role === 'not_indicated_for')) {
      const a = this.node(answer.id);
      const use = this.indicationOf(a, avoidDiseases, []);
      if (use >= 0) subjectUse = this.roleFact(a, 'treats', use);
    }
    const detail = this.detailOf(answer, [...findings, ...(subject ? [subject] : []), ...chain.flatMap((f) => [f.head, f.tail])]);

    const outs: RuleOut[] = [];
    for (const d of p.distractors) {
      const l = letterOfOption(q, d.name);
      if (!l) return { kind: 'unknown_entity', reason: `question ${q.id}: option "${d.name}" is not among the options` };
      const r = this.ruleOut(d, l, { K: kIdx, answer: this.node(answer.id), shown: shownIdx, keyDrugs, keyGenes, avoidDiseases, subjIndications, subjDrug, except: q.type === 'contraindicated' || hops.some((h) => h.role === 'not_indicated_for') });
      if (!r) return { kind: 'no_positive_reason', reason: `question ${q.id}: no positive clinical reason the graph backs to rule out (${l}) ${d.name}` };
      outs.push(r);
    }
    return { type: q.type, stem: picture ? 'picture' : 'named', answer, letter, findings, context, condition, subject, hops, subjectUse, detail, outs };
  }

  private ruleOut(
    d: Distractor,
    letter: string,
    c: { K: number; answer: number; shown: number[]; keyDrugs: Set<number>; keyGenes: Set<number>; avoidDiseases: number[]; subjIndications: number[]; subjDrug: number; except: boolean },
  ): RuleOut | null {
    const x = this.node(d.id);
    if (x < 0) return null;
    const option: NodeRef = { id: d.id, type: d.type, name: d.name };
    const role = this.roleOfType(d.type);
    const via = (d.via ?? []).map((t) => this.fact(t));
    const viaNodes = (r: string) => via.filter((f) => f.role === r);
    switch (role) {
      case 'drug': {
        if (c.except) {
          // an EXCEPT item: the other drugs are ruled out because they DO treat the condition
          if (c.K < 0 || !this.t.strong(x, 'treats', c.K)) return null;
          return { letter, option, kind: 'conflict', facts: [this.roleFact(x, 'treats', c.K)], ...this.classPart(x) };
        }
        const prefer = viaNodes('treats').filter((f) => f.head.id === d.id).map((f) => this.node(f.tail.id));
        const use = this.indicationOf(x, c.avoidDiseases, prefer);
        if (use < 0) return null;
        const out: RuleOut = { letter, option, kind: 'indication', facts: [this.roleFact(x, 'treats', use)], ...this.classPart(x) };
        if (c.shown.length) Object.assign(out, this.pictureReason(use, c.shown));
        return out;
      }
      case 'pharmacologic_class': {
        const prefer = viaNodes('in_class').map((f) => this.node(f.head.id));
        const avoid = [...c.avoidDiseases, ...c.subjIndications];
        const exclude = new Set([...c.keyDrugs, c.subjDrug]);
        // the member that shows what the class is for: another class system confirms its membership (amlodipine, not
        // gabapentin, for "calcium channel blockers"), and its use is the class's typical one (fluoxetine for depression,
        // not olanzapine for schizophrenia, among "serotonin uptake inhibitors")
        const typical = this.typicalUses([x], -1, true);
        const ranked = [...new Set([...prefer.filter((m) => m >= 0), ...this.byDegree(this.t.g.strongNb(x, 'in_class', 'in')).slice(0, 40)])];
        let best: { m: number; use: number; score: number } | null = null;
        // without a use that differs from the stem drug's (clopidogrel beside pravastatin: both for coronary disease),
        // the soundly held member alone is still a positive fact: the class is one the stem drug is not in
        let member = -1;
        for (const m of ranked) {
          if (exclude.has(m) || !this.t.strong(m, 'in_class', x) || !this.soundMember(m, x)) continue;
          if (member < 0) member = m;
          const use = this.indicationOf(m, avoid, viaNodes('treats').filter((f) => this.node(f.head.id) === m).map((f) => this.node(f.tail.id)), [x]);
          if (use < 0) continue;
          const score = (typical.get(use) ?? 0) * 4 + (this.confirmedMember(m, x) ? 3 : 0);
          if (!best || score > best.score) best = { m, use, score };
        }
        if (best) return { letter, option, kind: 'class_use', facts: [this.roleFact(best.m, 'in_class', x), this.roleFact(best.m, 'treats', best.use)] };
        return member >= 0 ? { letter, option, kind: 'class_use', facts: [this.roleFact(member, 'in_class', x)] } : null;
      }
      case 'gene': {
        const exclude = new Set([...c.keyDrugs, c.subjDrug]);
        const prefer = viaNodes('targets').map((f) => this.node(f.head.id));
        for (const d2 of [...prefer, ...this.byDegree(this.t.g.strongNb(x, 'targets', 'in'))]) {
          if (d2 < 0 || exclude.has(d2) || !this.t.strong(d2, 'targets', x)) continue;
          const facts = [this.roleFact(d2, 'targets', x)];
          const use = this.indicationOf(d2, [...c.avoidDiseases, ...c.subjIndications], []);
          if (use >= 0) facts.push(this.roleFact(d2, 'treats', use));
          return { letter, option, kind: 'target_of', facts };
        }
        return null;
      }
      case 'pathway': {
        const prefer = viaNodes('participates_pathway').map((f) => this.node(f.head.id));
        const genes = [...prefer, ...this.byDegree(this.t.g.strongNb(x, 'participates_pathway', 'in')).slice(0, 40)];
        for (const g of genes) {
          if (g < 0 || c.keyGenes.has(g) || !this.t.strong(g, 'participates_pathway', x)) continue;
          // a target of one of the key's drugs in this pathway would make it a right answer too
          if (Array.from(this.t.g.nb(g, 'targets', 'in')).some((dr) => c.keyDrugs.has(dr))) return null;
          const preferDrugs = viaNodes('targets').filter((f) => this.node(f.tail.id) === g).map((f) => this.node(f.head.id));
          for (const d2 of [...preferDrugs, ...this.byDegree(this.t.g.strongNb(g, 'targets', 'in')).slice(0, 20)]) {
            if (d2 < 0 || c.keyDrugs.has(d2) || !this.t.strong(d2, 'targets', g)) continue;
            const use = this.indicationOf(d2, c.avoidDiseases, viaNodes('treats').filter((f) => this.node(f.head.id) === d2).map((f) => this.node(f.tail.id)));
            if (use < 0) continue;
            return { letter, option, kind: 'pathway_target', facts: [this.roleFact(g, 'participates_pathway', x), this.roleFact(d2, 'targets', g), this.roleFact(d2, 'treats', use)] };
          }
        }
        return null;
      }
      case 'anatomy': {
        // the question's disease must not reach this structure (a second right answer): synthesis checks it; so does the teacher
        if (c.K >= 0) for (const s of this.t.g.nb(c.K, 'localizes', 'out')) if (this.t.h.anatomyOverlaps(s, x)) return null;
        const prefer = (d.reasons ?? []).filter((r) => r.fact.holds && this.fact(r.fact).role === 'localizes').map((r) => this.node(this.fact(r.fact).head.id));
        for (const dz of [...prefer, ...this.byDegree(this.t.g.strongNb(x, 'localizes', 'in'))]) {
          if (dz < 0 || (c.K >= 0 && this.near(dz, c.K))) continue;
          // its sole site, and "nose disease is the site of nose" teaches nothing (the shared rule, synthesis/rule-out.ts)
          if (!this.t.ro.siteTeaches(dz, x)) continue;
          return { letter, option, kind: 'site_of', facts: [this.roleFact(dz, 'localizes', x)], ...this.apart(c.K, c.answer, x) };
        }
        return null;
      }
      case 'pathogen': {
        if (c.K < 0 || !c.shown.length) return null;
        // the shared rule (rule-out.ts, N8): no disease the organism causes may present the picture
        if (this.t.ro.organismMayFit(x, c.K, c.shown) >= 0) return null;
        const prefer = viaNodes('caused_by').filter((f) => f.tail.id === d.id).map((f) => this.node(f.head.id));
        for (const dz of [...prefer, ...this.byDegree(this.t.g.strongNb(x, 'caused_by', 'in'))]) {
          if (dz < 0 || this.near(dz, c.K) || !this.t.strong(dz, 'caused_by', x)) continue;
          const why = this.pictureReason(dz, c.shown);
          if (!why.unexplained) continue;
          return { letter, option, kind: 'cause', facts: [this.roleFact(dz, 'caused_by', x)], ...why };
        }
        return null;
      }
      case 'disease': {
        if (c.K < 0 || !c.shown.length) return null;
        const why = this.pictureReason(x, c.shown);
        if (!why.unexplained) return null;
        return { letter, option, kind: 'differential', facts: [], ...why };
      }
      default:
        return null;
    }
  }

  /** the key's organ system that structure x lies outside (or just the key's site), said first when x is ruled out */
  private apart(K: number, answer: number, x: number): Pick<RuleOut, 'apart'> {
    if (K < 0 || answer < 0) return {};
    const kg = this.t.g.kg;
    const ref = (i: number): NodeRef => ({ id: kg.nodeId(i), type: kg.header.nodeTypes[kg.nodeTypeIndex(i)]!, name: kg.nodeName(i) });
    const mine = this.t.h.anatomySystems(answer);
    const theirs = this.t.h.anatomySystems(x);
    const system = mine.length === 1 && !theirs.includes(mine[0]!) ? mine[0] : undefined;
    return { apart: { disease: ref(K), site: ref(answer), ...(system ? { system } : {}) } };
  }

  /** why disease X does not fit the picture: a shown finding it cannot account for (the most specific first) */
  private pictureReason(x: number, shown: number[]): Pick<RuleOut, 'unexplained'> {
    const f = this.t.ro.unexplained(x, shown);
    return f < 0 ? {} : { unexplained: { disease: this.t.g.ref(x), finding: this.t.g.ref(f) } };
  }

  /**
   * What drug x is for: a strong indication that is not near a disease to avoid. Ranked by how
   * typical it is of the drug's kind (how many drugs of its specific classes, or of `classes`,
   * share it: "analgesics … pain", not "… common cold"), then by support (label and physician
   * curated), then by how well known the disease is; a stored path's indication is kept when it
   * ranks as high as any.
   */
  private indicationOf(x: number, avoid: number[], prefer: number[], classes?: number[]): number {
    const all = this.byDegree(this.t.g.strongNb(x, 'treats', 'out'));
    const typical = this.typicalUses(classes ?? this.specificClasses(x), x, classes !== undefined);
    const score = (d: number) => (typical.get(d) ?? 0) * 16 + this.t.support(x, 'treats', d);
    const scores = new Map(all.map((d) => [d, score(d)]));
    all.sort((a, b) => scores.get(b)! - scores.get(a)!);
    const best = all.length ? scores.get(all[0]!)! : 0;
    const cands = [...prefer.filter((d) => d >= 0 && score(d) >= best), ...all];
    for (const c of cands) {
      if (c < 0 || !this.t.strong(x, 'treats', c)) continue;
      if (avoid.some((a) => this.near(a, c))) continue;
      // a broad grouping ("cancer", "infectious disease") says little of what the drug is for
      if (this.t.h.diseaseDescendants(c) === null) continue;
      return c;
    }
    return -1;
  }

  /** disease → how many other members of these classes strongly treat it */
  private typicalUses(classes: number[], except: number, anySize = false): Map<number, number> {
    const out = new Map<number, number>();
    const seen = new Set<number>([except]);
    for (const c of classes) {
      const members = this.t.g.strongNb(c, 'in_class', 'in');
      if (!anySize && members.length > SPECIFIC_CLASS * 4) continue;
      for (let i = 0; i < members.length; i++) {
        const m = members[i]!;
        if (seen.has(m)) continue;
        seen.add(m);
        for (const d of this.t.g.strongNb(m, 'treats', 'out')) out.set(d, (out.get(d) ?? 0) + 1);
      }
    }
    return out;
  }

  private specificClasses(x: number): number[] {
    return Array.from(this.t.g.strongNb(x, 'in_class', 'out')).filter((c) => {
      const n = this.t.h.classSize(c);
      return n >= 2 && n <= SPECIFIC_CLASS;
    });
  }

  private infectiousRoot = -2;
  /** a disease by infectious agent: one with a cause, or in DO's branch (as synthesis/engine.ts reads it) */
  private infectious(d: number): boolean {
    if (d < 0) return false;
    if (this.infectiousRoot === -2) this.infectiousRoot = this.kg.findById('DOID:0050117');
    if (this.t.g.nb(d, 'caused_by', 'out').length) return true;
    return this.infectiousRoot >= 0 && this.t.h.diseaseAncestors(d).has(this.infectiousRoot);
  }

  /** is "drug m belongs to class c" sound enough to teach? (the shared rule, synthesis/rule-out.ts) */
  soundMember(m: number, c: number): boolean {
    return this.t.ro.soundMember(m, c);
  }

  private confirmedMember(m: number, c: number): boolean {
    return this.t.ro.confirmedMember(m, c);
  }

  /** the same disease, an ancestor or descendant, or a sibling under a narrow parent (the shared rule, synthesis/rule-out.ts) */
  private near(a: number, b: number): boolean {
    return this.t.ro.near(a, b);
  }

  /** a drug's most specific strong class, to say what kind of drug it is */
  private classPart(x: number): { classOf?: Fact } {
    // a mechanism class says what kind of drug it is; a use class ("anti-asthmatic drug" for hydrocortisone) can mislead
    const classes = this.specificClasses(x).filter((c) => !USE_CLASS.test(this.kg.nodeName(c)) && this.soundMember(x, c));
    // the FDA's established classes first, then mechanism classes, MeSH, (confirmed) ChEBI roles (synthesis/canonical-key.ts); the most specific within each
    const rank = (c: number) => classRank(this.kg.nodeId(c), this.kg.nodeName(c));
    classes.sort((a, b) => rank(a) - rank(b) || this.t.h.classSize(a) - this.t.h.classSize(b) || a - b);
    return classes.length ? { classOf: this.roleFact(x, 'in_class', classes[0]!) } : {};
  }

  /** one more fact about the answer: a drug's specific class; another member of a class */
  private detailOf(answer: NodeRef, said: NodeRef[]): Fact | null {
    const a = this.node(answer.id);
    if (a < 0) return null;
    const saidIds = new Set(said.map((n) => n.id));
    const role = this.roleOfType(answer.type);
    if (role === 'drug') {
      const c = this.classPart(a).classOf;
      return c && !saidIds.has(c.tail.id) ? c : null;
    }
    if (role === 'pharmacologic_class') {
      const m = this.byDegree(this.t.g.strongNb(a, 'in_class', 'in')).find((x) => !saidIds.has(this.kg.nodeId(x)) && this.soundMember(x, a));
      return m === undefined ? null : this.roleFact(m, 'in_class', a);
    }
    return null;
  }

  private byDegree(list: ArrayLike<number>): number[] {
    return Array.from(list).sort((a, b) => this.kg.degree[b]! - this.kg.degree[a]! || a - b);
  }

  private roleFact(h: number, role: string, t: number): Fact {
    return { head: this.t.g.ref(h), role, tail: this.t.g.ref(t) };
  }

  /** a stored triple in its role's direction */
  fact(t: Triple): Fact {
    const r = this.roleOfName.get(t.relation);
    if (!r) return { head: t.head, role: t.relation, tail: t.tail };
    return r.reversed ? { head: t.tail, role: r.role, tail: t.head } : { head: t.head, role: r.role, tail: t.tail };
  }

  roleOfType(type: string): string | undefined {
    for (const [role, name] of Object.entries(this.t.g.map.nodeTypes)) if (name === type) return role;
    return undefined;
  }

  node(id: string): number {
    let n = this.index.get(id);
    if (n === undefined) this.index.set(id, (n = this.kg.findById(id)));
    return n;
  }
}

export const isSkip = (x: Plan | Skip): x is Skip => 'kind' in x && !('outs' in x);

export { isNonspecificFinding };

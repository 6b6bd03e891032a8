/**
 * The built-in, offline teacher. It reasons the way a clinician explains an item:
 *  1. from the stated findings to what they point to (the recorded features of the
 *     hidden condition, or of the answer itself for one-hop items);
 *  2. the hidden hop(s) the question asks for ("it is treated with …", "… is caused by …");
 *  3. why the answer fits;
 *  4. each other option ruled out by POSITIVE facts: what the option (or the condition it
 *     belongs to) is recorded for instead — "glibenclamide is used to treat type 2 diabetes
 *     mellitus", "intracranial hypertension presents with papilledema" — and a negative
 *     only where the graph supports one (absence.ts), phrased as "not among the recorded
 *     … of", never as an absolute "X is not …".
 * Distractor reasons stored by synthesis (Distractor.reasons) are used first; the graph,
 * when the teacher has it, adds hallmark findings and judges absences. Four styles
 * (forward, elimination, differential, compact); the style of candidate 0 varies per item
 * with the seed, so pass@1 and the selected chains are not all one style. Deterministic
 * for (seed, question, round, candidate).
 */
import type { EdgeTypeInfo } from '../graph/format';
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import type { Distractor, EvidenceTriple, NodeRef, QuestionRecord, Triple } from '../synthesis/record';
import { Rng } from '../synthesis/rng';
import { hash64 } from '../synthesis/text';
import { AbsenceOracle } from './absence';
import { UnsupportedItemError } from './call-health';
import { display, list, makePhraser, type Phraser } from './phrasing';
import { letterOfOption } from './options';
import { drawNumber } from './select';
import { EdgeStrength } from './trust';
import { capitalize } from './text';
import type { Teacher, TeacherRequest } from './types';

export const KG_STYLES = ['evidence_first', 'elimination', 'hypothesis', 'compact'] as const;
export type KgStyle = (typeof KG_STYLES)[number];

/** Everything the teacher says about one wrong option. */
export interface RuleOut {
  letter: string;
  option: NodeRef;
  /** the option's own link to the node that competes with the key's (multi-hop items), from the option outward */
  path: Triple[];
  /** the node the discriminating facts are about: the option itself, or the competing node its path reaches */
  subject: NodeRef;
  /** positive facts about `subject` with counterparts the stem does not have (hallmarks, other indications, other members …) */
  positives: Triple[];
  /** an informative absence (the stored contradiction when the graph supports it), or null */
  absence: Triple | null;
  /** a stored fact that holds and conflicts with the stem (contraindication items), or null */
  conflict: Triple | null;
}

const SUBJECT = '\u0001';

export class KgTeacher implements Teacher {
  readonly id = 'kg';
  private readonly phraser: Phraser;
  private readonly kg: KnowledgeGraph | null;
  private readonly absence: AbsenceOracle | null;
  private readonly strength: EdgeStrength | null;
  private readonly byId = new Map<string, number>();

  /** with the graph, rule-outs add hallmark facts and informative absences; with edge types only, just the stored reasons */
  constructor(graph: KnowledgeGraph | readonly EdgeTypeInfo[] = []) {
    const edgeTypes = 'header' in graph ? graph.header.edgeTypes : graph;
    this.phraser = makePhraser(Object.fromEntries(edgeTypes.map((e) => [e.name, { label: e.label, inverseLabel: e.inverseLabel }])));
    this.kg = 'header' in graph ? graph : null;
    this.absence = this.kg ? new AbsenceOracle(this.kg) : null;
    this.strength = this.kg ? new EdgeStrength(this.kg) : null;
  }

  async generate(req: TeacherRequest): Promise<string> {
    if (req.signal?.aborted) throw req.signal.reason ?? new Error('aborted');
    return this.write(req);
  }

  /** refinement strategies map to styles; otherwise candidate c of an item gets style (c + an offset drawn from seed and item) */
  styleOf(req: Pick<TeacherRequest, 'round' | 'candidate' | 'seed'> & { refinement?: TeacherRequest['refinement']; question: Pick<QuestionRecord, 'id'> }): KgStyle {
    if (req.refinement) return req.refinement.strategy === 'path_exploration' ? 'hypothesis' : req.refinement.strategy === 'backtracking' ? 'evidence_first' : 'compact';
    const offset = drawNumber(`style|${req.seed}|${req.question.id}`);
    return KG_STYLES[(req.candidate + offset) % KG_STYLES.length]!;
  }

  /** synchronous core, for the CLI's hot loop and for tests */
  write(req: Omit<TeacherRequest, 'signal' | 'onToken'>): string {
    const q = req.question;
    const p = q.provenance;
    if (!p) throw new UnsupportedItemError(`question ${q.id}: the KG teacher needs synthesis provenance (an imported item has none; use an LLM teacher for it)`);
    const rng = new Rng(Number.parseInt(hash64(`${req.seed}|${q.id}|${req.round}|${req.candidate}`).slice(0, 8), 16));
    const style = this.styleOf(req);
    const ph = this.phraser;
    const v = () => rng.int(6);
    const letterOf = (id: string, name: string) => letterOfOption(q, name) ?? (id === p.answer_node.id ? q.answer_idx : '?');
    const answerTag = `(${q.answer_idx}) ${display(p.answer_node)}`;

    const shown = p.evidence.filter((e) => e.shown && e.role === 'evidence');
    const chain = p.evidence.filter((e) => e.role === 'chain');
    const anchor = anchorNode(shown, chain, p.answer_node);
    const stemIds = new Set(shown.flatMap((e) => [e.head.id, e.tail.id]).filter((id) => id !== anchor.id));
    const keyIds = new Set([anchor.id, p.answer_node.id, ...chain.flatMap((e) => [e.head.id, e.tail.id])]);

    // 1. the findings and what they point to
    const groups = groupFacts(shown);
    const evidence = groups.map((g) => ph.facts(g.rel, g.one, g.many, { oneIs: g.oneIs, from: rng.chance(0.5) ? 'one' : 'many', variant: v() }));
    const stemNames = list(groups.flatMap((g) => g.many.map(display)));
    // 2. the hidden hops, read from the anchor outward
    const walk = chain.map((t, i) => ph.fact(t, { from: t.head.id === (i === 0 ? anchor.id : chainNode(chain, i - 1)) ? 'head' : 'tail', variant: v() }));
    const asked = askedFor(p.answer_node.type, chain);
    // 3. why the answer fits, with one more thing the graph records about it
    const extra = this.answerDetail(p.answer_node, stemIds, keyIds);
    // 4. the other options
    const order = rng.shufflePrefix(p.distractors.slice());
    const brief = style === 'compact';
    // the key's hidden nodes (the condition, the drug, the target), which a competing path's nodes stand against
    const keyNodes = [anchor, ...chain.flatMap((e) => [e.head, e.tail])].filter((n, i, a) => n.id !== p.answer_node.id && a.findIndex((m) => m.id === n.id) === i);
    const outs = order.map((d) => this.ruleOutOf(d, letterOf(d.id, d.name), stemIds, keyIds, brief ? 1 : 2, keyNodes));
    // an EXCEPT item: the other options are ruled out because they DO hold (they treat the disease)
    const contraindication = outs.length > 0 && outs.every((r) => r.conflict);
    const sayOut = (r: RuleOut) => this.sayRuleOut(r, rng, { absence: true, anchor: chain.length ? anchor : null });

    const sentences: string[] = [];
    const pointsTo = chain.length && evidence.length ? [...evidence.slice(0, -1), `${evidence[evidence.length - 1]}, so the findings point to ${display(anchor)}`] : evidence;
    const hop = chain.length ? [`The question asks for ${asked}`, ...walk] : [];
    const fits = contraindication
      ? `${capitalize(display(p.answer_node))} is the exception the question asks for`
      : chain.length
        ? `So ${answerTag} fits: it is the ${typeNoun(p.answer_node.type)} this chain of facts leads to`
        : `So ${answerTag} fits every stated fact`;
    switch (style) {
      case 'evidence_first':
        if (req.refinement) sentences.push(`Re-examining the starting assumption, I return to the findings themselves`);
        if (contraindication) sentences.push(`The question asks for the exception: a drug not indicated for ${stemNames}`);
        sentences.push(...pointsTo, ...hop);
        if (extra) sentences.push(extra);
        sentences.push(fits);
        for (const r of outs) sentences.push(sayOut(r));
        sentences.push(`The answer is ${q.answer_idx}`);
        break;
      case 'elimination':
        sentences.push(contraindication ? `All options but one are recorded treatments of ${stemNames}; I look for the one that is not` : `I first set aside the options that are recorded for something other than these findings`);
        for (const r of outs) sentences.push(sayOut(r));
        sentences.push(...pointsTo, ...hop);
        if (extra) sentences.push(extra);
        sentences.push(`That leaves ${answerTag}`);
        sentences.push(`The answer is ${q.answer_idx}`);
        break;
      case 'hypothesis': {
        sentences.push(req.refinement ? `Exploring each option as its own hypothesis` : `Each option is a hypothesis to test against the findings`);
        const byLetter = new Map(outs.map((r) => [r.letter, r]));
        for (const l of Object.keys(q.options)) {
          const r = byLetter.get(l);
          if (r) sentences.push(`Testing ${l}: ${lowerFirst(sayOut(r))}`);
          else if (l === q.answer_idx) {
            sentences.push(`Testing ${l}: ${lowerFirst(pointsTo[0] ?? fits)}`);
            sentences.push(...pointsTo.slice(1), ...hop);
            if (extra) sentences.push(extra);
          }
        }
        sentences.push(contraindication ? `Only ${answerTag} is not indicated` : `Only ${answerTag} survives every test`);
        sentences.push(`The answer is ${q.answer_idx}`);
        break;
      }
      case 'compact':
        if (req.refinement) sentences.push(`Correcting the flagged step, I keep only facts of the graph`);
        sentences.push(...(chain.length ? [...evidence, ...walk] : evidence));
        for (const r of outs) sentences.push(sayOut(r));
        sentences.push(`The answer is ${q.answer_idx}`);
        break;
    }
    const think = sentences.filter(Boolean).map((s) => (/[.!?]$/.test(s) ? s : `${s}.`)).join(' ');
    return `<think>${think}</think><answer>${q.answer_idx}</answer>`;
  }

  /**
   * The facts that rule out one distractor: the reasons synthesis stored with it (facts
   * that point elsewhere, a conflict, an informative lack), else its stored contradiction;
   * the discriminating facts are about the end of that contradiction that is neither the
   * stem's nor the key's (the option, or the competing node its path reaches), and the
   * graph adds more of them (other indications, other members, hallmark findings).
   */
  ruleOutOf(d: Distractor, letter: string, stemIds: Set<string>, keyIds: Set<string>, max: number, keyNodes: NodeRef[] = []): RuleOut {
    const f = d.contradicted_by;
    const reasons = d.reasons ?? [];
    const option: NodeRef = { id: d.id, type: d.type, name: d.name };
    const conflictReason = reasons.find((r) => r.kind === 'conflicts' && r.fact.holds);
    // legacy records: a holding contradiction was the conflict of an EXCEPT item
    const conflict = conflictReason?.fact ?? (!reasons.length && f.holds ? f : null);
    const inside = (id: string) => stemIds.has(id) || keyIds.has(id);
    const onVia = (id: string) => id === d.id || (d.via?.some((t) => t.head.id === id || t.tail.id === id) ?? false);
    const subjectIsHead = inside(f.tail.id) && !inside(f.head.id) ? true : inside(f.head.id) && !inside(f.tail.id) ? false : onVia(f.head.id) || !onVia(f.tail.id);
    const subject = subjectIsHead ? f.head : f.tail;
    const other = subjectIsHead ? f.tail : f.head;
    let path = d.via?.length ? orient(d.via, d.id) : [];
    // a one-fact path from the option in the discriminating relation is just one of its positive facts
    const lone = path.length === 1 && path[0]!.relation === f.relation && (path[0]!.head.id === d.id || path[0]!.tail.id === d.id) ? path[0]! : null;
    if (lone) path = [];
    const base = { letter, option, path, subject };
    if (conflict) return { ...base, positives: [], absence: null, conflict: strip(conflict) };
    const said = new Set(path.map(tripleKey));
    const avoid = new Set<string>([...stemIds, ...keyIds, other.id, d.id]);
    const avoidRelatives = this.relativesOf([...stemIds, other.id]);
    const positives: Triple[] = [];
    const seen = new Set<string>();
    const take = (t: Triple, about: NodeRef, limit: number) => {
      const counterpart = t.head.id === about.id ? t.tail : t.head;
      if (positives.length >= limit || said.has(tripleKey(t)) || avoid.has(counterpart.id) || avoidRelatives.has(counterpart.id) || seen.has(counterpart.id)) return;
      // only facts the graph asserts strongly are taught (trust.ts)
      if (!this.isStrong(t)) return;
      seen.add(counterpart.id);
      positives.push(strip(t));
    };
    if (lone) take(lone, option, max);
    // stored positive reasons first (those that extend the path or are about the option), then the discriminating relation from the graph
    for (const r of reasons) {
      if (r.kind !== 'points_elsewhere' || !r.fact.holds) continue;
      const about = [r.fact.head, r.fact.tail].find((n) => n.id === d.id || n.id === subject.id || path.some((t) => t.head.id === n.id || t.tail.id === n.id));
      if (about) take(r.fact, about, max);
    }
    // facts about a node the option does not lead to would read as a non sequitur
    const connected = (id: string) => id === d.id || path.some((t) => t.head.id === id || t.tail.id === id);
    // a holding contradiction already on the path is the reason itself (the pathway involves the other drug's target)
    const primaryOnPath = f.holds && path.some((t) => tripleKey(t) === tripleKey(f));
    if (connected(subject.id) && !primaryOnPath && positives.length < max) {
      for (const t of d.via ?? []) if (t.relation === f.relation && (subjectIsHead ? t.head.id === subject.id : t.tail.id === subject.id)) take(t, subject, max);
      if (this.kg) for (const t of this.graphFacts(subject, f.relation, subjectIsHead ? 'out' : 'in')) take(t, subject, max);
    }
    // an informative lack about the option or a node on its path: a stored one, else the contradiction itself
    let absence: Triple | null = null;
    const lacks: Triple[] = [...reasons.filter((r) => r.kind === 'lacks' && !r.fact.holds).map((r) => r.fact), ...(f.holds ? [] : [f])];
    // a hop of the path with the key's node in place of the node it reaches (the competing drug "is not among the
    // recorded treatments of" the key's condition), last hop first
    const keyByType = new Map(keyNodes.map((n) => [n.type, n]));
    let from = d.id;
    const hops: { t: Triple; farIsTail: boolean }[] = [];
    for (const t of path) {
      const farIsTail = t.head.id === from;
      hops.push({ t, farIsTail });
      from = farIsTail ? t.tail.id : t.head.id;
    }
    for (const { t, farIsTail } of hops.reverse()) {
      const far = farIsTail ? t.tail : t.head;
      const k = keyByType.get(far.type);
      if (!k || k.id === far.id || inside(far.id)) continue;
      lacks.push(farIsTail ? { head: t.head, relation: t.relation, tail: k } : { head: k, relation: t.relation, tail: t.tail });
    }
    for (const l of lacks) {
      if (!connected(l.head.id) && !connected(l.tail.id)) continue;
      if (this.informativeAbsence(l)) {
        absence = strip(l);
        break;
      }
    }
    return { ...base, positives, absence, conflict: null };
  }

  private informativeAbsence(t: Triple): boolean {
    if (!this.kg || !this.absence) return false;
    const h = this.nodeIndex(t.head.id);
    const tt = this.nodeIndex(t.tail.id);
    const rel = this.kg.edgeTypeIndex(t.relation);
    return h >= 0 && tt >= 0 && rel >= 0 && this.absence.judge(h, rel, tt).informative;
  }

  /** one rule-out in words: the option, its path, its positive facts, an informative absence */
  private sayRuleOut(r: RuleOut, rng: Rng, opts: { absence: boolean; anchor: NodeRef | null }): string {
    const ph = this.phraser;
    const tag = `(${r.letter}) ${display(r.option)}`;
    if (r.conflict) {
      const from = r.conflict.head.id === r.option.id ? 'head' : 'tail';
      return `${ph.fact(r.conflict, { from, variant: rng.int(6) })}, so (${r.letter}) is not the exception`;
    }
    const clauses: string[] = [];
    // the option and the path from it, each hop a relative clause on the node reached
    let clause = '';
    let at: NodeRef = r.option;
    for (const t of r.path) {
      const from = t.head.id === at.id ? 'head' : 'tail';
      clause += clause ? `, which${this.predicate(t, from, rng)}` : `${tag}${this.predicate(t, from, rng)}`;
      at = from === 'head' ? t.tail : t.head;
    }
    // positive facts: grouped by the node they are about; about the node reached, they continue the clause
    const groups = new Map<string, { about: NodeRef; rel: string; many: NodeRef[]; aboutIsHead: boolean }>();
    for (const t of r.positives) {
      const aboutIsHead = t.head.id === at.id || t.head.id === r.option.id || t.head.id === r.subject.id || (t.tail.id !== at.id && t.tail.id !== r.option.id && t.tail.id !== r.subject.id && r.path.some((p) => p.head.id === t.head.id || p.tail.id === t.head.id));
      const about = aboutIsHead ? t.head : t.tail;
      const key = `${about.id}|${t.relation}|${aboutIsHead}`;
      const g = groups.get(key) ?? { about, rel: t.relation, many: [], aboutIsHead };
      g.many.push(aboutIsHead ? t.tail : t.head);
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      if (g.about.id === at.id && clause) clause += `, which${this.predicateMany(g.rel, g.about, g.many, g.aboutIsHead, rng)}`;
      else if (g.about.id === r.option.id && !clause) clause = `${tag}${this.predicateMany(g.rel, g.about, g.many, g.aboutIsHead, rng)}`;
      else {
        if (!clause) clause = tag;
        clauses.push(`${display(g.about)}${this.predicateMany(g.rel, g.about, g.many, g.aboutIsHead, rng)}`);
      }
    }
    if (!clause) clause = `${tag} has no recorded fact that sets it apart here`;
    const parts = [clause, ...clauses];
    if (r.absence && opts.absence) parts.push(ph.absent(r.absence, { cap: false }));
    else if (r.path.length && opts.anchor && at.type === opts.anchor.type && at.id !== opts.anchor.id) parts.push(`so it leads to ${display(at)}, not to ${display(opts.anchor)}`);
    else if (r.positives.length || r.path.length) parts.push(rng.chance(0.5) ? `not what the question describes` : `so it does not fit`);
    return parts.join('; ');
  }

  /** "(B) glibenclamide is used to treat …": the fact read from the option, its name tagged with the letter */
  private withTag(t: Triple, from: 'head' | 'tail', tag: string, rng: Rng): string {
    return `${tag}${this.predicate(t, from, rng)}`;
  }

  private withTagMany(rel: string, one: NodeRef, many: NodeRef[], oneIsHead: boolean, tag: string, rng: Rng): string {
    return `${tag}${this.predicateMany(rel, one, many, oneIsHead, rng)}`;
  }

  /** the fact without its subject: " is used to treat type 2 diabetes mellitus" */
  private predicate(t: Triple, from: 'head' | 'tail', rng: Rng): string {
    const marked: Triple = from === 'head' ? { ...t, head: { ...t.head, name: SUBJECT } } : { ...t, tail: { ...t.tail, name: SUBJECT } };
    return afterSubject(this.phraser.fact(marked, { from, variant: rng.int(6), cap: false }));
  }

  private predicateMany(rel: string, one: NodeRef, many: NodeRef[], oneIsHead: boolean, rng: Rng): string {
    const marked = { ...one, name: SUBJECT };
    return afterSubject(this.phraser.facts(rel, marked, many, { oneIs: oneIsHead ? 'head' : 'tail', from: 'one', variant: rng.int(6) }));
  }

  private isStrong(t: Triple): boolean {
    if (!this.kg || !this.strength) return true;
    const h = this.nodeIndex(t.head.id);
    const tt = this.nodeIndex(t.tail.id);
    const rel = this.kg.edgeTypeIndex(t.relation);
    return h >= 0 && tt >= 0 && rel >= 0 && this.strength.strong(h, rel, tt);
  }

  /** the subject's other strong edges of this relation, most specific counterparts first (fewest edges) */
  private graphFacts(subject: NodeRef, relation: string, dir: 'out' | 'in'): Triple[] {
    const kg = this.kg!;
    const s = this.nodeIndex(subject.id);
    const rel = kg.edgeTypeIndex(relation);
    if (s < 0 || rel < 0) return [];
    const ns = [...this.strength!.neighbours(s, rel, dir)];
    ns.sort((a, b) => kg.degree[a]! - kg.degree[b]! || a - b);
    return ns.slice(0, 12).map((n) => {
      const ref: NodeRef = { id: kg.nodeId(n), type: kg.nodeType(n), name: kg.nodeName(n) };
      return dir === 'out' ? { head: subject, relation, tail: ref } : { head: ref, relation, tail: subject };
    });
  }

  /** one more recorded fact about the answer that explains it: a drug's most specific class, another member of a class */
  private answerDetail(answer: NodeRef, stemIds: Set<string>, keyIds: Set<string>): string | null {
    if (!this.kg) return null;
    const kg = this.kg;
    const a = this.nodeIndex(answer.id);
    const inClass = kg.edgeTypeIndex('in_class');
    if (a < 0 || inClass < 0) return null;
    if (answer.type === 'drug') {
      const classes = [...this.strength!.neighbours(a, inClass, 'out')].filter((c) => !keyIds.has(kg.nodeId(c)) && !stemIds.has(kg.nodeId(c)) && kg.neighbours(c, inClass, 'in').length >= 2);
      classes.sort((x, y) => kg.neighbours(x, inClass, 'in').length - kg.neighbours(y, inClass, 'in').length || x - y);
      const c = classes[0];
      return c === undefined ? null : this.phraser.fact({ head: answer, relation: 'in_class', tail: { id: kg.nodeId(c), type: kg.nodeType(c), name: kg.nodeName(c) } }, { from: 'head', variant: 0 });
    }
    if (answer.type === 'pharmacologic_class') {
      const members = [...this.strength!.neighbours(a, inClass, 'in')].filter((m) => !stemIds.has(kg.nodeId(m)) && !keyIds.has(kg.nodeId(m)));
      members.sort((x, y) => kg.degree[y]! - kg.degree[x]! || x - y);
      const m = members[0];
      return m === undefined ? null : `${capitalize(display(answer))} also includes ${display({ id: kg.nodeId(m), type: kg.nodeType(m), name: kg.nodeName(m) })}`;
    }
    return null;
  }

  private relativesOf(ids: string[]): Set<string> {
    const out = new Set<string>();
    if (!this.kg || !this.absence) return out;
    for (const id of ids) {
      const n = this.nodeIndex(id);
      if (n >= 0) for (const r of this.absence.relatives(n)) out.add(this.kg.nodeId(r));
    }
    return out;
  }

  private nodeIndex(id: string): number {
    let n = this.byId.get(id);
    if (n === undefined) {
      n = this.kg?.findById(id) ?? -1;
      this.byId.set(id, n);
    }
    return n;
  }
}

/** the text after the subject placeholder (and an article before it) */
function afterSubject(s: string): string {
  const i = s.indexOf(SUBJECT);
  return i < 0 ? ` ${s}` : s.slice(i + SUBJECT.length);
}

/** what the question asks for, in words */
function askedFor(answerType: string, chain: Triple[]): string {
  const last = chain[chain.length - 1]?.relation;
  if (last === 'caused_by') return 'the organism that causes it';
  if (last === 'in_class') return 'the class of a drug that treats it';
  if (last === 'participates_pathway') return 'the pathway of the target of a drug for it';
  if (last === 'treats') return 'a drug that treats it';
  return `the ${typeNoun(answerType)} linked to it`;
}

function typeNoun(type: string): string {
  return ({ drug: 'drug', pathogen: 'organism', pharmacologic_class: 'drug class', pathway: 'pathway', gene: 'gene', anatomy: 'structure', disease: 'condition', symptom: 'finding' } as Record<string, string>)[type] ?? type.replace(/_/g, ' ');
}

/** the shown facts, grouped as one anchor with several counterparts of the same relation */
function groupFacts(shown: EvidenceTriple[]): { rel: string; one: NodeRef; many: NodeRef[]; oneIs: 'head' | 'tail' }[] {
  const groups = new Map<string, { rel: string; one: NodeRef; many: NodeRef[]; oneIs: 'head' | 'tail' }>();
  // the anchor is the node shared by all shown facts
  const count = new Map<string, number>();
  for (const e of shown) for (const n of [e.head.id, e.tail.id]) count.set(n, (count.get(n) ?? 0) + 1);
  for (const e of shown) {
    const oneIs = (count.get(e.head.id) ?? 0) >= (count.get(e.tail.id) ?? 0) ? 'head' : 'tail';
    const one = oneIs === 'head' ? e.head : e.tail;
    const key = `${e.relation}|${one.id}|${oneIs}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { rel: e.relation, one, many: [], oneIs }));
    g.many.push(oneIs === 'head' ? e.tail : e.head);
  }
  return [...groups.values()];
}

/** the node every shown fact is about: where the hidden chain starts, or the answer of a one-hop item */
function anchorNode(shown: Triple[], chain: Triple[], answer: NodeRef): NodeRef {
  if (chain.length) {
    const first = chain[0]!;
    const ids = new Set(shown.flatMap((e) => [e.head.id, e.tail.id]));
    return ids.has(first.head.id) ? first.head : first.tail;
  }
  return answer;
}

/** the node reached after hop i of a chain of triples */
function chainNode(chain: Triple[], i: number): string {
  const t = chain[i]!;
  const next = chain[i + 1];
  if (next) return t.head.id === next.head.id || t.head.id === next.tail.id ? t.head.id : t.tail.id;
  const prev = chain[i - 1];
  if (prev) return t.head.id === prev.head.id || t.head.id === prev.tail.id ? t.tail.id : t.head.id;
  return t.tail.id;
}

const tripleKey = (t: Triple) => `${t.head.id}|${t.relation}|${t.tail.id}`;

/** a triple without any extra fields (holds, reasons' text) */
const strip = (t: Triple): Triple => ({ head: t.head, relation: t.relation, tail: t.tail });

/** a via path ordered to start at the option */
function orient(via: Triple[], optionId: string): Triple[] {
  const touches = (t: Triple, id: string) => t.head.id === id || t.tail.id === id;
  return touches(via[0]!, optionId) ? via : via.slice().reverse();
}

/** after "Testing B:", a sentence that starts with a plain word reads on in lower case; names keep their case */
const lowerFirst = (s: string) => (/^(It|The|This|So|That|Only|These|Three)\b/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);

export { list };

/**
 * The built-in, offline teacher: narrates the item's KG evidence path to the answer and
 * rules out each distractor with the fact stored against it, in several styles and
 * orders so pass@k has real choices. Deterministic for (seed, question, round,
 * candidate). It reads only the record's provenance, never the graph, so what it
 * says is exactly what synthesis verified.
 *
 * In refinement rounds it follows the strategy it is given: backtracking restates the
 * evidence before concluding, path exploration weighs every option as a hypothesis, and
 * self-correction rewrites the flagged step and drops anything that was not evidence.
 */
import type { EdgeTypeInfo } from '../graph/format';
import type { Distractor, EvidenceTriple, NodeRef, QuestionRecord, Triple } from '../synthesis/record';
import { hash64 } from '../synthesis/text';
import { Rng } from '../synthesis/rng';
import { list, makePhraser, type Phraser } from './phrasing';
import type { Teacher, TeacherRequest } from './types';

export const KG_STYLES = ['evidence_first', 'elimination', 'hypothesis', 'compact'] as const;
export type KgStyle = (typeof KG_STYLES)[number];

export class KgTeacher implements Teacher {
  readonly id = 'kg';
  private readonly phraser: Phraser;

  constructor(edgeTypes: readonly EdgeTypeInfo[] = []) {
    this.phraser = makePhraser(Object.fromEntries(edgeTypes.map((e) => [e.name, { label: e.label, inverseLabel: e.inverseLabel }])));
  }

  async generate(req: TeacherRequest): Promise<string> {
    if (req.signal?.aborted) throw req.signal.reason ?? new Error('aborted');
    return this.write(req);
  }

  styleOf(req: Pick<TeacherRequest, 'round' | 'candidate' | 'refinement'>): KgStyle {
    if (req.refinement) return req.refinement.strategy === 'path_exploration' ? 'hypothesis' : req.refinement.strategy === 'backtracking' ? 'evidence_first' : 'compact';
    return KG_STYLES[req.candidate % KG_STYLES.length]!;
  }

  /** synchronous core, for the CLI's hot loop and for tests */
  write(req: Omit<TeacherRequest, 'signal' | 'onToken'>): string {
    const q = req.question;
    const p = q.provenance;
    if (!p) throw new Error(`question ${q.id}: the KG teacher needs synthesis provenance (an imported item has none)`);
    const rng = new Rng(Number.parseInt(hash64(`${req.seed}|${q.id}|${req.round}|${req.candidate}`).slice(0, 8), 16));
    const style = this.styleOf(req);
    const v = () => rng.int(6);
    const ph = this.phraser;
    const letterOf = (name: string) => Object.entries(q.options).find(([, x]) => x === name)?.[0] ?? '?';
    const answer = `(${q.answer_idx}) ${q.answer}`;

    // the shown evidence, grouped by relation and by the anchor it is about
    const shown = p.evidence.filter((e) => e.shown && e.role === 'evidence');
    const chain = p.evidence.filter((e) => e.role === 'chain');
    const evidence = groupFacts(shown).map((g) => ph.facts(g.rel, g.one, g.many, { oneIs: g.oneIs, from: rng.chance(0.5) ? 'one' : 'many', variant: v() }));
    const walk = chain.map((t, i) => {
      // read each hop from the node reached so far, so the chain walks anchor → … → answer
      const prevTail = i === 0 ? anchorOf(shown, chain) : chainNode(chain, i - 1);
      return ph.fact(t, { from: t.head.id === prevTail ? 'head' : 'tail', variant: v() });
    });
    const order = rng.shufflePrefix(p.distractors.slice());
    const ruleOut = (d: Distractor) => this.ruleOut(d, letterOf(d.name), rng, style === 'compact' ? 0 : 1);

    const sentences: string[] = [];
    const finding = (s: string[]) => s.join('. ');
    switch (style) {
      case 'evidence_first':
        if (req.refinement) sentences.push(`Re-examining the starting assumption, I return to the evidence itself`);
        sentences.push(finding(evidence));
        if (walk.length) sentences.push(finding(walk));
        sentences.push(`This points to ${answer}`);
        for (const d of order) sentences.push(ruleOut(d));
        break;
      case 'elimination':
        sentences.push(`I rule out the options that the facts contradict first`);
        for (const d of order) sentences.push(ruleOut(d));
        sentences.push(finding(evidence));
        if (walk.length) sentences.push(finding(walk));
        sentences.push(`Only ${answer} fits all of this`);
        break;
      case 'hypothesis':
        sentences.push(req.refinement ? `Exploring each option as its own hypothesis` : `Each option is a hypothesis to test against the findings`);
        for (const d of order) sentences.push(`Testing ${letterOf(d.name)}: ${lowerFirst(ruleOut(d))}`);
        sentences.push(`Testing ${q.answer_idx}: ${lowerFirst(finding(evidence))}`);
        if (walk.length) sentences.push(finding(walk));
        sentences.push(`The hypothesis that survives is ${answer}`);
        break;
      case 'compact':
        if (req.refinement) sentences.push(`Correcting the flagged step, I keep only facts of the graph`);
        sentences.push(finding([...evidence, ...walk]));
        for (const d of order) sentences.push(ruleOut(d));
        break;
    }
    sentences.push(`The answer is ${q.answer_idx}`);
    const think = sentences.filter(Boolean).map((s) => (/[.!?]$/.test(s) ? s : `${s}.`)).join(' ');
    return `<think>${think}</think><answer>${q.answer_idx}</answer>`;
  }

  /** why a distractor is wrong: (optionally how it would be reached, then) the fact that contradicts it */
  private ruleOut(d: Distractor, letter: string, rng: Rng, detail: number): string {
    const ph = this.phraser;
    const f = d.contradicted_by;
    const subjectIsHead = f.head.id === d.id || (d.via?.some((t) => t.head.id === f.head.id || t.tail.id === f.head.id) ?? false);
    const from = subjectIsHead ? 'head' : 'tail';
    const fact = ph.fact(f, { from, negated: !f.holds, variant: rng.int(6) });
    const factInside = ph.fact(f, { from, negated: !f.holds, variant: rng.int(6), cap: false });
    const tag = `(${letter}) ${d.name}`;
    const subject = subjectIsHead ? f.head : f.tail;
    const conclusion = f.holds ? `so ${tag} is not the exception` : `so ${tag} is excluded`;
    if (detail > 0 && d.via?.length && subject.id !== d.id) {
      // multi-hop: the competing hidden node and the path it would take to this option
      const path = viaFrom(d.via, subject).map((t, i, arr) => ph.fact(t, { from: t.head.id === (i === 0 ? subject.id : chainNode(arr, i - 1)) ? 'head' : 'tail', variant: rng.int(6), cap: i === 0 }));
      return `${path.join('; ')}; however, ${factInside}, ${conclusion}`;
    }
    return `${fact}, ${conclusion}`;
  }
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

/** the node every shown fact is about (where the hidden chain starts) */
function anchorOf(shown: Triple[], chain: Triple[]): string {
  const first = chain[0]!;
  const ids = new Set(shown.flatMap((e) => [e.head.id, e.tail.id]));
  return ids.has(first.head.id) ? first.head.id : first.tail.id;
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

/** the via path ordered to start at the competing node */
function viaFrom(via: Triple[], start: NodeRef): Triple[] {
  const touches = (t: Triple, id: string) => t.head.id === id || t.tail.id === id;
  return touches(via[0]!, start.id) ? via : via.slice().reverse();
}

/** after "Testing B:", a sentence that starts with a plain word reads on in lower case; names keep their case */
const lowerFirst = (s: string) => (/^(It|The|This)\b/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);

export { list };

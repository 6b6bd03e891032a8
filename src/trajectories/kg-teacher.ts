/**
 * The built-in, offline teacher. It reasons the way a clinician explains an item, in order:
 *  1. what the stem gives: the findings (a picture stem), or the disease or drug it names;
 *  2. what the findings point to — the nonspecific ones set aside, the
 *     condition that can present with all of them — without naming it before that;
 *  3. the hidden hop(s) the question asks for ("it is treated with …", "… is caused by …");
 *  4. the answer, and one more fact about it;
 *  5. every other option ruled out by a POSITIVE clinical reason (kg-plan.ts): what the
 *     drug is used for instead, what the class's members or the gene's drugs are for, the
 *     disease the structure is the site of, a shown finding the disease cannot account for.
 *     Never "not among the recorded …": what a graph lists is no reason.
 * Every fact is a strong edge (trust.ts) worded no more strongly than the graph backs
 * (teachable.ts). An item with an option it has no positive reason against gets no chain
 * (cannotWrite). Four styles — evidence first, elimination, hypothesis testing, compact —
 * differ in how the same steps are laid out and worded; candidate 0's style varies per item
 * with the seed, so the selected chains are not all one style. Deterministic for
 * (seed, question, round, candidate).
 */
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import type { NodeRef, QuestionRecord } from '../synthesis/record';
import { Rng } from '../synthesis/rng';
import { hash64 } from '../synthesis/text';
import { UnsupportedItemError } from './call-health';
import { isNonspecificFinding, isSkip, Planner, type Fact, type Plan, type RuleOut, type Skip } from './kg-plan';
import { display, list } from './phrasing';
import { drawNumber } from './select';
import { capitalize } from './text';
import type { Teacher, TeacherRequest } from './types';

export const KG_STYLES = ['evidence_first', 'elimination', 'hypothesis', 'compact'] as const;
export type KgStyle = (typeof KG_STYLES)[number];

const PLAN_CACHE = 256;

export class KgTeacher implements Teacher {
  readonly id = 'kg';
  private readonly planner: Planner;
  private readonly plans = new Map<string, Plan | Skip>();

  constructor(readonly kg: KnowledgeGraph) {
    this.planner = new Planner(kg);
  }

  async generate(req: TeacherRequest): Promise<string> {
    if (req.signal?.aborted) throw req.signal.reason ?? new Error('aborted');
    return this.write(req);
  }

  /** items the teacher has no sound chain for (an option with no positive reason against it, a weak fact on the path) */
  cannotWrite(q: QuestionRecord): { kind: string; reason: string } | null {
    if (!q.provenance) return null; // generate() says why (an imported item), as for any teacher that cannot write it
    const p = this.planOf(q);
    return isSkip(p) ? { kind: p.kind, reason: p.reason } : null;
  }

  /** refinement strategies map to styles; otherwise candidate c of an item gets style (c + an offset drawn from seed and item) */
  styleOf(req: Pick<TeacherRequest, 'round' | 'candidate' | 'seed'> & { refinement?: TeacherRequest['refinement']; question: Pick<QuestionRecord, 'id'> }): KgStyle {
    if (req.refinement) return req.refinement.strategy === 'path_exploration' ? 'hypothesis' : req.refinement.strategy === 'backtracking' ? 'evidence_first' : 'compact';
    const offset = drawNumber(`style|${req.seed}|${req.question.id}`);
    return KG_STYLES[(req.candidate + offset) % KG_STYLES.length]!;
  }

  planOf(q: QuestionRecord): Plan | Skip {
    let p = this.plans.get(q.id);
    if (!p) {
      p = this.planner.plan(q);
      if (this.plans.size >= PLAN_CACHE) this.plans.delete(this.plans.keys().next().value!);
      this.plans.set(q.id, p);
    }
    return p;
  }

  /** synchronous core, for the CLI's hot loop and for tests */
  write(req: Omit<TeacherRequest, 'signal' | 'onToken'>): string {
    const q = req.question;
    if (!q.provenance) throw new UnsupportedItemError(`question ${q.id}: the KG teacher needs synthesis provenance (an imported item has none; use an LLM teacher for it)`);
    const plan = this.planOf(q);
    if (isSkip(plan)) throw new UnsupportedItemError(plan.reason);
    const rng = new Rng(Number.parseInt(hash64(`${req.seed}|${q.id}|${req.round}|${req.candidate}`).slice(0, 8), 16));
    const style = this.styleOf(req);
    const w = new Writer(plan, rng, style);
    const sentences: string[] = [];
    if (req.refinement) sentences.push(REFINE[req.refinement.strategy] ?? "");
    sentences.push(...w.compose());
    const think = sentences.filter(Boolean).map((s) => capitalize(/[.!?]$/.test(s) ? s : `${s}.`)).join(' ');
    return `<think>${think}</think><answer>${q.answer_idx}</answer>`;
  }
}

const REFINE: Record<string, string> = {
  backtracking: 'Re-examining the starting assumption, I go back to what the question gives',
  path_exploration: 'Exploring each option as its own hypothesis',
  self_correction: 'Correcting the flagged step, I keep to facts I can stand behind',
};

const n = display;
const tag = (r: { letter: string; option: NodeRef }) => `(${r.letter}) ${n(r.option)}`;
/** a class name read as a plural ("neuraminidase inhibitors") takes a plural verb */
const plural = (x: NodeRef) => {
  const shown = display(x).trim();
  return /[^s]s$/i.test(shown) && !/(sis|us|ss)$/i.test(shown);
};
const includes = (c: NodeRef) => (plural(c) ? 'include' : 'includes');
const article = (s: string) => (/^[aeiou]/i.test(s) && !/^(eu|uni|use|one)/i.test(s) ? 'an' : 'a');
/** "X is an angiotensin receptor antagonist" / "X is one of the neuraminidase inhibitors" / "X belongs to the class C" */
const memberOf = (x: NodeRef, c: NodeRef, v: number) => (v % 2 === 0 ? (plural(c) ? `${n(x)} is one of the ${n(c)}` : `${n(x)} is ${article(n(c))} ${n(c)}`) : `${n(x)} belongs to the class ${n(c)}`);
const the = (x: NodeRef) => `the ${n(x)}`;
const isAre = (xs: unknown[]) => (xs.length === 1 ? 'is' : 'are');

/** one item's sentences in one style */
class Writer {
  constructor(
    readonly p: Plan,
    readonly rng: Rng,
    readonly style: KgStyle,
  ) {}

  private v(k: number): number {
    return this.rng.int(k);
  }

  compose(): string[] {
    const p = this.p;
    const s: string[] = [];
    const opening = this.opening();
    const derive = this.derivation();
    const hop = this.hopSentences();
    const answer = this.answerSentence();
    const detail = p.detail ? this.detailSentence(p.detail) : null;
    switch (this.style) {
      case 'evidence_first':
        s.push(...opening, ...derive, ...hop, answer);
        if (detail) s.push(detail);
        for (const r of this.order()) s.push(this.ruleOut(r, false));
        s.push(`The answer is ${p.letter}`);
        break;
      case 'elimination':
        s.push(...opening, ...derive, ...hop);
        if (detail) s.push(detail);
        s.push(this.pick(['Now the other options', 'Checking the other options in turn', 'Each other option can be ruled out']));
        for (const r of this.order()) s.push(this.ruleOut(r, false));
        s.push(`That leaves ${this.answerTag()}`);
        s.push(`The answer is ${p.letter}`);
        break;
      case 'hypothesis': {
        s.push(...opening);
        // a diagnosis item tests each option against the findings; a chain item derives the condition first, then tests each option
        const parts = this.derivationParts();
        const diagnosis = parts !== null && p.condition!.id === p.answer.id;
        if (diagnosis) s.push(...parts.split);
        else s.push(...derive);
        s.push(diagnosis ? 'I test each option against these findings' : p.condition ? `I test each option against ${n(p.condition)}` : 'I test each option in turn');
        const byLetter = new Map(p.outs.map((r) => [r.letter, r]));
        for (const l of this.letters()) {
          const r = byLetter.get(l);
          if (r) s.push(this.ruleOut(r, false));
          else if (l === p.letter) {
            if (diagnosis) s.push(parts.fit, ...parts.context);
            else if (p.type === 'contraindicated') s.push(...hop.map((x, i) => (i === 0 ? `(${l}) ${x}` : x)));
            else s.push(...hop, `so (${l}) fits`);
            if (detail) s.push(detail);
          }
        }
        s.push(`Only ${this.answerTag()} holds up`);
        s.push(`The answer is ${p.letter}`);
        break;
      }
      case 'compact':
        s.push(...this.compactDerivation(), ...hop, answer);
        for (const r of this.order()) s.push(this.ruleOut(r, true));
        s.push(`The answer is ${p.letter}`);
        break;
    }
    return s;
  }

  // 1. what the stem gives ---------------------------------------------------
  private opening(): string[] {
    const p = this.p;
    if (p.stem === 'picture') {
      const f = list(p.findings.map(n));
      return [this.pick([`The patient has ${f}`, `The findings are ${f}`, `This patient shows ${f}`])];
    }
    const subj = p.subject ? n(p.subject) : 'it';
    switch (p.type) {
      case 'treatment':
        return [this.pick([`The question names ${subj} and asks for a drug for it`, `A drug for ${subj} is wanted`])];
      case 'contraindicated':
        return [this.pick([`All but one of the options are drugs for ${subj}; the question wants the one that is not`, `I look for the drug that has no place in ${subj}`])];
      case 'drug_class':
        return [this.pick([`The question asks what kind of drug ${subj} is`, `The question asks for the pharmacologic class of ${subj}`]), ...(p.subjectUse ? [this.fact(p.subjectUse, this.v(2))] : [])];
      case 'mechanism':
        return [this.pick([`The question asks for the molecular target of ${subj}`, `The question asks which gene product ${subj} acts through`]), ...(p.subjectUse ? [this.fact(p.subjectUse, this.v(2))] : [])];
      case 'localisation':
        return [this.pick([`The question asks where in the body ${subj} localizes`, `The question asks which structure is involved in ${subj}`].slice(0, 1))];
      default:
        return [p.subject ? `The question is about ${subj}` : 'The question gives no findings'];
    }
  }

  // 2. what the findings point to --------------------------------------------
  private derivation(): string[] {
    const d = this.derivationParts();
    return d ? [...d.split, d.fit, ...d.context] : [];
  }

  private derivationParts(): { split: string[]; fit: string; context: string[] } | null {
    const p = this.p;
    if (p.stem !== 'picture' || !p.condition) return null;
    const ns = p.findings.filter((f) => isNonspecificFinding(f.name));
    const sp = p.findings.filter((f) => !isNonspecificFinding(f.name));
    const split =
      ns.length && sp.length
        ? [
            this.pick([
              `${list(ns.map(n))} ${isAre(ns)} nonspecific; ${list(sp.map(n))} ${sp.length === 1 ? 'narrows' : 'narrow'} the field`,
              `${list(sp.map(n))} ${sp.length === 1 ? 'is the more telling finding' : 'are the more telling findings'}, while ${list(ns.map(n))} ${isAre(ns)} nonspecific`,
            ]),
          ]
        : [];
    const K = p.condition;
    const all = list(p.findings.map(n));
    const fits = this.pick([`${n(K)} can present with ${all}`, `${all} are recognised features of ${n(K)}`]);
    const diagnosis = K.id === p.answer.id;
    const so = diagnosis ? this.pick([`so (${p.letter}) ${n(K)} is the most likely diagnosis`, `so (${p.letter}) ${n(K)} fits the whole picture`]) : this.pick([`so the underlying condition is most likely ${n(K)}`, `so the picture points to ${n(K)}`]);
    return { split, fit: `${fits}, ${so}`, context: p.context.map((c) => this.fact(c, this.v(2))) };
  }

  private compactDerivation(): string[] {
    const p = this.p;
    if (p.stem !== 'picture' || !p.condition) return this.opening().slice(0, 1);
    const K = p.condition;
    const out = [`${list(p.findings.map(n))} fit ${n(K)}`];
    for (const c of p.context) out.push(this.fact(c, 0));
    return out;
  }

  // 3. the hidden hops ---------------------------------------------------------
  private hopSentences(): string[] {
    const p = this.p;
    const out: string[] = [];
    if (p.type === 'contraindicated' || p.hops.some((h) => h.role === 'not_indicated_for')) {
      const h = p.hops[0]!;
      out.push(`${capitalize(n(h.head))} is not indicated for ${n(h.tail)}`);
      if (p.subjectUse) out.push(this.pick([`it is used to treat ${n(p.subjectUse.tail)} instead`, `${n(p.subjectUse.head)} is used to treat ${n(p.subjectUse.tail)}, a different condition`]).replace(/^it /, `${n(h.head)} `));
      return out;
    }
    for (const h of p.hops) out.push(this.fact(h, this.v(3)));
    return out;
  }

  // 4. the answer ------------------------------------------------------------------
  private answerSentence(): string {
    const p = this.p;
    if (p.type === 'contraindicated') return `So ${this.answerTag()} is the exception`;
    if (p.condition && p.condition.id === p.answer.id) return this.pick([`The answer is the diagnosis, ${this.answerTag()}`, `That makes ${this.answerTag()} the answer`]);
    return this.pick([`That makes ${this.answerTag()} the answer`, `So the answer is ${this.answerTag()}`]);
  }

  private answerTag(): string {
    return `(${this.p.letter}) ${n(this.p.answer)}`;
  }

  // 5. the other options -------------------------------------------------------------
  private order(): RuleOut[] {
    return this.rng.shufflePrefix(this.p.outs.slice());
  }

  private letters(): string[] {
    return [...new Set([...this.p.outs.map((r) => r.letter), this.p.letter])].sort();
  }

  /** one option ruled out, by its positive reason */
  private ruleOut(r: RuleOut, brief: boolean): string {
    const K = this.p.condition ?? this.p.subject;
    switch (r.kind) {
      case 'conflict': {
        const f = r.facts[0]!;
        if (!brief && r.classOf && this.v(2) === 0) return `${tag(r)} belongs to the class ${n(r.classOf.tail)} and is used to treat ${n(f.tail)}, so it is not the exception`;
        return `${tag(r)} is used to treat ${n(f.tail)}, so it is not the exception`;
      }
      case 'indication': {
        const f = r.facts[0]!;
        const why = this.pictureClause(r);
        if (brief) return `${tag(r)} treats ${n(f.tail)} instead`;
        if (why) return `${tag(r)} is used to treat ${n(f.tail)}${why}`;
        if (r.classOf && this.v(2) === 0) return `${tag(r)} belongs to the class ${n(r.classOf.tail)} and is used to treat ${n(f.tail)}, a different condition`;
        return this.pick([`${tag(r)} is used to treat ${n(f.tail)}, a different condition`, `${tag(r)} is used to treat ${n(f.tail)} instead`]);
      }
      case 'class_use': {
        const [member, use] = r.facts as [Fact, Fact | undefined];
        const inc = includes(r.option);
        // a member whose use is no contrast (the stem drug is used for the same): the membership alone
        if (!use) return this.pick([`${tag(r)} ${inc} ${n(member.head)}, a drug of another class`, `${tag(r)} ${inc} drugs such as ${n(member.head)}, a different kind of drug`]);
        if (brief) return `${tag(r)} ${inc} ${n(member.head)}, which treats ${n(use.tail)}`;
        return this.pick([`${tag(r)} ${inc} ${n(member.head)}, which is used to treat ${n(use.tail)}`, `${tag(r)} ${inc} drugs such as ${n(member.head)}, which is used to treat ${n(use.tail)}`]);
      }
      case 'target_of': {
        const [tgt, use] = r.facts as [Fact, Fact | undefined];
        if (!use) return `${tag(r)} is a target of ${n(tgt.head)}`;
        if (brief) return `${tag(r)} is a target of ${n(tgt.head)}, a drug for ${n(use.tail)}`;
        return `${tag(r)} is a target of ${n(tgt.head)}, which is used to treat ${n(use.tail)}`;
      }
      case 'pathway_target': {
        const [member, tgt, use] = r.facts as [Fact, Fact, Fact];
        if (brief) return `${tag(r)} involves ${n(member.head)}, which is a target of ${n(tgt.head)}`;
        return `${tag(r)} involves ${n(member.head)}, which is a target of ${n(tgt.head)}, which is used to treat ${n(use.tail)}`;
      }
      case 'site_of': {
        // what makes the structure wrong for THIS disease first (review round 3, N12: "the eye is the site of
        // trachoma" alone is no reason the eye is not the site of heterophyiasis), the disease living there second
        const f = r.facts[0]!;
        const there = this.pick([`${the(r.option)} is the site of ${n(f.head)}`, `${the(r.option)} is the main site of ${n(f.head)}`]);
        const a = r.apart;
        if (!a) return `(${r.letter}) ${capitalize(there)}`;
        if (a.system) return `(${r.letter}) ${capitalize(the(r.option))} lies outside the ${systemPhrase(a.system)}, where ${n(a.disease)} is found; ${there}`;
        return `(${r.letter}) ${capitalize(n(a.disease))} is found in ${the(a.site)}, not in ${the(r.option)}; ${there}`;
      }
      case 'cause': {
        const f = r.facts[0]!;
        return `${tag(r)} causes ${n(f.head)}${this.pictureClause(r)}`;
      }
      case 'differential': {
        const u = r.unexplained!;
        return this.pick([`${tag(r)} does not account for ${n(u.finding)}`, `${tag(r)} does not explain ${n(u.finding)}`]);
      }
    }
  }

  /** ", which does not account for F" about the disease the option causes or treats */
  private pictureClause(r: RuleOut): string {
    return r.unexplained ? `, which does not account for ${n(r.unexplained.finding)}` : '';
  }

  /** one more fact about the answer: what kind of drug it is, or another member of the class */
  private detailSentence(f: Fact): string {
    if (f.tail.id === this.p.answer.id) return `${capitalize(n(f.tail))} also ${includes(f.tail)} ${n(f.head)}`;
    return capitalize(memberOf(f.head, f.tail, this.v(2)));
  }

  // facts ----------------------------------------------------------------------------------
  /** a fact in plain words (no stronger than the edge) */
  private fact(f: Fact, v: number): string {
    const h = n(f.head);
    const t = n(f.tail);
    const forms: Record<string, string[]> = {
      presents: [`${h} can present with ${t}`, `${t} is a recognised feature of ${h}`],
      treats: [`${h} is used to treat ${t}`, `${t} is treated with ${h}`, `${h} treats ${t}`],
      caused_by: [`${h} is caused by ${t}`, `${t} causes ${h}`],
      in_class: [memberOf(f.head, f.tail, 0), memberOf(f.head, f.tail, 1), `${t} ${includes(f.tail)} ${h}`],
      targets: [`${h} acts on the product of ${t}`, `${h} targets ${t}`, `${t} is a target of ${h}`],
      participates_pathway: [`${t} involves ${h}`, `${h} takes part in ${t}`],
      localizes: [`${h} localizes to the ${t}`, `${h} affects the ${t}`],
      in_specialty: [`${h} is managed in ${t}`],
      not_indicated_for: [`${h} is not indicated for ${t}`],
    };
    const list = forms[f.role] ?? [`${h} ${f.role.replace(/_/g, ' ')} ${t}`];
    return capitalize(list[v % list.length]!);
  }

  private pick(xs: string[]): string {
    return xs[this.v(xs.length)]!;
  }
}

export { list };

/** an organ system (lexicon.ts names) as a phrase: "digestive system", "eye", "blood and lymphatic system" */
function systemPhrase(system: string): string {
  if (system === 'eye' || system === 'ear') return system;
  if (system === 'blood and lymph') return 'blood and lymphatic system';
  return `${system} system`;
}

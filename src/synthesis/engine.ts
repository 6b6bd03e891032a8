/**
 * The RODS synthesis engine: draws an anchor with long-tail priority, samples evidence
 * along the template's metapath, masks the answer, draws distractors by
 * relation-preserving perturbation, verifies the draft against the KG, tags its
 * difficulty, and emits the record. Pure and deterministic for a seed: the same graph,
 * settings and seed give the same records in the same order.
 */
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { difficultyScore, tierOf } from './difficulty';
import { flip, NodeMarks, SynthGraph, type Constraint } from './kg-view';
import { optionLetters, type ContradictingFact, type Distractor, type EvidenceTriple, type QuestionRecord, type Triple } from './record';
import { longTailWeight, Rng, WeightedSampler } from './rng';
import { QUESTION_TYPES, templateByType, templateHops, type QuestionTemplate } from './templates';
import { containsName, hash64, malformation, normalizeText, stemSignature } from './text';

export interface SynthesisSettings {
  n: number;
  seed: number;
  /** long-tail priority: weight ∝ (degree + 1)^(−alpha); 0 = uniform */
  alpha: number;
  /** question types to draw (default: all) */
  types?: string[];
  /** options per item, 3–10 */
  optionCount?: number;
  /** chance each evidence fact beyond the minimum is withheld from the stem */
  dropProbability?: number;
}

export const DEFAULT_SETTINGS = { alpha: 1, optionCount: 4, dropProbability: 0.3 } as const;

export const DROP_REASONS = [
  'no_evidence',
  'no_path_to_answer',
  'no_valid_distractors',
  'ambiguous_answer',
  'evidence_not_in_graph',
  'unverified_distractor',
  'answer_named_in_stem',
  'duplicate_options',
  'malformed_text',
  'near_duplicate_stem',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export class Dropped {
  constructor(readonly reason: DropReason) {}
}

/** what a verified draft holds, as node indices, before it becomes a record */
interface Draft {
  t: QuestionTemplate;
  anchor: number;
  answer: number;
  shown: Constraint[];
  evidence: EvidenceTriple[];
  /** node visited at each chain step from the anchor (last = answer) */
  path: number[];
  distractors: { node: number; overlap: number; fact: ContradictingFact; via?: Triple[] }[];
}

interface Candidate {
  node: number;
  overlap: number;
  /** the competing anchor (chain) or the perturbed evidence entity (one hop) it came from */
  origin: number;
  originRel?: number;
  originDir?: 'out' | 'in';
}

const PERTURB_CAP = 24;
/** rank qualifiers in taxonomy names ("Rickettsia <genus>") read as markup in a question */
const TAXONOMY_MARKUP = /[<>]/;
const PARTIAL_ANCHOR_CAP = 48;

export class Synthesizer {
  readonly g: SynthGraph;
  readonly settings: Required<SynthesisSettings>;
  readonly dropped: Record<DropReason, number>;
  readonly perType: Record<string, number> = {};
  attempts = 0;
  private readonly rng: Rng;
  private readonly templates: QuestionTemplate[];
  private readonly pools = new Map<string, { nodes: Uint32Array; sampler: WeightedSampler }>();
  private readonly signatures = new Set<string>();
  private readonly marksA: NodeMarks;
  private readonly marksB: NodeMarks;
  private readonly marksC: NodeMarks;
  private readonly fullLevels: NodeMarks[];
  private readonly partialLevels: NodeMarks[];
  private readonly medianDegreeOfType: Uint32Array;
  private readonly typeIndexCache: Map<string, number>;
  rareAnswers = 0;
  emitted = 0;
  /** node index of the answer of the last record built */
  private lastAnswer = -1;

  constructor(kg: KnowledgeGraph, graphLabel: string, settings: SynthesisSettings) {
    this.g = new SynthGraph(kg, graphLabel);
    const optionCount = settings.optionCount ?? DEFAULT_SETTINGS.optionCount;
    if (!Number.isInteger(optionCount) || optionCount < 3 || optionCount > 10) throw new Error(`optionCount must be an integer from 3 to 10, got ${optionCount}`);
    if (!(settings.alpha >= 0) || settings.alpha > 10) throw new Error(`alpha must be between 0 and 10, got ${settings.alpha}`);
    if (!Number.isInteger(settings.n) || settings.n < 0) throw new Error(`n must be a non-negative integer, got ${settings.n}`);
    const drop = settings.dropProbability ?? DEFAULT_SETTINGS.dropProbability;
    if (!(drop >= 0 && drop < 1)) throw new Error(`dropProbability must be in [0, 1), got ${drop}`);
    const types = settings.types?.length ? settings.types : QUESTION_TYPES;
    this.templates = types.map(templateByType);
    this.settings = { n: settings.n, seed: settings.seed >>> 0, alpha: settings.alpha, types, optionCount, dropProbability: drop };
    this.rng = new Rng(this.settings.seed);
    this.dropped = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;
    const n = kg.nodeCount;
    this.marksA = new NodeMarks(n);
    this.marksB = new NodeMarks(n);
    this.marksC = new NodeMarks(n);
    const maxChain = Math.max(0, ...this.templates.map((t) => t.chain.length));
    this.fullLevels = Array.from({ length: maxChain + 1 }, () => new NodeMarks(n));
    this.partialLevels = Array.from({ length: maxChain + 1 }, () => new NodeMarks(n));
    this.typeIndexCache = new Map(kg.header.nodeTypes.map((t, i) => [t, i]));
    this.medianDegreeOfType = medianDegrees(kg);
    for (const t of this.templates) this.perType[t.type] = 0;
  }

  /** Is this answer "rare": degree below the median degree of its type? */
  isRare(node: number): boolean {
    return this.g.kg.degree[node]! < this.medianDegreeOfType[this.g.kg.nodeTypeIndex(node)]!;
  }

  /** Yields verified records until n are out or every type is exhausted. */
  *generate(): Generator<QuestionRecord> {
    const active = this.templates.map((t) => ({ t, failures: 0, done: 0 }));
    const maxAttempts = this.settings.n * 60 + 2000;
    while (this.emitted < this.settings.n && active.length > 0 && this.attempts < maxAttempts) {
      // balance types: the least-served active type goes next
      let slot = active[0]!;
      for (const a of active) if (a.done < slot.done) slot = a;
      if (this.pool(slot.t).nodes.length === 0) {
        active.splice(active.indexOf(slot), 1); // the graph has nothing this type can ask about
        continue;
      }
      this.attempts++;
      const r = this.attempt(slot.t);
      if (r instanceof Dropped) {
        this.dropped[r.reason]++;
        if (++slot.failures > 400) active.splice(active.indexOf(slot), 1); // this type's pool is exhausted
        continue;
      }
      slot.failures = 0;
      slot.done++;
      this.emitted++;
      this.perType[slot.t.type]!++;
      if (this.isRare(this.lastAnswer)) this.rareAnswers++;
      yield r;
    }
  }

  /**
   * The nodes drawn with long-tail priority: the answer itself. For one-hop templates
   * the answer is the anchor (it must carry the evidence slots); for multi-hop ones it is
   * any node the chain can end on, and the anchor is then found by walking back.
   */
  private pool(t: QuestionTemplate) {
    let p = this.pools.get(t.type);
    if (!p) {
      const kg = this.g.kg;
      const nodes: number[] = [];
      const lastStep = t.chain[t.chain.length - 1];
      if (!lastStep) {
        for (let i = 0; i < kg.nodeCount; i++) if (this.isAnchor(t, i)) nodes.push(i);
      } else {
        const ti = this.typeIndexCache.get(t.answerType) ?? -1;
        const rel = this.g.relOrMissing(lastStep.rel);
        if (ti >= 0 && rel >= 0) for (let i = 0; i < kg.nodeCount; i++) if (kg.nodeTypeIndex(i) === ti && kg.neighbours(i, rel, flip(lastStep.dir)).length > 0) nodes.push(i);
      }
      const arr = Uint32Array.from(nodes);
      p = { nodes: arr, sampler: new WeightedSampler(Array.from(arr, (i) => longTailWeight(kg.degree[i]!, this.settings.alpha))) };
      this.pools.set(t.type, p);
    }
    return p;
  }

  /** can node i anchor template t: right type, enough edges for every required evidence slot */
  private isAnchor(t: QuestionTemplate, i: number): boolean {
    const kg = this.g.kg;
    if (kg.nodeTypeIndex(i) !== (this.typeIndexCache.get(t.anchorType) ?? -1)) return false;
    for (const s of t.evidence) {
      if (s.min === 0) continue;
      const rel = this.g.relOrMissing(s.rel);
      if (rel < 0 || kg.neighbours(i, rel, s.dir).length < s.min) return false;
    }
    return true;
  }

  /** A random walk from the answer back along the chain to an anchor; the path anchor … answer, or null. */
  private walkBack(t: QuestionTemplate, answer: number): number[] | null {
    for (let tries = 0; tries < 8; tries++) {
      const path = [answer];
      let cur = answer;
      for (let s = t.chain.length - 1; s >= 0 && cur >= 0; s--) {
        const step = t.chain[s]!;
        const list = this.g.nb(cur, this.g.rel(step.rel), flip(step.dir));
        cur = list.length ? list[this.rng.int(list.length)]! : -1;
        path.unshift(cur);
      }
      if (cur >= 0 && this.isAnchor(t, cur)) return path;
    }
    return null;
  }

  /** One try at one item: a record, or the reason it was dropped. */
  attempt(t: QuestionTemplate): QuestionRecord | Dropped {
    const pool = this.pool(t);
    if (pool.nodes.length === 0) return new Dropped('no_evidence');
    const drawn = pool.nodes[pool.sampler.draw(this.rng)]!;
    const path = t.chain.length ? this.walkBack(t, drawn) : [drawn];
    if (!path) return new Dropped('no_path_to_answer');
    const draft = this.sampleEvidence(t, path);
    if (draft instanceof Dropped) return draft;
    // the same shown facts again would give a near-duplicate stem: reject before the expensive part
    if (this.signatures.has(factSignature(draft))) return new Dropped('near_duplicate_stem');
    const d = this.drawDistractors(draft);
    if (d instanceof Dropped) return d;
    return this.finish(draft);
  }

  private sampleEvidence(t: QuestionTemplate, path: number[]): Draft | Dropped {
    const anchor = path[0]!;
    const g = this.g;
    const rng = this.rng;
    const facts: { c: Constraint; shown: boolean }[] = [];
    for (const slot of t.evidence) {
      const rel = g.relOrMissing(slot.rel);
      if (rel < 0) continue;
      if (slot.min === 0 && !rng.chance(slot.p ?? 1)) continue;
      const list = g.nb(anchor, rel, slot.dir);
      if (list.length < slot.min) return new Dropped('no_evidence');
      const want = Math.min(list.length, slot.min + rng.int(slot.max - slot.min + 1));
      const picked = rng.shufflePrefix(Array.from(list), want).slice(0, want);
      for (const other of picked) facts.push({ c: { rel, dir: slot.dir, other }, shown: true });
    }
    // partial information: withhold facts beyond the minimum
    let shownCount = facts.length;
    if (this.settings.dropProbability > 0) {
      for (const f of facts) {
        if (shownCount > t.minShown && rng.chance(this.settings.dropProbability)) {
          f.shown = false;
          shownCount--;
        }
      }
    }
    if (shownCount < t.minShown) return new Dropped('no_evidence');
    const evidence: EvidenceTriple[] = facts.map((f) => ({ ...g.triple(anchor, f.c), shown: f.shown, role: 'evidence' }));
    // the hidden chain from the anchor to the answer
    for (let s = 0; s < t.chain.length; s++) {
      const rel = g.rel(t.chain[s]!.rel);
      const [h, tl] = t.chain[s]!.dir === 'out' ? [path[s]!, path[s + 1]!] : [path[s + 1]!, path[s]!];
      evidence.push({ ...g.edgeTriple(h, rel, tl), shown: false, role: 'chain' });
    }
    const cur = path[path.length - 1]!;
    return { t, anchor, answer: cur, shown: facts.filter((f) => f.shown).map((f) => f.c), evidence, path, distractors: [] };
  }

  /** Marks the anchors satisfying every shown fact (level 0) and propagates them along the chain. */
  private markFull(d: Draft): void {
    const g = this.g;
    const levels = this.fullLevels;
    levels[0]!.clear();
    // start from the shortest reverse list, keep nodes that satisfy the others
    let best = d.shown[0]!;
    for (const c of d.shown) if (g.nb(c.other, c.rel, flip(c.dir)).length < g.nb(best.other, best.rel, flip(best.dir)).length) best = c;
    const seed = g.nb(best.other, best.rel, flip(best.dir));
    const frontier: number[] = [];
    for (let i = 0; i < seed.length; i++) {
      const x = seed[i]!;
      if (d.shown.every((c) => c === best || g.satisfies(x, c)) && levels[0]!.add(x)) frontier.push(x);
    }
    this.propagate(frontier, d.t, levels, false);
  }

  private drawDistractors(d: Draft): Draft | Dropped {
    const t = d.t;
    const k = this.settings.optionCount - 1;
    const candidates = t.contradiction === 'conflicting-fact' ? this.conflictCandidates(d) : this.perturbationCandidates(d);
    if (candidates instanceof Dropped) return candidates;
    // distinct names, none equal to the answer's; weighted toward more shared evidence
    const g = this.g;
    const answerName = g.kg.nodeName(d.answer);
    const used = new Set([normalizeText(answerName)]);
    const pool = candidates.slice();
    while (d.distractors.length < k && pool.length > 0) {
      let total = 0;
      for (const c of pool) total += c.overlap + 0.1;
      let r = this.rng.next() * total;
      let idx = 0;
      for (; idx < pool.length - 1; idx++) {
        r -= pool[idx]!.overlap + 0.1;
        if (r < 0) break;
      }
      const c = pool[idx]!;
      pool[idx] = pool[pool.length - 1]!;
      pool.pop();
      const raw = g.kg.nodeName(c.node);
      const name = normalizeText(raw);
      if (used.has(name) || name.trim() === '' || TAXONOMY_MARKUP.test(raw)) continue;
      // "stomach" beside "body of stomach": one name inside the other reads as a part/whole pair, not a wrong answer
      if (containsName(answerName, raw) || containsName(raw, answerName)) continue;
      const fact = this.contradiction(d, c);
      if (!fact) continue;
      used.add(name);
      d.distractors.push({ node: c.node, overlap: c.overlap, ...fact });
    }
    if (d.distractors.length < k) return new Dropped('no_valid_distractors');
    return d;
  }

  /** Contraindication items: the wrong options are drugs the KG says DO treat the disease. */
  private conflictCandidates(d: Draft): Candidate[] | Dropped {
    const g = this.g;
    const c = d.shown[0]!;
    const conflict = g.rel(d.t.conflictRel!);
    const list = g.nb(c.other, conflict, 'in');
    const out: Candidate[] = [];
    for (let i = 0; i < list.length; i++) {
      const x = list[i]!;
      if (x !== d.answer && !g.satisfies(x, c)) out.push({ node: x, overlap: 0.5, origin: c.other });
    }
    return out.length ? out : new Dropped('no_valid_distractors');
  }

  private perturbationCandidates(d: Draft): Candidate[] | Dropped {
    const g = this.g;
    const t = d.t;
    this.markFull(d);
    const full = this.fullLevels;
    const last = full[t.chain.length]!;
    if (!last.has(d.answer)) return new Dropped('ambiguous_answer'); // cannot happen unless the graph changed under us
    const shownN = d.shown.length;
    // level-0 competitors: anchors that share some shown facts (overlap counted)…
    const ov = this.marksA;
    ov.clear();
    const partial: number[] = [];
    const singleFact = shownN === 1 && t.chain.length === 0;
    if (!singleFact) {
      for (const c of d.shown) {
        const list = g.nb(c.other, c.rel, flip(c.dir));
        for (let i = 0; i < list.length; i++) {
          const x = list[i]!;
          if (full[0]!.has(x)) continue;
          if (ov.add(x)) partial.push(x);
          ov.value[x]!++;
        }
      }
    }
    // …and anchors related to the true one by a perturbation relation
    const perturbFrom = singleFact ? d.shown[0]!.other : d.anchor;
    const related = this.perturb(perturbFrom, t.perturb);
    const out: Candidate[] = [];
    if (singleFact) {
      // one-hop, one fact: keep the relation, swap its entity for a related one
      const c = d.shown[0]!;
      const seen = this.marksB;
      seen.clear();
      for (const other of related) {
        this.eachCapped(g.nb(other, c.rel, flip(c.dir)), (x) => {
          if (!full[0]!.has(x) && seen.add(x)) out.push({ node: x, overlap: 0.5, origin: other, originRel: c.rel, originDir: c.dir });
        });
      }
      return out;
    }
    for (const x of related) {
      if (full[0]!.has(x)) continue;
      if (ov.add(x)) partial.push(x);
    }
    const overlapOf = (x: number) => ov.get(x) / shownN;
    if (t.chain.length === 0) {
      for (const x of partial) out.push({ node: x, overlap: overlapOf(x), origin: x });
      return out;
    }
    // multi-hop: carry the best-overlapping competitors along the chain
    const anchors = this.topByOverlap(partial, overlapOf, PARTIAL_ANCHOR_CAP);
    const levels = this.partialLevels;
    levels[0]!.clear();
    for (const a of anchors) levels[0]!.add(a);
    const frontier = this.propagate(anchors, t, levels, true);
    for (const y of frontier) {
      if (last.has(y)) continue;
      let origin = y;
      for (let s = t.chain.length; s > 0; s--) origin = levels[s]!.value[origin]!;
      out.push({ node: y, overlap: overlapOf(origin), origin });
    }
    return out;
  }

  /**
   * Walk `frontier` (already marked at level 0) along the template's chain, marking each
   * level and recording every node's predecessor (to recover paths). `capped`: follow at
   * most PERTURB_CAP neighbours per node (competitors need not be exhaustive; the true
   * answer set must be). Returns the last level's nodes.
   */
  private propagate(frontier: number[], t: QuestionTemplate, levels: NodeMarks[], capped: boolean): number[] {
    for (let s = 0; s < t.chain.length; s++) {
      const step = t.chain[s]!;
      const rel = this.g.rel(step.rel);
      const m = levels[s + 1]!;
      m.clear();
      const next: number[] = [];
      for (const x of frontier) {
        const visit = (y: number) => {
          if (m.add(y)) {
            m.value[y] = x;
            next.push(y);
          }
        };
        const list = this.g.nb(x, rel, step.dir);
        if (capped) this.eachCapped(list, visit);
        else for (let i = 0; i < list.length; i++) visit(list[i]!);
      }
      frontier = next;
    }
    return frontier;
  }

  /** visit at most PERTURB_CAP entries of a list, from a random start, wrapping around */
  private eachCapped(list: Uint32Array, visit: (x: number) => void): void {
    const start = list.length > PERTURB_CAP ? this.rng.int(list.length) : 0;
    for (let j = 0; j < Math.min(list.length, PERTURB_CAP); j++) visit(list[(start + j) % list.length]!);
  }

  private topByOverlap(xs: number[], overlapOf: (x: number) => number, cap: number): number[] {
    if (xs.length <= cap) return xs;
    const shuffled = this.rng.shufflePrefix(xs.slice());
    return shuffled.sort((a, b) => overlapOf(b) - overlapOf(a)).slice(0, cap);
  }

  /** Nodes one perturbation path away from `from` (capped per step), excluding `from`. */
  private perturb(from: number, paths: QuestionTemplate['perturb']): number[] {
    const g = this.g;
    const out: number[] = [];
    const seen = this.marksC;
    seen.clear();
    seen.add(from);
    for (const path of paths) {
      let frontier = [from];
      for (const step of path) {
        const rel = g.relOrMissing(step.rel);
        if (rel < 0) {
          frontier = [];
          break;
        }
        const next: number[] = [];
        for (const x of frontier) this.eachCapped(g.nb(x, rel, step.dir), (y) => next.push(y));
        frontier = next;
      }
      for (const x of frontier) if (seen.add(x)) out.push(x);
    }
    return out;
  }

  /** The fact of the KG that rules a candidate out, stated about the candidate (or its competing anchor). */
  private contradiction(d: Draft, c: Candidate): { fact: ContradictingFact; via?: Triple[] } | null {
    const g = this.g;
    const t = d.t;
    if (t.contradiction === 'conflicting-fact') {
      const rel = g.rel(t.conflictRel!);
      if (!g.has(c.node, rel, c.origin)) return null;
      return { fact: { ...g.edgeTriple(c.node, rel, c.origin), holds: true } };
    }
    const subject = t.chain.length === 0 ? c.node : c.origin;
    const missing = d.shown.find((s) => !g.satisfies(subject, s));
    if (!missing) return null;
    const fact: ContradictingFact = { ...g.triple(subject, missing), holds: false };
    if (t.chain.length === 0) {
      if (c.originRel === undefined) return { fact };
      const via = g.triple(c.node, { rel: c.originRel, dir: c.originDir!, other: c.origin });
      return { fact, via: [via] };
    }
    // the path competitor anchor → … → candidate
    const nodes = [c.node];
    for (let s = t.chain.length; s > 0; s--) nodes.unshift(this.partialLevels[s]!.value[nodes[0]!]!);
    const via = t.chain.map((step, s) => {
      const rel = g.rel(step.rel);
      const [h, tl] = step.dir === 'out' ? [nodes[s]!, nodes[s + 1]!] : [nodes[s + 1]!, nodes[s]!];
      return g.edgeTriple(h, rel, tl);
    });
    return { fact, via };
  }

  /** Verification by the KG, independent of how the draft was built, then the stem and record. */
  private finish(d: Draft): QuestionRecord | Dropped {
    const g = this.g;
    const t = d.t;
    const rng = this.rng;
    for (const e of d.evidence) if (g.tripleHolds(e) !== true) return new Dropped('evidence_not_in_graph');
    if (!this.satisfiesAll(d, d.answer)) return new Dropped('ambiguous_answer');
    if (t.contradiction === 'conflicting-fact' && g.has(d.answer, g.rel(t.conflictRel!), d.shown[0]!.other)) return new Dropped('ambiguous_answer');
    const answerType = g.kg.nodeTypeIndex(d.answer);
    for (const x of d.distractors) {
      if (g.kg.nodeTypeIndex(x.node) !== answerType) return new Dropped('unverified_distractor');
      if (this.satisfiesAll(d, x.node)) return new Dropped('ambiguous_answer');
      if (g.tripleHolds(x.fact) !== x.fact.holds) return new Dropped('unverified_distractor');
      if (x.via?.some((v) => g.tripleHolds(v) !== true)) return new Dropped('unverified_distractor');
    }
    // stem
    const slots: string[][] = t.evidence.map(() => []);
    const shownFacts = d.evidence.filter((e) => e.shown);
    for (const e of shownFacts) {
      const si = t.evidence.findIndex((s) => s.rel === e.relation);
      const other = t.evidence[si]!.dir === 'out' ? e.tail : e.head;
      slots[si]!.push(other.name);
    }
    const question = t.stems[rng.int(t.stems.length)]!({ slots });
    // options: the answer at a random letter
    const answerName = g.kg.nodeName(d.answer);
    const names = d.distractors.map((x) => g.kg.nodeName(x.node));
    const letters = optionLetters(names.length + 1);
    const answerAt = rng.int(letters.length);
    names.splice(answerAt, 0, answerName);
    const options: Record<string, string> = {};
    letters.forEach((l, i) => (options[l] = names[i]!));
    // filters
    if (malformation(question) || TAXONOMY_MARKUP.test(question) || names.some((x) => malformation(x) !== null || TAXONOMY_MARKUP.test(x))) return new Dropped('malformed_text');
    if (new Set(names.map(normalizeText)).size !== names.length) return new Dropped('duplicate_options');
    if (containsName(question, answerName) || g.kg.synonyms(d.answer).some((s) => s.length >= 4 && containsName(question, s))) return new Dropped('answer_named_in_stem');
    const textSig = `${t.type}|${stemSignature(question)}`;
    const factSig = factSignature(d);
    if (this.signatures.has(textSig) || this.signatures.has(factSig)) return new Dropped('near_duplicate_stem');
    this.signatures.add(textSig);
    this.signatures.add(factSig);

    const shownN = d.shown.length;
    const features = {
      hops: templateHops(t),
      evidenceShown: shownN,
      evidenceDropped: d.evidence.filter((e) => e.role === 'evidence' && !e.shown).length,
      answerRarity: Math.round(g.kg.rarity[d.answer]! * 1e4) / 1e4,
      answerDegree: g.kg.degree[d.answer]!,
      distractorOverlap: Math.round((d.distractors.reduce((s, x) => s + x.overlap, 0) / d.distractors.length) * 1e4) / 1e4,
      optionCount: letters.length,
    };
    const score = difficultyScore(features);
    this.lastAnswer = d.answer;
    const distractors: Distractor[] = d.distractors.map((x) => ({ ...g.ref(x.node), contradicted_by: x.fact, ...(x.via ? { via: x.via } : {}) }));
    return {
      id: `syn-${hash64(`${t.type}|${question}|${names.join('|')}|${letters[answerAt]}`)}`,
      question,
      options,
      answer_idx: letters[answerAt]!,
      answer: answerName,
      difficulty: tierOf(score),
      type: t.type,
      source: 'synthetic',
      status: 'pending',
      provenance: {
        graph: g.label,
        seed: this.settings.seed,
        alpha: this.settings.alpha,
        metapath: t.metapath,
        hops: features.hops,
        answer_node: g.ref(d.answer),
        evidence: d.evidence,
        distractors,
        features: { ...features, score },
      },
    };
  }

  /**
   * Does `candidate` satisfy every shown fact of the draft? One hop: the facts hold of
   * it directly. Multi-hop: walking the chain backwards from it reaches an anchor of
   * which all shown facts hold. (Contraindication items: the shown fact holds.)
   */
  satisfiesAll(d: Draft, candidate: number): boolean {
    const g = this.g;
    const t = d.t;
    if (t.chain.length === 0) return d.shown.every((c) => g.satisfies(candidate, c));
    let frontier = [candidate];
    const seen = this.marksB;
    for (let s = t.chain.length - 1; s >= 0; s--) {
      const step = t.chain[s]!;
      const rel = g.rel(step.rel);
      seen.clear();
      const next: number[] = [];
      for (const x of frontier) {
        const list = g.nb(x, rel, flip(step.dir));
        for (let i = 0; i < list.length; i++) if (seen.add(list[i]!)) next.push(list[i]!);
      }
      frontier = next;
    }
    return frontier.some((a) => d.shown.every((c) => g.satisfies(a, c)));
  }
}

const factSignature = (d: Draft) => `${d.t.type}#${d.shown.map((c) => `${c.rel}:${c.other}`).sort().join(',')}`;

/** median degree per node type (index by type) */
export function medianDegrees(kg: KnowledgeGraph): Uint32Array {
  const per: number[][] = kg.header.nodeTypes.map(() => []);
  for (let i = 0; i < kg.nodeCount; i++) per[kg.nodeTypeIndex(i)]!.push(kg.degree[i]!);
  return Uint32Array.from(per, (xs) => {
    if (xs.length === 0) return 0;
    xs.sort((a, b) => a - b);
    return xs[Math.floor(xs.length / 2)]!;
  });
}

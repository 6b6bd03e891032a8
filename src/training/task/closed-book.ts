/**
 * The from-scratch task: closed-book multi-hop chains over a fixed region of the KG.
 *
 * A question names a start entity and a path of relations — "e0 r1 r2 … rk ?" — and the
 * answer is the entity reached. Every relation is functional at every head used (in the
 * whole KG the head has exactly one tail for it), so each chain has exactly one endpoint and
 * every distractor is provably wrong. Entities and relations are single added tokens, the
 * trajectory writes the chain hop by hop (`<think>e0 r1 e1 r2 e2</think><answer>e2</answer>`),
 * and the answer is written by name. Held-out items are chains from held-out start entities,
 * every fact of which the model saw in training: they test composition, not memory.
 * See README.md for why a tiny model can learn this one and not the others tried.
 */
import type { KnowledgeGraph } from '../../graph/knowledge-graph';
import type { Difficulty, EvidenceTriple, NodeRef, QuestionRecord, Triple } from '../../synthesis/record';
import { optionLetters } from '../../synthesis/record';
import { Rng, WeightedSampler } from '../../synthesis/rng';
import { hash64 } from '../../synthesis/text';
import type { CotRecord } from '../../trajectories/cot-record';
import { FORMAT_TOKENS } from '../tokenizer/types';
import { AddedTokenMatcher } from './added-tokens';
import { completionText, plainPrompt } from './prompt';
import { correctnessReward, formatReward, normalizeAnswer, resolveAnswer } from './reward';

/** A relation as the model reads it: one token, one KG edge type read in one direction. */
export interface ChainRelation {
  token: string;
  edgeType: string;
  /** out: head = the edge's source; in: head = the edge's target (the relation read backwards) */
  direction: 'out' | 'in';
  /** English, for explanations and the open-book sentences */
  label: string;
}

/**
 * Real medical relations that are functional at most of their heads in the default graph
 * (share of heads with exactly one tail): is_a 99.6%, in_specialty 84%, causes (pathogen →
 * disease) 82%, associated_with (gene → disease) 68%, in_pathway 67%, targets 61%,
 * localizes 48%, caused_by 39%, treats 33%, in_class 6%. Only the functional heads are used.
 * They compose across types (drug → gene → disease → disease → anatomy), so chains of four
 * hops exist with several shapes, not only is_a ladders.
 */
export const CHAIN_RELATIONS: readonly ChainRelation[] = [
  { token: 'is_a', edgeType: 'is_a', direction: 'out', label: 'is a' },
  { token: 'localizes', edgeType: 'localizes', direction: 'out', label: 'localizes to' },
  { token: 'in_specialty', edgeType: 'in_specialty', direction: 'out', label: 'is managed in' },
  { token: 'caused_by', edgeType: 'caused_by', direction: 'out', label: 'is caused by' },
  { token: 'causes', edgeType: 'caused_by', direction: 'in', label: 'causes' },
  { token: 'treats', edgeType: 'treats', direction: 'out', label: 'treats' },
  { token: 'in_class', edgeType: 'in_class', direction: 'out', label: 'is in class' },
  { token: 'targets', edgeType: 'targets', direction: 'out', label: 'targets' },
  { token: 'associated_with', edgeType: 'associates', direction: 'in', label: 'is associated with' },
  { token: 'in_pathway', edgeType: 'participates_pathway', direction: 'out', label: 'participates in' },
];

/** hops → tier: 1–2 hops easy (the cold start covers them), 3 moderate (RL stage 1), 4+ difficult (stage 2) */
export function tierOfHops(hops: number): Difficulty {
  return hops <= 2 ? 'easy' : hops === 3 ? 'moderate' : 'difficult';
}
export const TIER_RULE = { easy: '1–2 hops', moderate: '3 hops', difficult: '4 hops' } as const;

export const CLOSED_BOOK_SOURCE = 'kg-closed-book';

export interface ClosedBookSettings {
  seed: number;
  /** size of the KG region (entities); the facts among them follow */
  entities: number;
  /** longest chain (hops) */
  maxHops: number;
  /** the SFT set holds the facts and the training chains up to this many hops */
  sftMaxHops: number;
  /**
   * share of the training chains longer than sftMaxHops that also enter SFT, so that the cold
   * start has seen the longest chain written out (format and length) without being trained to
   * saturation on it: the Difficult tier keeps room for RL stage 2, as in the paper
   */
  sftLongShare: number;
  /**
   * how the facts enter SFT: as the 1-hop multiple-choice items ('choice'), as open-recall
   * items with the same stem and no options ('recall'), or both. Measured: a model taught the
   * facts only as choice items leans on the options (it picks the key among them) and recalls a
   * held-out start's fact far less often inside a chain, whose options hold the end of the
   * chain, not the first hop (see README.md)
   */
  sftFacts: 'choice' | 'recall' | 'both';
  /** held-out items wanted, spread evenly over 2..maxHops hops */
  heldoutMin: number;
  /** never hold out more than this share of the start entities */
  maxHeldoutStartShare: number;
  /** at most this many children of one is_a parent join the region (keeps it from being one family) */
  parentCap: number;
  /** relation tokens to use (default: all of CHAIN_RELATIONS the graph has) */
  relations?: string[];
  /** options per item */
  optionCount: number;
  /** the graph's label for provenance */
  graph: string;
}

export const DEFAULT_CLOSED_BOOK: Omit<ClosedBookSettings, 'seed' | 'graph'> = {
  // 500, not the ~400 of the issue's experiment: with strictly functional relations, the
  // shortcut filter and the answer cap, 400 entities leave fewer than 600 held-out chains
  entities: 500,
  maxHops: 4,
  sftMaxHops: 2,
  sftLongShare: 0,
  sftFacts: 'choice',
  heldoutMin: 600,
  maxHeldoutStartShare: 0.5,
  parentCap: 4,
  optionCount: 4,
};

interface Fact {
  head: number;
  rel: number;
  tail: number;
}

interface Chain {
  /** e0 … ek */
  nodes: number[];
  /** r1 … rk, indices into the relation list */
  rels: number[];
}

type Split = 'train' | 'heldout';

interface Item extends Chain {
  split: Split;
  record?: QuestionRecord;
}

export interface TaskVocabulary {
  format: 'fleming-task-vocabulary';
  version: 1;
  task: typeof CLOSED_BOOK_SOURCE;
  relations: { token: string; edge_type: string; direction: 'out' | 'in'; label: string; facts: number }[];
  entities: { token: string; id: string; type: string }[];
  /** every token to add, in order: the answer-format markers, then relations, then entities */
  added_tokens: string[];
  /** how to add them to a Hugging Face tokenizer.json (AddedToken fields) */
  added_token_flags: { single_word: false; lstrip: false; rstrip: false; normalized: false; special: false };
}

export interface ClosedBookManifest {
  format: 'fleming-closed-book-task';
  version: 1;
  settings: ClosedBookSettings;
  tiers: typeof TIER_RULE;
  region: { entities: number; facts: number; entityTypes: Record<string, number>; factsPerRelation: Record<string, number> };
  counts: Record<'train' | 'sft' | 'heldout', { n: number; perHops: Record<string, number>; perDifficulty: Partial<Record<Difficulty, number>> }>;
  /** how often the key sits at each letter, per split: guessing a letter stays at 1/optionCount */
  keyLetters: Record<'train' | 'heldout', Record<string, number>>;
  starts: { train: number; heldout: number; heldoutIds: string[] };
  /** split checks, recomputed from the written records (0 = no leak) */
  checks: { heldoutStartsInTrainingChains: number; heldoutFactsMissingFromTraining: number; heldoutItemsInTraining: number };
  /**
   * held-out accuracy of answer-free strategies: chance (1/options) and the answer priors
   * (pick the option most often the key of training items ending in the same relation, or
   * with the same relation path)
   */
  baselines: { chance: number; answerPrior: number; answerPriorPath: number };
  /**
   * chains left out: a shorter walk along them reaches the same answer (not really k-hop); an
   * answer over its share of its relation path (answer cap); too few distractor candidates
   */
  dropped: { shortcut: number; answerCap: number; noDistractors: number };
}

export interface ClosedBookTask {
  /** RL training items: every fact of the region and the training chains of 1..maxHops hops */
  train: QuestionRecord[];
  /**
   * the cold-start items: every fact (as choice items from train, or open-recall items with no
   * options — `meta.recall`, SFT only, never in train), the training chains up to sftMaxHops,
   * and a `sftLongShare` sample of the longer training chains
   */
  sft: QuestionRecord[];
  /** one CotRecord per SFT item: its chain written hop by hop */
  trajectories: CotRecord[];
  heldout: QuestionRecord[];
  /** region facts as KG-oriented triples, for inspection */
  facts: Triple[];
  vocabulary: TaskVocabulary;
  manifest: ClosedBookManifest;
}

const ADDED_FLAGS = { single_word: false, lstrip: false, rstrip: false, normalized: false, special: false } as const;
/** how often each start type is drawn while growing the region: diseases dominate the KG, the others add chain shapes */
const START_TYPE_WEIGHT: Record<string, number> = { disease: 4, gene: 3, drug: 2, pathogen: 1 };
const CANDIDATES_PER_PICK = 32;

/** Names the model can read as one token and the reward can match unambiguously. */
function usableName(name: string, relationTokens: Set<string>): boolean {
  if (name.length < 2 || name !== name.trim() || /[<>\n\r\t]/.test(name) || /\s{2}/.test(name)) return false;
  const n = normalizeAnswer(name);
  if (n.length < 2 || relationTokens.has(n)) return false;
  // a name that reads as an option letter ("b)", "(c)") would be resolved as that letter
  return resolveAnswer(name, { A: '\u0000' }) === null && !/^\(?[a-j]\)?[.:)]?$/.test(n);
}

class FunctionalFacts {
  /** node → facts with that head */
  readonly out = new Map<number, Fact[]>();
  readonly rels: ChainRelation[];
  readonly relIndex: number[];

  constructor(
    readonly kg: KnowledgeGraph,
    rels: readonly ChainRelation[],
  ) {
    this.rels = rels.filter((r) => kg.edgeTypeIndex(r.edgeType) >= 0);
    this.relIndex = this.rels.map((r) => kg.edgeTypeIndex(r.edgeType));
    const tokens = new Set(this.rels.map((r) => normalizeAnswer(r.token)));
    const facts: Fact[] = [];
    this.rels.forEach((r, ri) => {
      const et = this.relIndex[ri]!;
      for (let i = 0; i < kg.nodeCount; i++) {
        const nb = kg.neighbours(i, et, r.direction);
        if (nb.length === 1 && nb[0] !== i) facts.push({ head: i, rel: ri, tail: nb[0]! });
      }
    });
    // names must be usable and unique (as the reward compares them) among the nodes facts touch
    const nameCount = new Map<string, number>();
    const touched = new Set<number>();
    for (const f of facts) touched.add(f.head).add(f.tail);
    for (const n of touched) {
      const k = normalizeAnswer(kg.nodeName(n));
      nameCount.set(k, (nameCount.get(k) ?? 0) + 1);
    }
    const ok = (n: number) => nameCount.get(normalizeAnswer(kg.nodeName(n))) === 1 && usableName(kg.nodeName(n), tokens);
    for (const f of facts) {
      if (!ok(f.head) || !ok(f.tail)) continue;
      const list = this.out.get(f.head);
      if (list) list.push(f);
      else this.out.set(f.head, [f]);
    }
  }

  /** nodes reachable in ≤ hops forward steps, the start included */
  closure(start: number, hops: number): Set<number> {
    const seen = new Set([start]);
    let frontier = [start];
    for (let k = 0; k < hops && frontier.length; k++) {
      const next: number[] = [];
      for (const n of frontier) for (const f of this.out.get(n) ?? []) if (!seen.has(f.tail)) (seen.add(f.tail), next.push(f.tail));
      frontier = next;
    }
    return seen;
  }

  /** the longest forward walk without revisits, capped */
  depth(n: number, cap: number, seen: number[] = [n]): number {
    if (cap === 0) return 0;
    let best = 0;
    for (const f of this.out.get(n) ?? []) if (!seen.includes(f.tail)) best = Math.max(best, 1 + this.depth(f.tail, cap - 1, [...seen, f.tail]));
    return best;
  }
}

/** walks of 1..maxHops hops without revisiting an entity, from `start`, over facts inside `inside` */
function walks(ff: FunctionalFacts, start: number, maxHops: number, inside: (n: number) => boolean, visit: (c: Chain) => void): void {
  const rec = (nodes: number[], rels: number[]) => {
    if (rels.length) visit({ nodes: [...nodes], rels: [...rels] });
    if (rels.length === maxHops) return;
    for (const f of ff.out.get(nodes[nodes.length - 1]!) ?? []) {
      if (!inside(f.tail) || nodes.includes(f.tail)) continue;
      nodes.push(f.tail);
      rels.push(f.rel);
      rec(nodes, rels);
      nodes.pop();
      rels.pop();
    }
  };
  rec([start], []);
}

/**
 * Grows the region greedily: each pick takes, among a few candidate start entities of the
 * scheduled type, the one whose forward closure adds the most multi-hop chains per new
 * entity, and adds that closure. Compact (chains share ancestors) yet varied (type schedule,
 * is_a parent cap).
 */
function growRegion(ff: FunctionalFacts, s: ClosedBookSettings, rng: Rng): Set<number> {
  const kg = ff.kg;
  const isA = ff.rels.findIndex((r) => r.token === 'is_a');
  const parentOf = (n: number) => (isA < 0 ? undefined : ff.out.get(n)?.find((f) => f.rel === isA)?.tail);
  const byType = new Map<string, number[]>();
  for (const n of [...ff.out.keys()].sort((a, b) => a - b)) {
    if (ff.depth(n, s.maxHops) < s.maxHops) continue;
    const t = kg.nodeType(n);
    const list = byType.get(t);
    if (list) list.push(n);
    else byType.set(t, [n]);
  }
  const types = [...byType.keys()].sort();
  for (const t of types) rng.shufflePrefix(byType.get(t)!);
  const schedule: string[] = [];
  for (const t of types) for (let i = 0; i < (START_TYPE_WEIGHT[t] ?? 1); i++) schedule.push(t);
  const ptr = new Map<string, number>();
  const region = new Set<number>();
  const children = new Map<number, number>();
  const add = (n: number) => {
    if (region.has(n)) return;
    region.add(n);
    const p = parentOf(n);
    if (p !== undefined) children.set(p, (children.get(p) ?? 0) + 1);
  };
  for (let turn = 0; region.size < s.entities; turn++) {
    const live = schedule.filter((t) => (ptr.get(t) ?? 0) < byType.get(t)!.length);
    if (!live.length) break;
    const t = live[turn % live.length]!;
    const pool = byType.get(t)!;
    const from = ptr.get(t) ?? 0;
    ptr.set(t, from + CANDIDATES_PER_PICK);
    let best: Set<number> | null = null;
    let bestScore = -1;
    for (const c of pool.slice(from, from + CANDIDATES_PER_PICK)) {
      if (region.has(c)) continue;
      const p = parentOf(c);
      if (p !== undefined && (children.get(p) ?? 0) >= s.parentCap) continue;
      const cl = ff.closure(c, s.maxHops);
      let fresh = 0;
      for (const x of cl) if (!region.has(x)) fresh++;
      let chains = 0;
      walks(ff, c, s.maxHops, (x) => region.has(x) || cl.has(x), (w) => void (w.rels.length >= 2 && !hasShortcut(ff, w) && (chains += w.rels.length - 1)));
      const score = chains / Math.max(1, fresh);
      if (score > bestScore) (bestScore = score), (best = cl);
    }
    if (best) for (const x of best) add(x);
  }
  return region;
}

/**
 * A k-hop chain must need its k hops: drop it when applying its last relation to an earlier
 * entity of the chain already gives the answer (specialties and sites are often inherited
 * down the is_a tree, so "X is_a is_a in_specialty" would equal "X in_specialty").
 */
function hasShortcut(ff: FunctionalFacts, c: Chain): boolean {
  const last = c.rels[c.rels.length - 1]!;
  const key = c.nodes[c.nodes.length - 1]!;
  for (let j = 0; j < c.nodes.length - 2; j++) if (ff.out.get(c.nodes[j]!)?.some((f) => f.rel === last && f.tail === key)) return true;
  return false;
}

/**
 * Distractors: entities that end other items with the same last relation (same type, plausible),
 * chosen so that no answer-free prior picks the key more often than chance. A model can learn
 * how often each entity is the answer after a given relation path; if the key were usually the
 * most frequent option, that prior alone would beat chance. So each item gets a target rank
 * of its key among its options by training frequency (path-conditional, then by last
 * relation), balanced over the ranks 1..options within each (split, hops) group, and its
 * distractors are drawn above and below the key accordingly.
 */
class DistractorPicker {
  private readonly byPath = new Map<string, Map<number, number>>();
  private readonly byLast = new Map<number, Map<number, number>>();
  private readonly pools = new Map<number, number[]>();
  private readonly totals = new Map<Map<number, number>, number>();

  constructor(
    items: Item[],
    private readonly optionCount: number,
    private readonly sameType: Map<string, number[]>,
    private readonly typeOf: (n: number) => string,
  ) {
    const bump = <K>(m: Map<K, Map<number, number>>, k: K, n: number) => {
      const inner = m.get(k) ?? (m.set(k, new Map()), m.get(k)!);
      inner.set(n, (inner.get(n) ?? 0) + 1);
    };
    const pools = new Map<number, Set<number>>();
    for (const it of items) {
      const key = it.nodes[it.nodes.length - 1]!;
      const last = it.rels[it.rels.length - 1]!;
      (pools.get(last) ?? (pools.set(last, new Set()), pools.get(last)!)).add(key);
      if (it.split !== 'train') continue;
      bump(this.byPath, it.rels.join(','), key);
      bump(this.byLast, last, key);
    }
    for (const [r, set] of pools) this.pools.set(r, [...set].sort((a, b) => a - b));
    for (const m of [...this.byPath.values(), ...this.byLast.values()]) this.totals.set(m, [...m.values()].reduce((a, b) => a + b, 0));
  }

  /** training frequency as the key: after this exact relation path, then after this last relation */
  private score(it: Chain, n: number): number {
    const path = this.byPath.get(it.rels.join(','));
    const last = this.byLast.get(it.rels[it.rels.length - 1]!);
    return (path?.get(n) ?? 0) / (this.totals.get(path!) ?? 1) + (last?.get(n) ?? 0) / (this.totals.get(last!) ?? 1);
  }

  /** distractors for each item of a group, or null where too few candidates exist */
  pickGroup(group: Item[], rng: Rng): (number[] | null)[] {
    const k = this.optionCount - 1;
    const plans = group.map((it) => {
      const key = it.nodes[it.nodes.length - 1]!;
      let cands = (this.pools.get(it.rels[it.rels.length - 1]!) ?? []).filter((n) => n !== key);
      if (cands.length < k) cands = [...cands, ...(this.sameType.get(this.typeOf(key)) ?? []).filter((n) => n !== key && !cands.includes(n))];
      const sk = this.score(it, key);
      const higher = cands.filter((n) => this.score(it, n) > sk);
      const lower = cands.filter((n) => this.score(it, n) < sk);
      const equal = cands.filter((n) => this.score(it, n) === sk);
      // rank ρ (1 = the key is the most frequent option) needs ρ−1 higher and k−ρ+1 others
      const feasible: number[] = [];
      for (let rho = 1; rho <= this.optionCount; rho++) if (rho - 1 <= higher.length && k - (rho - 1) <= lower.length + equal.length) feasible.push(rho);
      return { higher, lower, equal, feasible, enough: cands.length >= k };
    });
    const order = group.map((_, i) => i);
    rng.shufflePrefix(order);
    order.sort((a, b) => plans[a]!.feasible.length - plans[b]!.feasible.length);
    const used = new Array<number>(this.optionCount + 1).fill(0);
    const out: (number[] | null)[] = group.map(() => null);
    for (const i of order) {
      const p = plans[i]!;
      if (!p.enough || !p.feasible.length) continue;
      const least = Math.min(...p.feasible.map((r) => used[r]!));
      const ties = p.feasible.filter((r) => used[r] === least);
      const rho = ties[rng.int(ties.length)]!;
      used[rho]!++;
      const hi = rng.shufflePrefix([...p.higher], rho - 1).slice(0, rho - 1);
      // strictly lower first; ties with the key only when nothing lower is left
      const lo = [...rng.shufflePrefix([...p.lower]), ...rng.shufflePrefix([...p.equal])].slice(0, k - (rho - 1));
      out[i] = rng.shufflePrefix([...hi, ...lo]);
    }
    return out;
  }
}

/**
 * The answer cap: within each relation path, and within each (hops, last relation), no entity
 * may be the key of more than `share` of the items (else "always answer neurology after
 * in_specialty" beats chance). Per group it keeps, per key, at most the largest m with
 * Σ min(c_i, m)·share ≥ m — nothing when the group has fewer than 1/share distinct answers.
 */
function capGroup(chains: Chain[], share: number, groupOf: (c: Chain) => string, rng: Rng): Chain[] {
  const groups = new Map<string, Map<number, Chain[]>>();
  for (const c of chains) {
    const p = groupOf(c);
    const g = groups.get(p) ?? (groups.set(p, new Map()), groups.get(p)!);
    const k = c.nodes[c.nodes.length - 1]!;
    g.set(k, [...(g.get(k) ?? []), c]);
  }
  const out: Chain[] = [];
  for (const [, perKey] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const cs = [...perKey.values()].map((l) => l.length);
    let m = Math.max(...cs);
    while (m > 0 && cs.reduce((a, c) => a + Math.min(c, m), 0) * share < m) m--;
    for (const [, l] of [...perKey].sort(([a], [b]) => a - b)) out.push(...rng.shufflePrefix([...l], m).slice(0, m));
  }
  return out;
}

function capByKey(chains: Chain[], share: number, seed: number): Chain[] {
  const rng = new Rng(seed);
  const byPath = capGroup(chains, share, (c) => c.rels.join(','), rng);
  return capGroup(byPath, share, (c) => `${c.rels.length}:${c.rels[c.rels.length - 1]}`, rng);
}

function balancedLetters(n: number, letters: string[], rng: Rng): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(letters[i % letters.length]!);
  return rng.shufflePrefix(out);
}

function countBy<T>(xs: readonly T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

export function buildClosedBookTask(kg: KnowledgeGraph, settings: Partial<ClosedBookSettings> & Pick<ClosedBookSettings, 'seed' | 'graph'>): ClosedBookTask {
  const s: ClosedBookSettings = { ...DEFAULT_CLOSED_BOOK, ...settings };
  if (s.maxHops < 2) throw new Error(`maxHops must be at least 2, got ${s.maxHops}`);
  if (s.sftMaxHops < 1 || s.sftMaxHops >= s.maxHops) throw new Error(`sftMaxHops must be from 1 to maxHops−1 (${s.maxHops - 1}), got ${s.sftMaxHops}`);
  if (!(s.sftLongShare >= 0 && s.sftLongShare <= 1)) throw new Error(`sftLongShare must be from 0 to 1, got ${s.sftLongShare}`);
  if (!['choice', 'recall', 'both'].includes(s.sftFacts)) throw new Error(`sftFacts must be choice, recall or both, got ${JSON.stringify(s.sftFacts)}`);
  if (s.optionCount < 2 || s.optionCount > 10) throw new Error(`optionCount must be from 2 to 10, got ${s.optionCount}`);
  const wanted = s.relations ? CHAIN_RELATIONS.filter((r) => s.relations!.includes(r.token)) : CHAIN_RELATIONS;
  const unknown = (s.relations ?? []).filter((t) => !CHAIN_RELATIONS.some((r) => r.token === t));
  if (unknown.length) throw new Error(`unknown relation ${unknown.map((u) => `"${u}"`).join(', ')} (known: ${CHAIN_RELATIONS.map((r) => r.token).join(', ')})`);
  const rng = new Rng(s.seed);
  const ff = new FunctionalFacts(kg, wanted);
  if (!ff.out.size) throw new Error(`the graph has no functional facts for the relations ${wanted.map((r) => r.token).join(', ')}`);
  const region = growRegion(ff, s, new Rng(rng.fork()));
  // an entity type with fewer members than options cannot supply distractors: leave it out
  for (;;) {
    const perType = countBy([...region], (n) => kg.nodeType(n));
    const few = [...region].filter((n) => perType[kg.nodeType(n)]! < s.optionCount);
    if (!few.length) break;
    for (const n of few) region.delete(n);
  }
  const inRegion = (n: number) => region.has(n);
  const regionNodes = [...region].sort((a, b) => a - b);

  // every walk inside the region; facts are the 1-hop walks
  let dropped = 0;
  const byStart = new Map<number, Chain[]>();
  const facts: Chain[] = [];
  for (const e0 of regionNodes) {
    const list: Chain[] = [];
    walks(ff, e0, s.maxHops, inRegion, (c) => {
      if (c.rels.length === 1) facts.push(c);
      else if (hasShortcut(ff, c)) dropped++;
      else list.push(c);
    });
    if (list.length) byStart.set(e0, list);
  }

  // held-out starts: drawn until every hop length 2..maxHops has its share of held-out chains
  // (counted after the answer cap below)
  const hopsRange: number[] = [];
  for (let h = 2; h <= s.maxHops; h++) hopsRange.push(h);
  const target = Math.ceil(s.heldoutMin / hopsRange.length);
  const share = 1 / s.optionCount;
  const starts = [...byStart.keys()];
  rng.shufflePrefix(starts);
  const heldoutStarts = new Set<number>();
  const maxHeld = Math.floor(starts.length * s.maxHeldoutStartShare);
  let held: Chain[] = [];
  let keptHeld: Chain[] = [];
  const capSeed = rng.fork();
  const have = (h: number) => keptHeld.filter((c) => c.rels.length === h).length;
  for (const e0 of starts) {
    if (hopsRange.every((h) => have(h) >= target) || heldoutStarts.size >= maxHeld) break;
    heldoutStarts.add(e0);
    held = held.concat(byStart.get(e0)!);
    keptHeld = capByKey(held, share, capSeed);
  }
  const items: Item[] = facts.map((c) => ({ ...c, split: 'train' as Split }));
  const trainChains = starts.filter((e0) => !heldoutStarts.has(e0)).flatMap((e0) => byStart.get(e0)!);
  // training chains are kept whole (more to learn from); held-out items are capped, and their
  // options are rank-balanced against the training frequencies (DistractorPicker)
  for (const c of trainChains) items.push({ ...c, split: 'train' });
  // the same number of held-out chains per hop length, so "overall" weighs the tiers evenly
  const perHop = Math.min(...hopsRange.map((h) => keptHeld.filter((c) => c.rels.length === h).length));
  for (const h of hopsRange) {
    const list = keptHeld.filter((c) => c.rels.length === h);
    rng.shufflePrefix(list, perHop);
    for (const c of list.slice(0, perHop)) items.push({ ...c, split: 'heldout' });
  }
  const droppedByCap = held.length - keptHeld.length;

  const sameType = new Map<string, number[]>();
  for (const n of regionNodes) sameType.set(kg.nodeType(n), [...(sameType.get(kg.nodeType(n)) ?? []), n]);
  // facts into each entity per relation, for the distractors' "via" (the fact that leads to them)
  const factsInto = new Map<string, Chain[]>();
  for (const f of facts) {
    const k = `${f.rels[0]}:${f.nodes[1]}`;
    factsInto.set(k, [...(factsInto.get(k) ?? []), f]);
  }

  const letters = optionLetters(s.optionCount);
  const ref = (n: number): NodeRef => ({ id: kg.nodeId(n), type: kg.nodeType(n), name: kg.nodeName(n) });
  const kgTriple = (head: number, rel: number, tail: number): Triple => {
    const r = ff.rels[rel]!;
    return r.direction === 'out' ? { head: ref(head), relation: r.edgeType, tail: ref(tail) } : { head: ref(tail), relation: r.edgeType, tail: ref(head) };
  };

  // key letters balanced within each (split, hops) group
  const groups = new Map<string, Item[]>();
  for (const it of items) {
    const k = `${it.split}:${it.rels.length}`;
    groups.set(k, [...(groups.get(k) ?? []), it]);
  }
  const optRng = new Rng(rng.fork());
  const picker = new DistractorPicker(items, s.optionCount, sameType, (n) => kg.nodeType(n));
  let droppedNoDistractors = 0;
  for (const [, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const keyAt = balancedLetters(group.length, letters, optRng);
    const chosenFor = picker.pickGroup(group, optRng);
    group.forEach((it, gi) => {
      const rel = it.rels[it.rels.length - 1]!;
      const key = it.nodes[it.nodes.length - 1]!;
      const prev = it.nodes[it.nodes.length - 2]!;
      // the whole KG agrees the chain's last head has only the key for this relation
      const tails = kg.neighbours(prev, ff.relIndex[rel]!, ff.rels[rel]!.direction);
      if (tails.length !== 1 || tails[0] !== key) throw new Error(`internal: ${kg.nodeName(prev)} ${ff.rels[rel]!.token} is not functional`);
      const chosen = chosenFor[gi];
      if (!chosen) {
        droppedNoDistractors++;
        return;
      }
      const keyLetter = keyAt[gi]!;
      const options: Record<string, string> = {};
      const distractorAt: Record<string, number> = {};
      let di = 0;
      for (const l of letters) {
        if (l === keyLetter) options[l] = kg.nodeName(key);
        else (distractorAt[l] = chosen[di]!), (options[l] = kg.nodeName(chosen[di++]!));
      }
      const hops = it.rels.length;
      const relTokens = it.rels.map((r) => ff.rels[r]!.token);
      const evidence: EvidenceTriple[] = it.rels.map((r, i) => ({ ...kgTriple(it.nodes[i]!, r, it.nodes[i + 1]!), shown: false, role: 'chain' }));
      const types = it.nodes.map((n) => kg.nodeType(n));
      it.record = {
        id: `cb${hops}-${hash64(`${kg.nodeId(it.nodes[0]!)}|${relTokens.join(' ')}`)}`,
        question: `${kg.nodeName(it.nodes[0]!)} ${relTokens.join(' ')} ?`,
        options,
        answer_idx: keyLetter,
        answer: kg.nodeName(key),
        difficulty: tierOfHops(hops),
        type: `chain-${hops}hop`,
        source: CLOSED_BOOK_SOURCE,
        status: 'accepted',
        provenance: {
          graph: s.graph,
          seed: s.seed,
          alpha: 0,
          metapath: types.map((t, i) => (i === 0 ? t : `-${relTokens[i - 1]}-> ${t}`)).join(' '),
          hops,
          answer_node: ref(key),
          evidence,
          distractors: letters
            .filter((l) => l !== keyLetter)
            .map((l) => {
              const d = distractorAt[l]!;
              const into = (factsInto.get(`${rel}:${d}`) ?? []).filter((f) => f.nodes[0] !== prev);
              const via = into.length ? [kgTriple(into[0]!.nodes[0]!, rel, d)] : undefined;
              return { ...ref(d), contradicted_by: { ...kgTriple(prev, rel, d), holds: false }, ...(via ? { via } : {}) };
            }),
          features: {
            hops,
            evidenceShown: 0,
            evidenceDropped: 0,
            answerRarity: kg.rarity[key]!,
            answerDegree: kg.degree[key]!,
            distractorOverlap: 0,
            optionCount: s.optionCount,
            score: Math.round((hops / s.maxHops) * 1e4) / 1e4,
          },
        },
        meta: { split: it.split, sft: it.split === 'train' && hops <= s.sftMaxHops, chain: chainTokens(kg, ff, it) },
      };
    });
  }
  const done = items.filter((it) => it.record);
  const train = done.filter((it) => it.split === 'train').map((it) => it.record!);
  const heldout = done.filter((it) => it.split === 'heldout').map((it) => it.record!);
  // a seeded sample of the longer training chains joins the cold start (drawn last, so the
  // rest of the task is the same whatever the share)
  const longer = train.filter((r) => r.provenance!.hops! > s.sftMaxHops);
  const longRng = new Rng(rng.fork());
  for (const r of longRng.shufflePrefix([...longer]).slice(0, Math.round(longer.length * s.sftLongShare))) r.meta!.sft = true;
  const recall = (r: QuestionRecord): QuestionRecord => ({ ...r, id: `${r.id}-recall`, type: 'fact-recall', options: {}, answer_idx: '', meta: { ...r.meta, recall: true } });
  const sft = train.flatMap((r) => {
    if (r.meta!.sft !== true) return [];
    if (r.provenance!.hops !== 1 || s.sftFacts === 'choice') return [r];
    return s.sftFacts === 'recall' ? [recall(r)] : [r, recall(r)];
  });

  const vocabulary = buildVocabulary(kg, ff, regionNodes, facts);
  const trajectories = sft.map((r) => sftTrajectory(r, ff, facts, kg));
  verifyTokenisation(vocabulary, [...train, ...heldout, ...sft.filter((r) => r.meta!.recall === true)], trajectories);

  const checks = splitChecks(train, heldout);
  const manifest: ClosedBookManifest = {
    format: 'fleming-closed-book-task',
    version: 1,
    settings: s,
    tiers: TIER_RULE,
    region: {
      entities: region.size,
      facts: facts.length,
      entityTypes: countBy(regionNodes, (n) => kg.nodeType(n)),
      factsPerRelation: countBy(facts, (f) => ff.rels[f.rels[0]!]!.token),
    },
    counts: {
      train: counts(train),
      sft: counts(sft),
      heldout: counts(heldout),
    },
    keyLetters: { train: countBy(train, (r) => r.answer_idx), heldout: countBy(heldout, (r) => r.answer_idx) },
    starts: { train: starts.length - heldoutStarts.size, heldout: heldoutStarts.size, heldoutIds: [...heldoutStarts].sort((a, b) => a - b).map((n) => kg.nodeId(n)) },
    checks,
    baselines: { chance: 1 / s.optionCount, answerPrior: answerPriorAccuracy(train, heldout, 'last'), answerPriorPath: answerPriorAccuracy(train, heldout, 'path') },
    dropped: { shortcut: dropped, answerCap: droppedByCap, noDistractors: droppedNoDistractors },
  };
  return { train, sft, trajectories, heldout, facts: facts.map((f) => kgTriple(f.nodes[0]!, f.rels[0]!, f.nodes[1]!)), vocabulary, manifest };
}

/**
 * The split's promises, recomputed from the records alone: no training chain starts at a
 * held-out start entity, every fact of every held-out chain is a 1-hop training item, and
 * no held-out id is in training.
 */
export function splitChecks(train: QuestionRecord[], heldout: QuestionRecord[]): ClosedBookManifest['checks'] {
  const chainOf = (r: QuestionRecord) => r.meta?.chain as string[];
  const trainStarts = new Set(train.filter((r) => chainOf(r).length > 3).map((r) => chainOf(r)[0]!));
  const trainFacts = new Set(train.filter((r) => chainOf(r).length === 3).map((r) => chainOf(r).join('\u0001')));
  const heldStarts = new Set(heldout.map((r) => chainOf(r)[0]!));
  let missing = 0;
  for (const r of heldout) {
    const c = chainOf(r);
    for (let i = 0; i + 2 < c.length; i += 2) if (!trainFacts.has(c.slice(i, i + 3).join('\u0001'))) missing++;
  }
  const trainIds = new Set(train.map((r) => r.id));
  return {
    heldoutStartsInTrainingChains: [...heldStarts].filter((s) => trainStarts.has(s)).length,
    heldoutFactsMissingFromTraining: missing,
    heldoutItemsInTraining: heldout.filter((r) => trainIds.has(r.id)).length,
  };
}

function counts(rs: QuestionRecord[]) {
  return {
    n: rs.length,
    perHops: countBy(rs, (r) => String(r.provenance!.hops)),
    perDifficulty: countBy(rs, (r) => r.difficulty) as Partial<Record<Difficulty, number>>,
  };
}

/** e0 r1 e1 … rk ek as tokens */
function chainTokens(kg: KnowledgeGraph, ff: FunctionalFacts, c: Chain): string[] {
  const out = [kg.nodeName(c.nodes[0]!)];
  c.rels.forEach((r, i) => out.push(ff.rels[r]!.token, kg.nodeName(c.nodes[i + 1]!)));
  return out;
}

function buildVocabulary(kg: KnowledgeGraph, ff: FunctionalFacts, nodes: number[], facts: Chain[]): TaskVocabulary {
  const perRel = countBy(facts, (f) => String(f.rels[0]));
  const relations = ff.rels.map((r, i) => ({ token: r.token, edge_type: r.edgeType, direction: r.direction, label: r.label, facts: perRel[String(i)] ?? 0 })).filter((r) => r.facts > 0);
  const entities = nodes.map((n) => ({ token: kg.nodeName(n), id: kg.nodeId(n), type: kg.nodeType(n) }));
  return {
    format: 'fleming-task-vocabulary',
    version: 1,
    task: CLOSED_BOOK_SOURCE,
    relations,
    entities,
    added_tokens: [...FORMAT_TOKENS, ...relations.map((r) => r.token), ...entities.map((e) => e.token)],
    added_token_flags: ADDED_FLAGS,
  };
}

function sftTrajectory(r: QuestionRecord, ff: FunctionalFacts, facts: Chain[], kg: KnowledgeGraph): CotRecord {
  const chain = r.meta!.chain as string[];
  const text = completionText(chain.join(' '), r.answer);
  // an open-recall item has no options: its answer is checked by name
  const answerOk = r.meta!.recall === true ? normalizeAnswer(/<answer>(.*)<\/answer>/s.exec(text)?.[1] ?? '') === normalizeAnswer(r.answer) : correctnessReward(text, r.options, r.answer_idx) === 1;
  const factSet = new Set(facts.map((f) => `${kg.nodeName(f.nodes[0]!)}|${ff.rels[f.rels[0]!]!.token}|${kg.nodeName(f.nodes[1]!)}`));
  let relationsOk = true;
  for (let i = 0; i + 2 < chain.length; i += 2) relationsOk &&= factSet.has(`${chain[i]}|${chain[i + 1]}|${chain[i + 2]}`);
  return {
    question_id: r.id,
    trajectories: [
      {
        text,
        teacher: 'kg-chain',
        round: 0,
        checks: { format: formatReward(text) === 1, answer: answerOk, entities: true, relations: relationsOk },
        selected: true,
      },
    ],
  };
}

/**
 * Proves that every prompt and trajectory splits into the intended added tokens, with only
 * separators (spaces, newlines, "?", option letters) left for BPE. Throws naming the item.
 */
export function verifyTokenisation(vocab: TaskVocabulary, records: QuestionRecord[], trajectories: CotRecord[]): void {
  const m = new AddedTokenMatcher(vocab.added_tokens);
  const check = (id: string, text: string, expected: string[]) => {
    const pieces = m.segment(text);
    const got = pieces.filter((p) => p.added).map((p) => p.text);
    const stray = pieces.find((p) => !p.added && !/^(?:[ \n?]|[A-J]\. )*$/.test(p.text));
    if (stray || got.join('\u0001') !== expected.join('\u0001')) {
      throw new Error(`${id}: the text does not split into its entity and relation tokens (${stray ? `stray text ${JSON.stringify(stray.text)}` : `got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`})`);
    }
  };
  for (const r of records) {
    const chain = r.meta!.chain as string[];
    const stem = [chain[0]!, ...chain.filter((_, i) => i % 2 === 1)];
    check(r.id, plainPrompt(r), [...stem, ...Object.values(r.options)]);
  }
  for (const t of trajectories) {
    const r = records.find((x) => x.id === t.question_id);
    if (!r) throw new Error(`${t.question_id}: trajectory without a record`);
    const chain = r.meta!.chain as string[];
    check(t.question_id, t.trajectories[0]!.text, ['<think>', ...chain, '</think>', '<answer>', r.answer, '</answer>']);
  }
}

/**
 * Held-out accuracy of a reader that ignores the start entity and picks the option most often
 * the key of training items with the same last relation ("last") or the same relation path
 * ("path"); ties share the credit.
 */
export function answerPriorAccuracy(train: QuestionRecord[], heldout: QuestionRecord[], by: 'last' | 'path'): number {
  const rels = (r: QuestionRecord) => (r.meta!.chain as string[]).filter((_, i) => i % 2 === 1);
  const ctx = (r: QuestionRecord) => (by === 'last' ? rels(r).at(-1)! : rels(r).join(' '));
  const freq = new Map<string, number>();
  for (const r of train) freq.set(`${ctx(r)}|${r.answer}`, (freq.get(`${ctx(r)}|${r.answer}`) ?? 0) + 1);
  if (!heldout.length) return 0;
  let credit = 0;
  for (const r of heldout) {
    const scores = Object.entries(r.options).map(([l, t]) => [l, freq.get(`${ctx(r)}|${t}`) ?? 0] as const);
    const best = Math.max(...scores.map(([, v]) => v));
    const top = scores.filter(([, v]) => v === best);
    if (top.some(([l]) => l === r.answer_idx)) credit += 1 / top.length;
  }
  return credit / heldout.length;
}

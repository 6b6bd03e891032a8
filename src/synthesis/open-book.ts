/**
 * Open-book mode (SPEC §2): a question carries its own context — a few KG facts as
 * sentences: the facts that lead from the stem to the answer, mixed with facts that lead to
 * the distractors, shuffled — so a model reasons over given facts instead of recalling a KG
 * it cannot memorise. Split train / held-out by entity, so held-out accuracy measures
 * reasoning over unseen entities, not memory. Deterministic per seed (and per record, so
 * adding records does not change the others' context).
 */
import type { KnowledgeGraph } from '../graph/knowledge-graph';
import { EDGE_TYPES } from '../graph/medical-schema';
import type { EvidenceTriple, QuestionRecord, Triple } from './record';
import { Rng } from './rng';
import { hash64 } from './text';

export interface OpenBookOptions {
  seed: number;
  /** the graph the records came from: adds facts that make distractors look right (shared evidence) */
  kg?: KnowledgeGraph;
  /** facts leading to each distractor, at most (default 2) */
  perDistractor?: number;
  /** facts in all, at most (default 12); the answer's facts are never dropped */
  maxFacts?: number;
}

/** "asthma presents with wheezing." — the KG's label for the relation, names as they are */
export function factSentence(t: Triple, kg?: KnowledgeGraph): string {
  const label = kg?.edgeTypes.find((e) => e.name === t.relation)?.label ?? EDGE_TYPES.find((e) => e.name === t.relation)?.label ?? t.relation.replace(/_/g, ' ');
  return `${t.head.name} ${label} ${t.tail.name}.`;
}

const key = (t: Triple) => `${t.head.id}|${t.relation}|${t.tail.id}`;

/** the entity the stem describes: the one end every evidence triple shares (null when unclear) */
function anchorId(ev: EvidenceTriple[]): string | null {
  const stem = ev.filter((e) => e.role === 'evidence');
  const first = ev.find((e) => e.role === 'chain');
  const cands = stem.length ? [stem[0]!.head.id, stem[0]!.tail.id] : first ? [first.head.id, first.tail.id] : [];
  return cands.find((c) => stem.every((e) => e.head.id === c || e.tail.id === c) && (!first || first.head.id === c || first.tail.id === c)) ?? null;
}

/** the far end of a via path: the node that occurs once and is not the distractor */
function competitorOf(via: Triple[], distractorId: string): string | null {
  const seen = new Map<string, number>();
  for (const t of via) for (const id of [t.head.id, t.tail.id]) seen.set(id, (seen.get(id) ?? 0) + 1);
  return [...seen].find(([id, n]) => n === 1 && id !== distractorId)?.[0] ?? null;
}

/** The shown evidence `x` also satisfies, as KG facts about x (what makes a wrong option tempting). */
function sharedEvidence(kg: KnowledgeGraph, ev: EvidenceTriple[], anchor: string, x: string): Triple[] {
  const xi = kg.findById(x);
  if (xi < 0) return [];
  const out: Triple[] = [];
  for (const e of ev) {
    if (e.role !== 'evidence' || !e.shown) continue;
    const rel = kg.edgeTypeIndex(e.relation);
    if (rel < 0) continue;
    const anchorIsHead = e.head.id === anchor;
    const other = kg.findById(anchorIsHead ? e.tail.id : e.head.id);
    if (other < 0 || ![...kg.neighbours(xi, rel, anchorIsHead ? 'out' : 'in')].includes(other)) continue;
    const ref = { id: x, type: kg.nodeType(xi), name: kg.nodeName(xi) };
    out.push(anchorIsHead ? { head: ref, relation: e.relation, tail: e.tail } : { head: e.head, relation: e.relation, tail: ref });
  }
  return out;
}

/** The context of one record: its facts as sentences, answer facts and distractor facts shuffled together. */
export function openBookContext(r: QuestionRecord, opts: OpenBookOptions): string[] {
  const p = r.provenance;
  if (!p) throw new Error(`${r.id}: open-book context needs the synthesis provenance (imported items have none)`);
  const rng = new Rng(Number.parseInt(hash64(`${opts.seed}|${r.id}`).slice(0, 8), 16));
  const perDistractor = opts.perDistractor ?? 2;
  const maxFacts = opts.maxFacts ?? 12;
  // the answer's side: the facts the stem rests on and the chain to the answer
  const answerFacts: Triple[] = p.evidence.map(({ head, relation, tail }) => ({ head, relation, tail }));
  const anchor = anchorId(p.evidence);
  const distractorFacts: Triple[] = [];
  for (const d of p.distractors) {
    const mine: Triple[] = [...(d.via ?? [])];
    if (d.contradicted_by.holds) mine.push({ head: d.contradicted_by.head, relation: d.contradicted_by.relation, tail: d.contradicted_by.tail });
    if (opts.kg && anchor) {
      const subject = d.via?.length && p.evidence.some((e) => e.role === 'chain') ? competitorOf(d.via, d.id) : d.id;
      if (subject) mine.push(...rng.shufflePrefix(sharedEvidence(opts.kg, p.evidence, anchor, subject)));
    }
    const seen = new Set<string>();
    distractorFacts.push(...mine.filter((t) => !seen.has(key(t)) && seen.add(key(t))).slice(0, perDistractor));
  }
  const have = new Set(answerFacts.map(key));
  const extra = distractorFacts.filter((t) => !have.has(key(t)) && have.add(key(t)));
  rng.shufflePrefix(extra);
  const facts = [...answerFacts, ...extra.slice(0, Math.max(0, maxFacts - answerFacts.length))];
  return rng.shufflePrefix(facts).map((t) => factSentence(t, opts.kg));
}

export function withContext(r: QuestionRecord, opts: OpenBookOptions): QuestionRecord {
  return { ...r, context: openBookContext(r, opts) };
}

/** the entities a record involves: every KG node of its provenance, or its option texts when it has none */
export function recordEntities(r: QuestionRecord): Set<string> {
  const out = new Set<string>();
  const p = r.provenance;
  if (!p) {
    for (const t of Object.values(r.options)) out.add(`text:${t.trim().toLowerCase()}`);
    return out;
  }
  const addT = (t: Triple) => out.add(t.head.id).add(t.tail.id);
  out.add(p.answer_node.id);
  p.evidence.forEach(addT);
  for (const d of p.distractors) {
    out.add(d.id);
    addT(d.contradicted_by);
    d.via?.forEach(addT);
  }
  return out;
}

export interface EntitySplit {
  train: QuestionRecord[];
  heldout: QuestionRecord[];
  /** items that share an entity with the held-out set but are not in it: in neither split */
  dropped: QuestionRecord[];
  /** entity ids of the held-out items (hubs aside): none occurs in any training item */
  heldoutEntities: string[];
  /** hub entities (in many items, e.g. "fever", "neurology"): shared by both splits by design */
  hubs: string[];
}

export interface EntitySplitOptions {
  heldoutShare: number;
  seed: number;
  /**
   * an entity in more than max(3, hubShare·items) items is a hub — a generic class or symptom
   * every split needs — and does not decide the split (default 0.02; 1 = no hubs, every entity
   * of a held-out item unseen in training)
   */
  hubShare?: number;
}

/**
 * Train / held-out by entity: held-out items are grown as a cluster (a seeded start, then the
 * items sharing entities with it, breadth first) until `heldoutShare` of the items; training
 * keeps only items that share no entity with them, hubs aside. Clustering keeps the items
 * lost to the split (`dropped`) few.
 */
export function splitByEntity(records: QuestionRecord[], opts: EntitySplitOptions): EntitySplit {
  if (!(opts.heldoutShare > 0 && opts.heldoutShare < 1)) throw new Error(`heldoutShare must be between 0 and 1, got ${opts.heldoutShare}`);
  const all = records.map(recordEntities);
  const df = new Map<string, number>();
  for (const es of all) for (const e of es) df.set(e, (df.get(e) ?? 0) + 1);
  const limit = Math.max(3, (opts.hubShare ?? 0.02) * records.length);
  const hubs = [...df].filter(([, n]) => n > limit).map(([e]) => e).sort();
  const hubSet = new Set(hubs);
  const ents = all.map((es) => new Set([...es].filter((e) => !hubSet.has(e))));
  const byEntity = new Map<string, number[]>();
  ents.forEach((es, i) => es.forEach((e) => byEntity.set(e, [...(byEntity.get(e) ?? []), i])));
  const target = Math.max(1, Math.round(records.length * opts.heldoutShare));
  const order = records.map((_, i) => i);
  new Rng(opts.seed).shufflePrefix(order);
  const held = new Set<number>();
  const heldEntities = new Set<string>();
  const queue: number[] = [];
  let next = 0;
  while (held.size < target) {
    let i = queue.shift();
    if (i === undefined) {
      while (next < order.length && held.has(order[next]!)) next++;
      if (next >= order.length) break;
      i = order[next]!;
    }
    if (held.has(i)) continue;
    held.add(i);
    for (const e of ents[i]!) {
      if (heldEntities.has(e)) continue;
      heldEntities.add(e);
      for (const j of byEntity.get(e)!) if (!held.has(j)) queue.push(j);
    }
  }
  const out: EntitySplit = { train: [], heldout: [], dropped: [], heldoutEntities: [...heldEntities].sort(), hubs };
  records.forEach((r, i) => {
    if (held.has(i)) out.heldout.push(r);
    else if ([...ents[i]!].some((e) => heldEntities.has(e))) out.dropped.push(r);
    else out.train.push(r);
  });
  return out;
}

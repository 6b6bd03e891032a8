import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeGraph } from '../../graph/knowledge-graph';
import type { QuestionRecord } from '../../synthesis/record';
import { defaultGraph } from '../../synthesis/test-helpers';
import { AddedTokenMatcher } from './added-tokens';
import { buildClosedBookTask, CHAIN_RELATIONS, tierOfHops, type ClosedBookTask } from './closed-book';
import { plainPrompt } from './prompt';
import { correctnessReward, formatReward } from './reward';

let kg: KnowledgeGraph;
let task: ClosedBookTask;
beforeAll(async () => {
  kg = await defaultGraph();
  task = buildClosedBookTask(kg, { seed: 7, graph: 'default' });
}, 120_000);

const chain = (r: QuestionRecord) => r.meta!.chain as string[];
const hops = (r: QuestionRecord) => (chain(r).length - 1) / 2;

describe('closed-book task on the default graph', () => {
  it('has the sizes the bench needs: ≥ 600 held-out items, evenly over 2, 3 and 4 hops', () => {
    const m = task.manifest;
    expect(m.region.entities).toBeGreaterThanOrEqual(475);
    expect(task.heldout.length).toBeGreaterThanOrEqual(600);
    const per = new Map<number, number>();
    for (const r of task.heldout) per.set(hops(r), (per.get(hops(r)) ?? 0) + 1);
    expect([...per.keys()].sort()).toEqual([2, 3, 4]);
    expect(new Set(per.values()).size).toBe(1);
  });

  it('tiers follow hops: easy 1–2, moderate 3, difficult 4', () => {
    for (const r of [...task.train, ...task.heldout]) {
      expect(r.difficulty).toBe(tierOfHops(hops(r)));
      expect(r.type).toBe(`chain-${hops(r)}hop`);
      expect(r.provenance!.hops).toBe(hops(r));
    }
    expect(tierOfHops(1)).toBe('easy');
    expect(tierOfHops(2)).toBe('easy');
    expect(tierOfHops(3)).toBe('moderate');
    expect(tierOfHops(4)).toBe('difficult');
    const heldTiers = new Set(task.heldout.map((r) => r.difficulty));
    expect(heldTiers).toEqual(new Set(['easy', 'moderate', 'difficult']));
  });

  it('SFT holds every fact and the 2-hop training chains, nothing harder', () => {
    const facts = task.train.filter((r) => hops(r) === 1);
    expect(facts.length).toBe(task.manifest.region.facts);
    expect(task.sft.filter((r) => hops(r) === 1).length).toBe(facts.length);
    expect(Math.max(...task.sft.map(hops))).toBe(2);
    expect(task.sft.filter((r) => hops(r) === 2).length).toBe(task.train.filter((r) => hops(r) === 2).length);
    expect(task.trajectories.map((t) => t.question_id)).toEqual(task.sft.map((r) => r.id));
    // RL draws from 1–4 hops
    expect(new Set(task.train.map(hops))).toEqual(new Set([1, 2, 3, 4]));
  });

  it('no leak: held-out chains start at entities no training chain starts at, and use only training facts', () => {
    const trainStarts = new Set(task.train.filter((r) => hops(r) >= 2).map((r) => chain(r)[0]));
    const trainFacts = new Set(task.train.filter((r) => hops(r) === 1).map((r) => chain(r).join('|')));
    const trainIds = new Set(task.train.map((r) => r.id));
    const trainStems = new Set(task.train.map((r) => r.question));
    for (const r of task.heldout) {
      expect(trainStarts.has(chain(r)[0])).toBe(false);
      expect(trainIds.has(r.id)).toBe(false);
      expect(trainStems.has(r.question)).toBe(false);
      const c = chain(r);
      for (let i = 0; i + 2 < c.length; i += 2) expect(trainFacts.has(c.slice(i, i + 3).join('|')), `${r.id} hop ${i / 2}`).toBe(true);
    }
    expect(task.manifest.checks).toEqual({ heldoutStartsInTrainingChains: 0, heldoutFactsMissingFromTraining: 0, heldoutItemsInTraining: 0 });
  });

  it('every chain is a walk of KG edges, and the key is the only tail the KG has for the last hop', () => {
    for (const r of [...task.heldout, ...task.train.slice(0, 400)]) {
      const ev = r.provenance!.evidence;
      expect(ev.length).toBe(hops(r));
      for (const t of ev) {
        const h = kg.findById(t.head.id);
        const tl = kg.findById(t.tail.id);
        expect([...kg.neighbours(h, kg.edgeTypeIndex(t.relation), 'out')]).toContain(tl);
      }
      for (const d of r.provenance!.distractors) {
        const f = d.contradicted_by;
        expect(f.holds).toBe(false);
        expect([...kg.neighbours(kg.findById(f.head.id), kg.edgeTypeIndex(f.relation), 'out')]).not.toContain(kg.findById(f.tail.id));
        expect(d.type).toBe(r.provenance!.answer_node.type);
      }
      expect(r.options[r.answer_idx]).toBe(r.answer);
      expect(new Set(Object.values(r.options)).size).toBe(4);
    }
  });

  it('keys are balanced over the letters in every split and hop length', () => {
    for (const split of [task.train, task.heldout]) {
      const groups = new Map<number, Record<string, number>>();
      for (const r of split) {
        const g = groups.get(hops(r)) ?? (groups.set(hops(r), {}), groups.get(hops(r))!);
        g[r.answer_idx] = (g[r.answer_idx] ?? 0) + 1;
      }
      for (const [h, g] of groups) {
        const counts = ['A', 'B', 'C', 'D'].map((l) => g[l] ?? 0);
        expect(Math.max(...counts) - Math.min(...counts), `hops ${h}: ${counts}`).toBeLessThanOrEqual(2);
      }
    }
  });

  it('answer-free priors stay near chance on held-out items', () => {
    expect(task.manifest.baselines.chance).toBe(0.25);
    // measured 0.28–0.35 over seeds; well under the bar's 2× chance
    expect(task.manifest.baselines.answerPrior).toBeLessThan(0.38);
    expect(task.manifest.baselines.answerPriorPath).toBeLessThan(0.38);
  });

  it('every entity and relation is one added token in prompts and trajectories', () => {
    const m = new AddedTokenMatcher(task.vocabulary.added_tokens);
    const r = task.heldout.find((x) => hops(x) === 4)!;
    const pieces = m.segment(plainPrompt(r));
    expect(pieces.filter((p) => p.added).map((p) => p.text)).toEqual([chain(r)[0], ...chain(r).filter((_, i) => i % 2 === 1), ...Object.values(r.options)]);
    expect(new Set(task.vocabulary.added_tokens).size).toBe(task.vocabulary.added_tokens.length);
    expect(task.vocabulary.added_tokens.slice(0, 4)).toEqual(['<think>', '</think>', '<answer>', '</answer>']);
    expect(task.vocabulary.relations.every((x) => CHAIN_RELATIONS.some((c) => c.token === x.token))).toBe(true);
    expect(task.vocabulary.entities.length).toBe(task.manifest.region.entities);
  });

  it('trajectories write the chain hop by hop and earn full reward', () => {
    for (const t of task.trajectories) {
      const r = task.sft.find((x) => x.id === t.question_id)!;
      const text = t.trajectories[0]!.text;
      expect(text).toBe(`<think>${chain(r).join(' ')}</think><answer>${r.answer}</answer>`);
      expect(formatReward(text)).toBe(1);
      expect(correctnessReward(text, r.options, r.answer_idx)).toBe(1);
      expect(Object.values(t.trajectories[0]!.checks).every(Boolean)).toBe(true);
    }
  });

  it('is deterministic per seed and differs across seeds', () => {
    const again = buildClosedBookTask(kg, { seed: 7, graph: 'default' });
    expect(JSON.stringify(again.heldout)).toBe(JSON.stringify(task.heldout));
    expect(JSON.stringify(again.train)).toBe(JSON.stringify(task.train));
    const other = buildClosedBookTask(kg, { seed: 8, graph: 'default' });
    expect(JSON.stringify(other.heldout)).not.toBe(JSON.stringify(task.heldout));
  });

  it("the bench's cold start: facts as choice and open-recall items, 1–3 hops, a sample of the 4-hop chains; the rest unchanged", () => {
    const b = buildClosedBookTask(kg, { seed: 7, graph: 'default', sftMaxHops: 3, sftLongShare: 0.1, sftFacts: 'both' });
    // the cold-start settings change nothing else: same training items and the same held-out set
    expect(JSON.stringify(b.heldout)).toBe(JSON.stringify(task.heldout));
    expect(b.train.map((r) => r.id)).toEqual(task.train.map((r) => r.id));
    const trainIds = new Set(b.train.map((r) => r.id));
    const heldIds = new Set(b.heldout.map((r) => r.id));
    const recall = b.sft.filter((r) => r.meta!.recall === true);
    const facts = b.train.filter((r) => hops(r) === 1);
    // every fact twice: the choice item (from train) and an open-recall item (same stem, no options, SFT only)
    expect(b.sft.filter((r) => hops(r) === 1 && trainIds.has(r.id)).length).toBe(facts.length);
    expect(recall.length).toBe(facts.length);
    for (const r of recall) {
      const f = facts.find((x) => `${x.id}-recall` === r.id)!;
      expect(f, r.id).toBeDefined();
      expect(r.question).toBe(f.question);
      expect(r.answer).toBe(f.answer);
      expect(r.options).toEqual({});
      expect(plainPrompt(r)).toBe(`${f.question}\n`);
      expect(trainIds.has(r.id)).toBe(false);
    }
    // all 2- and 3-hop training chains; 10% of the 4-hop ones, all from training
    for (const h of [2, 3]) expect(b.sft.filter((r) => hops(r) === h).length).toBe(b.train.filter((r) => hops(r) === h).length);
    const long = b.sft.filter((r) => hops(r) === 4);
    expect(long.length).toBe(Math.round(0.1 * b.train.filter((r) => hops(r) === 4).length));
    expect(long.length).toBeGreaterThan(20);
    expect(long.every((r) => trainIds.has(r.id) && r.meta!.sft === true)).toBe(true);
    expect(b.sft.some((r) => heldIds.has(r.id))).toBe(false);
    // every SFT item has its trajectory, which writes the chain and names the answer
    expect(b.trajectories.map((t) => t.question_id)).toEqual(b.sft.map((r) => r.id));
    for (const [i, t] of b.trajectories.entries()) {
      expect(t.trajectories[0]!.text).toBe(`<think>${chain(b.sft[i]!).join(' ')}</think><answer>${b.sft[i]!.answer}</answer>`);
      expect(Object.values(t.trajectories[0]!.checks).every(Boolean), t.question_id).toBe(true);
    }
  });

  it('rejects bad settings with the field named', () => {
    expect(() => buildClosedBookTask(kg, { seed: 1, graph: 'g', sftLongShare: 1.5 })).toThrow(/sftLongShare/);
    expect(() => buildClosedBookTask(kg, { seed: 1, graph: 'g', sftFacts: 'all' as 'both' })).toThrow(/sftFacts/);
    expect(() => buildClosedBookTask(kg, { seed: 1, graph: 'g', sftMaxHops: 4 })).toThrow(/sftMaxHops/);
    expect(() => buildClosedBookTask(kg, { seed: 1, graph: 'g', relations: ['is_a', 'cures'] })).toThrow(/"cures"/);
  });
});

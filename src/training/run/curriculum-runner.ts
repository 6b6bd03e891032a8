/**
 * The paper's two-stage curriculum (§3.3) around the GRPO loop.
 *
 * Stage 1 draws the stage-1 tiers (Easy + Moderate) in a seeded shuffled order, epoch after epoch,
 * and feeds each step's reward and frac_reward_zero_std to the plateau detector. When it fires (or
 * stage1_max_steps is reached) stage 2 starts: the policy is scored on the whole training set
 * (mine_samples completions per item), items are ranked by repeated failure with Difficult first,
 * and each step draws from that mined list (in rank order, round and round) plus a replay share of
 * items the policy already solves (against forgetting), with num_generations raised. Every
 * remine_every stage-2 steps the set is mined again. Each transition is a CurriculumEvent with its
 * reason and numbers. The state is plain JSON (CurriculumState) and every draw is seeded by
 * (seed, where), so a checkpoint resumes the same sequence.
 */
import type { Difficulty } from '../../synthesis/record';
import type { CausalLM } from '../model/causal-lm';
import { mineHardItems, plateauCheck } from '../rl/curriculum';
import type { CurriculumEvent, CurriculumSettings, GrpoSettings } from '../rl/types';
import type { Tokenizer } from '../tokenizer/types';
import { decodeCompletion } from '../eval/evaluate';
import { type RlItem, sampleGroups } from './grpo';
import { deriveSeed, rngFor } from './seeds';

export interface CurriculumState {
  stage: 1 | 2;
  /** GRPO step at which the current stage began */
  stage_start_step: number;
  s1_epoch: number;
  s1_cursor: number;
  /** stage-1 per-step reward and frac_reward_zero_std (the plateau detector's input) */
  rewards: number[];
  zero_std: number[];
  /** stage 2: the mined items, ranked (ids), and where the next draw starts */
  mined: string[];
  mined_cursor: number;
  /** items every mining sample solved: the replay pool */
  solved: string[];
  /** GRPO step of the last mining pass (−1: none yet) */
  last_mine_step: number;
  num_generations: number;
  /** a mining pass is due before the next step (stage 1 just ended, or re-mining is due) */
  pending_mine: boolean;
}

export interface MiningProgress {
  done: number;
  total: number;
}

export class CurriculumRunner {
  private readonly byId = new Map<string, RlItem>();
  private readonly pool1: RlItem[];
  private st: CurriculumState;

  constructor(
    private readonly items: readonly RlItem[],
    private readonly s: CurriculumSettings,
    private readonly grpo: GrpoSettings,
    private readonly seed: number,
    state?: CurriculumState,
  ) {
    for (const it of items) this.byId.set(it.id, it);
    this.pool1 = items.filter((it) => s.stage1_tiers.includes(it.difficulty));
    this.st = state ? structuredClone(state) : {
      stage: 1,
      stage_start_step: 0,
      s1_epoch: 0,
      s1_cursor: 0,
      rewards: [],
      zero_std: [],
      mined: [],
      mined_cursor: 0,
      solved: [],
      last_mine_step: -1,
      num_generations: grpo.num_generations,
      pending_mine: s.stage1_max_steps === 0,
    };
    if (!items.length) throw new Error('GRPO has no training questions');
    if (!this.pool1.length && s.stage1_max_steps > 0)
      throw new Error(`stage 1 draws ${s.stage1_tiers.join(' + ')} items and the training set has none (tiers present: ${[...new Set(items.map((i) => i.difficulty))].join(', ')})`);
  }

  get state(): CurriculumState {
    return structuredClone(this.st);
  }
  get stage(): 1 | 2 {
    return this.st.stage;
  }
  get numGenerations(): number {
    return this.st.num_generations;
  }

  /** a mining pass must run before the next step (kept in the state, so a resume does it too) */
  get pendingMine(): boolean {
    return this.st.pending_mine;
  }

  /** the prompts of the next step */
  nextItems(grpoStep: number): RlItem[] {
    const n = this.grpo.prompts_per_step;
    if (this.st.stage === 1) return this.drawStage1(n);
    return this.drawStage2(n, grpoStep);
  }

  private order1: { epoch: number; order: number[] } | null = null;

  private drawStage1(n: number): RlItem[] {
    const out: RlItem[] = [];
    while (out.length < n) {
      if (this.order1?.epoch !== this.st.s1_epoch)
        this.order1 = { epoch: this.st.s1_epoch, order: rngFor(this.seed, 'stage1-epoch', this.st.s1_epoch).shufflePrefix(this.pool1.map((_, i) => i)) };
      const order = this.order1.order;
      if (this.st.s1_cursor >= order.length) {
        this.st.s1_epoch++;
        this.st.s1_cursor = 0;
        continue;
      }
      out.push(this.pool1[order[this.st.s1_cursor++]!]!);
    }
    return out;
  }

  private drawStage2(n: number, grpoStep: number): RlItem[] {
    const mined = this.st.mined.map((id) => this.byId.get(id)!).filter(Boolean);
    const solved = this.st.solved.map((id) => this.byId.get(id)!).filter(Boolean);
    const nReplay = solved.length ? Math.min(n, Math.round(n * this.s.stage2_replay)) : 0;
    const source = mined.length ? mined : [...this.items];
    const out: RlItem[] = [];
    for (let i = 0; i < n - nReplay; i++) {
      out.push(source[this.st.mined_cursor % source.length]!);
      this.st.mined_cursor++;
    }
    const rng = rngFor(this.seed, 'replay', grpoStep);
    for (let i = 0; i < nReplay; i++) out.push(solved[rng.int(solved.length)]!);
    return out;
  }

  /**
   * After a step's optimizer updates: record its reward signal, and say whether stage 1 is over
   * (the plateau event) or stage 2 is due for re-mining.
   */
  observe(grpoStep: number, globalStep: number, reward: number, fracZeroStd: number): CurriculumEvent | null {
    if (this.st.stage === 1) {
      this.st.rewards.push(reward);
      this.st.zero_std.push(fracZeroStd);
      const stageSteps = grpoStep - this.st.stage_start_step;
      const p = plateauCheck(this.st.rewards, this.st.zero_std, this.s);
      let ev: CurriculumEvent | null = null;
      if (p) ev = { step: globalStep, kind: 'plateau', reason: p.reason, values: { ...p.values, stage1_steps: stageSteps } };
      else if (stageSteps >= this.s.stage1_max_steps)
        ev = { step: globalStep, kind: 'plateau', reason: `stage 1 reached stage1_max_steps (${this.s.stage1_max_steps}) before the reward plateaued`, values: { stage1_steps: stageSteps, stage1_max_steps: this.s.stage1_max_steps, reward } };
      if (ev) this.st.pending_mine = true;
      return ev;
    }
    if (grpoStep - this.st.last_mine_step >= this.s.remine_every) this.st.pending_mine = true;
    return null;
  }

  /**
   * Score the policy on the whole training set (mine_samples completions per item, the GRPO
   * sampling settings), rank by repeated failure with Difficult first, and (re)start stage 2.
   */
  async mine(
    model: CausalLM,
    tok: Tokenizer,
    grpoStep: number,
    globalStep: number,
    opts: { onProgress?: (p: MiningProgress) => void; /** awaited between chunks: pause there, or throw to abandon the pass (it stays pending) */ between?: () => Promise<void>; chunkItems?: number } = {},
  ): Promise<CurriculumEvent> {
    const k = this.s.mine_samples;
    const chunkItems = opts.chunkItems ?? 64;
    const outcomes: Array<{ id: string; difficulty: Difficulty; correct: number; total: number }> = [];
    for (let a = 0; a < this.items.length; a += chunkItems) {
      if (a > 0) await opts.between?.();
      const chunk = this.items.slice(a, a + chunkItems);
      const samples = await sampleGroups(model, tok, chunk, k, this.grpo, deriveSeed(this.seed, 'mine', grpoStep, a));
      chunk.forEach((it, i) => {
        let correct = 0;
        for (let j = 0; j < k; j++) {
          const smp = samples[i * k + j]!;
          if (it.score(decodeCompletion(tok, smp.tokens)).correctness >= 1) correct++;
        }
        outcomes.push({ id: it.id, difficulty: it.difficulty, correct, total: k });
      });
      opts.onProgress?.({ done: Math.min(this.items.length, a + chunkItems), total: this.items.length });
    }
    const ranked = mineHardItems(outcomes, this.s);
    const first = this.st.stage === 1;
    this.st.stage = 2;
    if (first) {
      this.st.stage_start_step = grpoStep;
      this.st.num_generations = this.s.stage2_num_generations;
    }
    this.st.mined = ranked.mined;
    this.st.solved = ranked.solved;
    this.st.mined_cursor = 0;
    this.st.last_mine_step = grpoStep;
    this.st.pending_mine = false;
    const tiers = (ids: string[]) => {
      const c: Record<string, number> = { easy: 0, moderate: 0, difficult: 0 };
      for (const id of ids) c[this.byId.get(id)!.difficulty]!++;
      return c;
    };
    const mt = tiers(ranked.mined);
    const acc = outcomes.reduce((s, o) => s + o.correct, 0) / Math.max(1, outcomes.length * k);
    const values: Record<string, number> = {
      scored: outcomes.length,
      mine_samples: k,
      mine_accuracy: acc,
      mined: ranked.mined.length,
      mined_difficult: mt.difficult!,
      mined_moderate: mt.moderate!,
      mined_easy: mt.easy!,
      solved: ranked.solved.length,
      num_generations: this.st.num_generations,
    };
    const what = `${ranked.mined.length} of ${outcomes.length} items failed repeatedly (${mt.difficult} difficult, ${mt.moderate} moderate, ${mt.easy} easy; policy accuracy ${(acc * 100).toFixed(1)}% over ${k} samples each)`;
    return first
      ? { step: globalStep, kind: 'stage2_start', reason: `stage 2: ${what}; num_generations raised to ${this.st.num_generations}`, values }
      : { step: globalStep, kind: 'remine', reason: `re-mined after ${this.s.remine_every} stage-2 steps: ${what}`, values };
  }
}

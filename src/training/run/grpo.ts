/**
 * One GRPO update cycle, TRL GRPOTrainer semantics:
 *   1. the step's prompts, each repeated num_generations (G) times, are sampled on the policy with
 *      the KV cache (temperature, top_p, max_completion_length, stop at EOS), seeded by (seed, step);
 *   2. each completion is scored: reward = w_c·correctness + w_f·format (no length term);
 *   3. advantages A_i = r_i − mean(group), scaled by the group / batch std or not (scale_rewards);
 *   4. rows = prompt + completion, loss on completion tokens only, a truncated completion masked
 *      out when mask_truncated_completions; cut into micro-batches;
 *   5. reference log-probs (beta > 0) from the frozen copy, old log-probs when num_iterations > 1,
 *      all from logits / temperature as TRL computes them;
 *   6. num_iterations optimizer steps on the same rollouts (μ in the GRPO paper), one MetricsRow each.
 * A cycle ends on a generation boundary, so a checkpoint between cycles needs no rollout buffer.
 */
import { grpoAdvantagesCpu } from '../../gpu/kernels/grpo-cpu';
import type { Difficulty } from '../../synthesis/record';
import type { CausalLM, GrpoObjective, OptimizerSettings } from '../model/causal-lm';
import { completionSlot, microBatchRanges, type RolloutRow, rolloutBatch } from '../rl/rollout-batch';
import { completionStats, rewardStats, type ScoredCompletion } from '../rl/rollout-stats';
import { perTierMetrics } from '../task/reward';
import { learningRate } from '../rl/schedule';
import type { GrpoSettings, MetricsRow, RolloutRecord } from '../rl/types';
import type { Tokenizer } from '../tokenizer/types';
import { decodeCompletion } from '../eval/evaluate';
import { deriveSeed } from './seeds';
import { type AdamSettings, DEFAULT_ADAM } from './sft';

/** A question as the RL loop sees it: its prompt tokens and how to score a completion. */
export interface RlItem {
  id: string;
  difficulty: Difficulty;
  /** rendered prompt text (for the rollout records) */
  prompt: string;
  /** the prompt as the model sees it (BOS + text, or a rendered chat template) */
  promptIds: number[];
  /** correctness and format of a completion (text without the stop token), each in [0, 1] */
  score(completion: string): { correctness: number; format: number };
}

export interface GrpoState {
  /** optimizer steps taken in GRPO (all stages) */
  step: number;
  /** non-pad tokens through the trainer so far (TRL's num_tokens) */
  tokens_seen: number;
}

export const initialGrpoState = (): GrpoState => ({ step: 0, tokens_seen: 0 });

export interface GrpoRuntimeOptions {
  seed: number;
  adam?: AdamSettings;
  /** rows per trainStep micro-batch (memory knob; the loss is the same for any value) */
  micro_batch_rows?: number;
  /** rows per generate() call (memory knob for the KV cache) */
  generation_batch_rows?: number;
  /** added to GRPO's own step count in metric rows and rollouts (the run-global step: SFT steps come first) */
  step_offset?: number;
  /** keep per-token log-probs in the rollout records (one extra no-grad forward per cycle when num_iterations = 1) */
  record_token_logprobs?: boolean;
}

export interface GrpoCycleResult {
  rows: MetricsRow[];
  rollouts: RolloutRecord[];
  /** per item of the cycle: its completions' correctness (the curriculum's failure counts read it) */
  outcomes: Array<{ id: string; difficulty: Difficulty; correct: number; total: number }>;
}

/** Sample G completions per prompt; returns rows in item-major order (item 0's G, item 1's G, …). */
export async function sampleGroups(
  model: CausalLM,
  tok: Tokenizer,
  items: readonly RlItem[],
  G: number,
  s: Pick<GrpoSettings, 'max_completion_length' | 'temperature' | 'top_p'>,
  seed: number,
  batchRows = Infinity,
): Promise<Array<{ item: RlItem; tokens: number[]; truncated: boolean }>> {
  const prompts: number[][] = [];
  const owners: RlItem[] = [];
  for (const it of items) for (let g = 0; g < G; g++) {
    prompts.push(it.promptIds);
    owners.push(it);
  }
  const room = model.config.max_position_embeddings - Math.max(...prompts.map((p) => p.length));
  const maxNew = Math.min(s.max_completion_length, room);
  if (maxNew < 1) throw new Error(`a prompt of ${model.config.max_position_embeddings - room} tokens leaves no room for a completion within max_position_embeddings ${model.config.max_position_embeddings}`);
  const out: Array<{ item: RlItem; tokens: number[]; truncated: boolean }> = [];
  for (const [a, b] of microBatchRanges(prompts.length, Math.max(1, Math.min(batchRows, prompts.length)))) {
    const gen = await model.generate(prompts.slice(a, b), {
      max_new_tokens: maxNew,
      temperature: s.temperature,
      top_p: s.top_p,
      stop_ids: [tok.specials.eos],
      seed: deriveSeed(seed, 'chunk', a),
    });
    gen.tokens.forEach((t, i) => out.push({ item: owners[a + i]!, tokens: t, truncated: gen.truncated[i]! }));
  }
  return out;
}

/** one model call at a time: a model runs one step at a time */
async function mapSeq<T, U>(xs: readonly T[], f: (x: T) => Promise<U>): Promise<U[]> {
  const out: U[] = [];
  for (const x of xs) out.push(await f(x));
  return out;
}

/** the completion text a reward reads: decoded without the stop token (eval/evaluate.ts decodeCompletion) */
export const completionText = decodeCompletion;

export class GrpoLoop {
  constructor(
    private readonly policy: CausalLM,
    private readonly tok: Tokenizer,
    readonly settings: GrpoSettings,
    private readonly opts: GrpoRuntimeOptions,
    private readonly reference: CausalLM | null = null,
    private st: GrpoState = initialGrpoState(),
  ) {
    if (settings.beta > 0 && !reference) throw new Error('GRPO with beta > 0 needs a reference model (a frozen copy of the starting weights)');
  }

  get state(): GrpoState {
    return { ...this.st };
  }

  get done(): boolean {
    return this.st.step >= this.settings.max_steps;
  }

  /** One generation + up to num_iterations updates on `items` with G completions each. */
  async cycle(items: readonly RlItem[], G: number, stage: 1 | 2): Promise<GrpoCycleResult> {
    const s = this.settings;
    const t0 = performance.now();
    const cycleStep = this.st.step;
    const samples = await sampleGroups(this.policy, this.tok, items, G, s, deriveSeed(this.opts.seed, 'grpo-gen', cycleStep), this.opts.generation_batch_rows);

    // rewards
    const [wc, wf] = s.reward_weights;
    const scored: ScoredCompletion[] = [];
    const texts: string[] = [];
    for (const smp of samples) {
      const text = decodeCompletion(this.tok, smp.tokens);
      texts.push(text);
      const sc = smp.item.score(text);
      scored.push({ difficulty: smp.item.difficulty, reward: wc * sc.correctness + wf * sc.format, correctness: sc.correctness, format: sc.format, length: smp.tokens.length, truncated: smp.truncated });
    }
    const rewards = scored.map((c) => c.reward);
    const adv = grpoAdvantagesCpu(rewards, G, s.scale_rewards);
    const rStats = rewardStats(rewards, G, s.scale_rewards);

    // training rows and micro-batches
    const rows: RolloutRow[] = samples.map((smp) => ({ prompt: smp.item.promptIds, completion: smp.tokens, masked: s.mask_truncated_completions && smp.truncated }));
    const ranges = microBatchRanges(rows.length, Math.max(1, this.opts.micro_batch_rows ?? rows.length));
    const micro = ranges.map(([a, b]) => ({ a, b, batch: rolloutBatch(rows.slice(a, b), this.tok.specials.pad), adv: Float32Array.from(adv.slice(a, b)) }));
    const needOld = s.num_iterations > 1;
    const wantTokens = this.opts.record_token_logprobs ?? true;
    const oldLp = needOld || wantTokens ? await mapSeq(micro, (m) => this.policy.logprobs(m.batch, s.temperature)) : null;
    const refLp = s.beta > 0 ? await mapSeq(micro, (m) => this.reference!.logprobs(m.batch, s.temperature)) : null;
    const tokensThisCycle = rows.reduce((n, r) => n + r.prompt.length + r.completion.length - 1, 0);
    const genTime = (performance.now() - t0) / 1000;

    const result: GrpoCycleResult = { rows: [], rollouts: [], outcomes: [] };
    const adam = this.opts.adam ?? DEFAULT_ADAM;
    const iterations = Math.min(s.num_iterations, s.max_steps - this.st.step);
    for (let it = 0; it < iterations; it++) {
      const t1 = performance.now();
      const lr = learningRate(s, this.st.step);
      const opt: OptimizerSettings = { lr, beta1: adam.beta1, beta2: adam.beta2, eps: adam.eps, weight_decay: s.weight_decay, max_grad_norm: s.max_grad_norm };
      const res = await this.policy.trainStep(
        micro.map((m, i) => ({ batch: m.batch, objective: this.objective(m.adv, needOld ? oldLp![i]! : null, refLp ? refLp[i]! : null) })),
        opt,
      );
      this.st.step++;
      this.st.tokens_seen += tokensThisCycle;
      const step_time = (performance.now() - t1) / 1000 + (it === 0 ? genTime : 0);
      result.rows.push({
        step: (this.opts.step_offset ?? 0) + this.st.step,
        phase: 'grpo',
        stage,
        loss: res.loss,
        learning_rate: lr,
        grad_norm: res.grad_norm,
        num_tokens: this.st.tokens_seen,
        step_time,
        tokens_per_s: tokensThisCycle / Math.max(1e-9, step_time),
        entropy: res.entropy,
        ...rStats,
        ...completionStats(scored),
        ...(s.beta > 0 ? { kl: res.kl } : {}),
        'clip_ratio/low_mean': res.clip_ratio.low_mean,
        'clip_ratio/high_mean': res.clip_ratio.high_mean,
        'clip_ratio/region_mean': res.clip_ratio.region_mean,
        per_tier: perTierMetrics(scored),
        ...(res.applied ? {} : { skipped: true }),
      });
    }

    // rollout records (the step they were sampled for) and per-item outcomes
    samples.forEach((smp, i) => {
      const m = micro.find((x) => i >= x.a && i < x.b)!;
      const lp = oldLp && wantTokens ? oldLp[micro.indexOf(m)]! : null;
      const rowInBatch = i - m.a;
      const rec: RolloutRecord = {
        step: (this.opts.step_offset ?? 0) + cycleStep + 1,
        question_id: smp.item.id,
        difficulty: smp.item.difficulty,
        group: Math.floor(i / G),
        index: i % G,
        prompt: smp.item.prompt,
        completion: texts[i]!,
        reward: scored[i]!.reward,
        correctness: scored[i]!.correctness,
        format: scored[i]!.format,
        advantage: adv[i]!,
        truncated: smp.truncated,
      };
      // a masked (truncated) row has no log-probs: its targets were all −1
      if (lp && !rows[i]!.masked) rec.tokens = smp.tokens.map((id, j) => ({ text: this.tok.decode([id]), logprob: lp[rowInBatch * m.batch.T + completionSlot(smp.item.promptIds.length, j)]! }));
      result.rollouts.push(rec);
    });
    items.forEach((it, k) => {
      let correct = 0;
      for (let g = 0; g < G; g++) correct += scored[k * G + g]!.correctness >= 1 ? 1 : 0;
      result.outcomes.push({ id: it.id, difficulty: it.difficulty, correct, total: G });
    });
    return result;
  }

  private objective(advantages: Float32Array, old: Float32Array | null, ref: Float32Array | null): GrpoObjective {
    const s = this.settings;
    return {
      kind: 'grpo',
      advantages,
      oldLogprobs: old,
      refLogprobs: ref,
      loss_type: s.loss_type as GrpoObjective['loss_type'],
      epsilon_low: s.epsilon,
      epsilon_high: s.epsilon_high,
      beta: s.beta,
      max_completion_length: s.max_completion_length,
      temperature: s.temperature,
    };
  }
}

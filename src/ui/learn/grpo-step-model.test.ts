/**
 * The loss Learn GRPO shows before a Step equals the loss the trainer computes in that Step
 * (the CPU reference model's trainStep, the same objective the GPU model is tested against), for
 * every loss_type, on-policy and after an update on the same rollouts (ratios ≠ 1, clipping).
 */
import { describe, expect, it } from 'vitest';
import { LOSS_TYPES } from '../../gpu/kernels/grpo-cpu';
import { createCpuModel } from '../../training/model/cpu-model';
import type { LlamaConfig } from '../../training/model/config';
import { completionSlot, rolloutBatch } from '../../training/rl/rollout-batch';
import { classroomNumbers, type ClassroomCompletion, type ClassroomSettings } from './grpo-step';

const config: LlamaConfig = { vocab_size: 24, hidden_size: 16, intermediate_size: 40, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 4, max_position_embeddings: 32, rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: true };
const prompt = [0, 5, 6, 7];
const completions = [
  [8, 9, 10, 1],
  [11, 12, 1],
  [13, 14, 15, 16, 17],
  [9, 1],
];
const scores = [
  { correctness: 1, format: 1, truncated: false },
  { correctness: 0, format: 1, truncated: false },
  { correctness: 0, format: 0, truncated: true },
  { correctness: 1, format: 0, truncated: false },
];

function perCompletion(lp: Float32Array, T: number): number[][] {
  return completions.map((c, b) => c.map((_, j) => lp[b * T + completionSlot(prompt.length, j)]!));
}

describe('Learn GRPO numbers = the trainer’s numbers', () => {
  for (const loss_type of LOSS_TYPES)
    it(`loss_type ${loss_type}: shown loss equals trainStep's loss, on-policy and after a step`, async () => {
      const model = createCpuModel(config, { seed: 3 });
      const ref = createCpuModel(config, { seed: 3 });
      const s: ClassroomSettings = { loss_type, scale_rewards: 'group', beta: 0.05, epsilon: 0.2, epsilon_high: 0.28, reward_weights: [1, 0.5], max_completion_length: 6, mask_truncated_completions: true };
      const batch = rolloutBatch(
        completions.map((c, i) => ({ prompt, completion: c, masked: s.mask_truncated_completions && scores[i]!.truncated })),
        2,
      );
      const old = perCompletion(await model.logprobs(batch), batch.T);
      const refLp = perCompletion(await ref.logprobs(batch), batch.T);
      const at = (per: number[][]) => {
        const out = new Float32Array(batch.B * batch.T);
        per.forEach((lp, b) => lp.forEach((v, j) => (out[b * batch.T + completionSlot(prompt.length, j)] = v)));
        return out;
      };
      let current = old;
      for (let iteration = 0; iteration < 2; iteration++) {
        const cs: ClassroomCompletion[] = completions.map((c, i) => ({ tokens: c.map(String), logp: current[i]!, oldLogp: old[i]!, refLogp: refLp[i]!, ...scores[i]! }));
        const shown = classroomNumbers(cs, s);
        const res = await model.trainStep(
          [{ batch, objective: { kind: 'grpo', advantages: Float32Array.from(shown.advantages), oldLogprobs: at(old), refLogprobs: at(refLp), loss_type, epsilon_low: s.epsilon, epsilon_high: s.epsilon_high, beta: s.beta, max_completion_length: s.max_completion_length } }],
          { lr: 0.02, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0, max_grad_norm: 0 },
        );
        expect(res.applied).toBe(true);
        // float32 log-probs in, float64 maths on both sides
        expect(res.loss).toBeCloseTo(shown.loss, 5);
        if (loss_type !== 'paper' && loss_type !== 'cispo') expect(res.clip_ratio.region_mean).toBeCloseTo(shown.clipRatio, 5);
        if (iteration === 0) expect(shown.onPolicy).toBe(true);
        current = perCompletion(await model.logprobs(batch), batch.T);
      }
      // the step moved the policy: the second computation was off-policy
      expect(current.flat().some((x, k) => Math.abs(x - old.flat()[k]!) > 1e-4)).toBe(true);
    });
});

import { describe, expect, it } from 'vitest';
import { grpoAdvantagesCpu, grpoLossCpu, LOSS_TYPES, tokenWeights } from '../../gpu/kernels/grpo-cpu';
import { classroomNumbers, logprobShift, lossConfig, packGroup, scalingComparison, type ClassroomCompletion, type ClassroomSettings } from './grpo-step';

const settings: ClassroomSettings = {
  loss_type: 'grpo',
  scale_rewards: 'group',
  beta: 0,
  epsilon: 0.2,
  epsilon_high: 0.2,
  reward_weights: [1, 0.5],
  max_completion_length: 8,
  mask_truncated_completions: true,
};

/** a group with different lengths; logp chosen by hand, on-policy (old = current) unless `shift` */
function group(shift = 0): ClassroomCompletion[] {
  const rows: Array<[string[], number, number, boolean]> = [
    [['<think>', 'a', '</think>', '<answer>', 'A', '</answer>'], 1, 1, false],
    [['<think>', 'b', '</think>', '<answer>', 'B', '</answer>'], 0, 1, false],
    [['x', 'y', 'z'], 0, 0, false],
    [['<think>', 'c', 'c', '</think>', '<answer>', 'A', '</answer>', '<|eos|>'], 1, 1, false],
  ];
  return rows.map(([tokens, correctness, format, truncated], i) => {
    const logp = tokens.map((_, j) => -0.3 - 0.1 * i - 0.05 * j);
    return { tokens, logp: logp.map((x, j) => x + (j % 2 ? shift : -shift)), oldLogp: logp, refLogp: logp.map((x) => x - 0.1), correctness, format, truncated };
  });
}

describe('Learn GRPO numbers', () => {
  it('rewards, group mean and std, and advantages: by hand and equal to the CPU reference', () => {
    const n = classroomNumbers(group(), settings);
    // reward = correctness + 0.5·format
    expect(n.rewards).toEqual([1.5, 0.5, 0, 1.5]);
    expect(n.mean).toBeCloseTo(0.875, 12);
    // deviations 0.625, −0.375, −0.875, 0.625 → Σ² = 1.6875, /(4−1) = 0.5625
    expect(n.std).toBeCloseTo(0.75, 12);
    expect(n.divisor).toBeCloseTo(0.7501, 12);
    expect(n.advantages[0]).toBeCloseTo(0.625 / 0.7501, 12);
    expect(n.advantages).toEqual([...grpoAdvantagesCpu(n.rewards, 4, 'group')]);
    expect(classroomNumbers(group(), { ...settings, scale_rewards: 'none' }).advantages).toEqual([0.625, -0.375, -0.875, 0.625]);
    // one group: the batch std is the group std
    expect(classroomNumbers(group(), { ...settings, scale_rewards: 'batch' }).advantages).toEqual([...grpoAdvantagesCpu(n.rewards, 4, 'batch')]);
  });

  it('every per-token number and the loss equal the CPU reference, for every loss_type', () => {
    for (const loss_type of LOSS_TYPES)
      for (const shift of [0, 0.3]) {
        const cs = group(shift);
        const s = { ...settings, loss_type, beta: 0.04 };
        const n = classroomNumbers(cs, s);
        const p = packGroup(cs, s);
        const cfg = lossConfig(s, p.n, p.t);
        const ref = grpoLossCpu({ logp: p.logp, old_logp: p.old, ref_logp: p.ref, advantages: n.advantages, mask: p.mask }, cfg);
        const w = tokenWeights(p.mask, cfg);
        expect(n.loss).toBe(ref.loss);
        n.completions.forEach((c, i) =>
          c.tokens.forEach((t, j) => {
            expect(t.grad).toBe(ref.dlogp[i * p.t + j]);
            expect(t.weight).toBe(w[i * p.t + j]);
            expect(t.ratio).toBeCloseTo(Math.exp(cs[i]!.logp[j]! - cs[i]!.oldLogp[j]!), 14);
          }),
        );
        // the per-token shares add up to the loss shown
        const sum = n.completions.reduce((a, c) => a + c.loss, 0);
        expect(sum).toBeCloseTo(n.loss, 12);
      }
  });

  it('loss_type grpo, on-policy, β = 0: the loss is −mean(A) ≈ 0 while the gradient is −A/(G·|o_i|) per token', () => {
    const n = classroomNumbers(group(), settings);
    expect(n.onPolicy).toBe(true);
    const meanA = n.advantages.reduce((a, b) => a + b, 0) / 4;
    expect(n.loss).toBeCloseTo(-meanA, 12);
    expect(Math.abs(n.loss)).toBeLessThan(1e-12);
    const lengths = [6, 6, 3, 8];
    n.completions.forEach((c, i) => c.tokens.forEach((t) => expect(t.grad).toBeCloseTo(-n.advantages[i]! / (4 * lengths[i]!), 12)));
    expect(n.maxAbsGrad).toBeGreaterThan(0.01);
    // dapo: every token weighs 1/Σ|o| = 1/23, so a long completion pushes harder in total
    const d = classroomNumbers(group(), { ...settings, loss_type: 'dapo' });
    d.completions.forEach((c, i) => c.tokens.forEach((t) => expect(t.grad).toBeCloseTo(-d.advantages[i]! / 23, 12)));
    // dr_grpo: 1/(G·max_completion_length)
    const r = classroomNumbers(group(), { ...settings, loss_type: 'dr_grpo' });
    r.completions.forEach((c, i) => c.tokens.forEach((t) => expect(t.grad).toBeCloseTo(-r.advantages[i]! / (4 * 8), 12)));
    // the paper's eq. (1): −(1/k)·Σ A_i·log π(y_i|x), so each token's gradient is −A_i/k
    const pp = classroomNumbers(group(), { ...settings, loss_type: 'paper' });
    const want = -pp.advantages.reduce((a, ai, i) => a + ai * group()[i]!.logp.reduce((x, y) => x + y, 0), 0) / 4;
    expect(pp.loss).toBeCloseTo(want, 12);
    pp.completions.forEach((c, i) => c.tokens.forEach((t) => expect(t.grad).toBeCloseTo(-pp.advantages[i]! / 4, 12)));
  });

  it('all rewards equal: zero advantages, zero gradient, flagged', () => {
    const cs = group().map((c) => ({ ...c, correctness: 1, format: 1 }));
    const n = classroomNumbers(cs, settings);
    expect(n.allEqual).toBe(true);
    expect(n.std).toBe(0);
    expect(n.advantages).toEqual([0, 0, 0, 0]);
    expect(n.maxAbsGrad).toBe(0);
    // with β > 0 only the KL pull to the reference is left
    const k = classroomNumbers(cs, { ...settings, beta: 0.1 });
    expect(k.maxAbsGrad).toBeGreaterThan(0);
    expect(k.kl).toBeGreaterThan(0);
  });

  it('off-policy (after a step on the same rollouts) the clip zeroes the gradient of tokens pushed past 1±ε', () => {
    const n = classroomNumbers(group(0.5), settings);
    expect(n.onPolicy).toBe(false);
    let seen = 0;
    n.completions.forEach((c) =>
      c.tokens.forEach((t) => {
        const expectClip = (t.ratio > 1.2 && c.advantage > 0) || (t.ratio < 0.8 && c.advantage < 0);
        expect(t.clipped !== null).toBe(expectClip);
        if (expectClip) {
          seen++;
          expect(t.grad).toBe(0);
        }
      }),
    );
    expect(seen).toBeGreaterThan(0);
    expect(n.clipRatio).toBeCloseTo(seen / 23, 12);
  });

  it('a truncated completion is left out of the loss when mask_truncated_completions is on', () => {
    const cs = group();
    cs[3] = { ...cs[3]!, truncated: true };
    const on = classroomNumbers(cs, settings);
    expect(on.completions[3]!.masked).toBe(true);
    expect(on.completions[3]!.tokens.every((t) => t.weight === 0 && t.grad === 0)).toBe(true);
    const off = classroomNumbers(cs, { ...settings, mask_truncated_completions: false });
    expect(off.completions[3]!.tokens.every((t) => t.weight > 0)).toBe(true);
  });

  it('log-prob shift per completion and token; scaling comparison of easy and balanced groups', () => {
    const s = logprobShift([[-1, -2], [-0.5]], [[-0.8, -2.1], [-0.7]]);
    expect(s.total[0]).toBeCloseTo(0.1, 12);
    expect(s.total[1]).toBeCloseTo(-0.2, 12);
    expect(() => logprobShift([[-1]], [[-1, -2]])).toThrow(/completion 0 has 1 tokens before and 2 after/);
    const [easy, mid] = scalingComparison({ easy: [1, 1, 1, 0], balanced: [1, 1, 0, 0] });
    // the wrong answer of a mostly-solved prompt: −0.75 raw, −1.5 after dividing by its small std (0.5)
    expect(easy!.none[3]).toBeCloseTo(-0.75, 12);
    expect(easy!.group[3]).toBeCloseTo(-0.75 / 0.5001, 12);
    expect(mid!.group[0]).toBeCloseTo(0.5 / (Math.sqrt(1 / 3) + 1e-4), 12);
  });

  it('names the completion whose log-probs do not match its tokens', () => {
    const cs = group();
    cs[1] = { ...cs[1]!, refLogp: [0] };
    expect(() => classroomNumbers(cs, settings)).toThrow(/completion 1: 6 tokens but 6\/6\/1 log-probs/);
  });
});

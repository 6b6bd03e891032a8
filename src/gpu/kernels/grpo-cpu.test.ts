/** GRPO maths against the TRL definitions, on cases small enough to work out by hand. */
import { describe, expect, it } from 'vitest';
import { grpoAdvantagesCpu, grpoLossCpu, LOSS_TYPES, type GrpoLossConfig } from './grpo-cpu';

describe('grpo advantages (TRL scale_rewards)', () => {
  const rewards = [1, 0, 0, 1, 2, 2, 2, 2];
  it('"group": (r − group mean) / (sample std + 1e-4); an all-equal group gets 0', () => {
    const a = grpoAdvantagesCpu(rewards, 4, 'group');
    const std = Math.sqrt((4 * 0.25) / 3); // sample std of [1,0,0,1]
    expect(a[0]).toBeCloseTo(0.5 / (std + 1e-4), 12);
    expect(a[1]).toBeCloseTo(-0.5 / (std + 1e-4), 12);
    expect([...a.slice(4)]).toEqual([0, 0, 0, 0]);
  });
  it('"batch": centred on the group mean, scaled by the whole batch sample std', () => {
    const a = grpoAdvantagesCpu(rewards, 4, 'batch');
    const m = 10 / 8;
    const std = Math.sqrt(rewards.reduce((s, r) => s + (r - m) ** 2, 0) / 7);
    expect(a[0]).toBeCloseTo(0.5 / (std + 1e-4), 12);
    expect(a[4]).toBe(0);
  });
  it('"none": r − group mean (the paper\'s form)', () => {
    expect([...grpoAdvantagesCpu(rewards, 4, 'none')]).toEqual([0.5, -0.5, -0.5, 0.5, 0, 0, 0, 0]);
  });
});

describe('grpo loss aggregation (TRL loss_type)', () => {
  // on-policy (old = logp, so ρ = 1) and ref = logp (KL = 0): per-token loss is −A
  const n = 2;
  const t = 3;
  const logp = [-1, -2, -3, -1, -1, -1];
  const mask = [1, 1, 0, 1, 0, 0];
  const advantages = [1, -2];
  const base: Omit<GrpoLossConfig, 'loss_type'> = { n, t, epsilon_low: 0.2, epsilon_high: 0.2, beta: 0.1, max_completion_length: 4 };
  const run = (loss_type: GrpoLossConfig['loss_type']) => grpoLossCpu({ logp, old_logp: logp, ref_logp: logp, advantages, mask }, { ...base, loss_type });
  it('"grpo": mean over sequences of each sequence\'s masked token mean', () => {
    expect(run('grpo').loss).toBeCloseTo(((-1 * 2) / 2 + (2 * 1) / 1) / 2, 12);
  });
  it('"dr_grpo": masked sum / (N · max_completion_length)', () => {
    expect(run('dr_grpo').loss).toBeCloseTo((-2 + 2) / (2 * 4), 12);
    expect(run('dr_grpo').dlogp[0]).toBeCloseTo(-1 / 8, 12);
  });
  it('"dapo": masked sum / masked token count', () => {
    expect(run('dapo').dlogp[3]).toBeCloseTo(2 / 3, 12);
  });
  it('"bnpo": masked sum / masked token count of this batch', () => {
    // per-token loss −A (KL 0): (−1·2 + 2·1) / 3 tokens
    expect(run('bnpo').loss).toBeCloseTo(0, 12);
    expect(run('bnpo').dlogp[0]).toBeCloseTo(-1 / 3, 12);
    expect(run('bnpo').dlogp[3]).toBeCloseTo(2 / 3, 12);
  });
  it('"dapo" and "cispo" divide by num_items_in_batch (the whole step\'s masked tokens) when given', () => {
    const r = grpoLossCpu({ logp, old_logp: logp, ref_logp: logp, advantages, mask }, { ...base, loss_type: 'dapo', num_items_in_batch: 12 });
    expect(r.dlogp[3]).toBeCloseTo(2 / 12, 12);
  });
  it('"cispo": −min(ρ, ε_high)·A·logp with the weight detached (TRL)', () => {
    const c: GrpoLossConfig = { n: 1, t: 1, epsilon_low: 0.2, epsilon_high: 1.2, beta: 0, loss_type: 'cispo', max_completion_length: 1 };
    // ρ = 1.5 capped at 1.2: loss −1.2·A·logp, gradient −1.2·A (no ∂ρ/∂logp term)
    const hi = grpoLossCpu({ logp: [Math.log(1.5) - 1], old_logp: [-1], ref_logp: [0], advantages: [2], mask: [1] }, c);
    expect(hi.loss).toBeCloseTo(-1.2 * 2 * (Math.log(1.5) - 1), 12);
    expect(hi.dlogp[0]).toBeCloseTo(-1.2 * 2, 12);
    // ρ = 0.5 below the cap: weight 0.5, still a gradient for A < 0 (cispo never zeroes it)
    const lo = grpoLossCpu({ logp: [Math.log(0.5) - 1], old_logp: [-1], ref_logp: [0], advantages: [-2], mask: [1] }, c);
    expect(lo.dlogp[0]).toBeCloseTo(0.5 * 2, 12);
  });
  it('"paper": −mean_i A_i Σ_t mask·logp, no ratio, clip or KL', () => {
    expect(run('paper').loss).toBeCloseTo(-(1 * (-1 + -2) + -2 * -1) / 2, 12);
  });
  it('masked tokens get no gradient', () => {
    for (const lt of LOSS_TYPES) {
      const g = run(lt).dlogp;
      expect([g[2], g[4], g[5]]).toEqual([0, 0, 0]);
    }
  });
  it('clipping: a ratio above 1+ε_high with A > 0 contributes its clipped value and no gradient', () => {
    const c: GrpoLossConfig = { n: 1, t: 1, epsilon_low: 0.2, epsilon_high: 0.28, beta: 0, loss_type: 'dapo', max_completion_length: 1 };
    const r = grpoLossCpu({ logp: [Math.log(1.5)], old_logp: [0], ref_logp: [0], advantages: [2], mask: [1] }, c);
    expect(r.loss).toBeCloseTo(-1.28 * 2, 12);
    expect(r.dlogp[0]).toBe(0);
    // with A < 0 the unclipped (more pessimistic) term is the min, and it carries the gradient
    const s = grpoLossCpu({ logp: [Math.log(1.5)], old_logp: [0], ref_logp: [0], advantages: [-2], mask: [1] }, c);
    expect(s.loss).toBeCloseTo(1.5 * 2, 12);
    expect(s.dlogp[0]).toBeCloseTo(1.5 * 2, 12);
  });
  it('KL term k3 = exp(ref − logp) − (ref − logp) − 1, scaled by beta', () => {
    const c: GrpoLossConfig = { n: 1, t: 1, epsilon_low: 0.2, epsilon_high: 0.2, beta: 0.5, loss_type: 'dapo', max_completion_length: 1 };
    const r = grpoLossCpu({ logp: [-1], old_logp: [-1], ref_logp: [-1.5], advantages: [0], mask: [1] }, c);
    expect(r.loss).toBeCloseTo(0.5 * (Math.exp(-0.5) + 0.5 - 1), 12);
  });
});

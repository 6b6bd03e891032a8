import { describe, expect, it } from 'vitest';
import { learningRate, lrMultiplier, warmupSteps } from './schedule';

// Expected values worked out by hand from transformers.optimization's lr_lambda functions.
describe('learning-rate schedules (HF get_scheduler semantics)', () => {
  const base = { max_steps: 10, warmup_ratio: 0.2 };
  it('warm-up steps are ceil(max_steps · warmup_ratio)', () => {
    expect(warmupSteps({ max_steps: 10, warmup_ratio: 0.15 })).toBe(2);
    expect(warmupSteps({ max_steps: 100, warmup_ratio: 0 })).toBe(0);
  });
  it('cosine: linear warm-up from 0, then half a cosine down to 0', () => {
    const s = { ...base, lr_scheduler_type: 'cosine' as const };
    expect(lrMultiplier(s, 0)).toBe(0);
    expect(lrMultiplier(s, 1)).toBeCloseTo(0.5);
    expect(lrMultiplier(s, 2)).toBeCloseTo(1);
    expect(lrMultiplier(s, 6)).toBeCloseTo(0.5); // halfway through the 8 decay steps
    expect(lrMultiplier(s, 10)).toBeCloseTo(0);
  });
  it('linear decays to 0 at max_steps; constant_with_warmup stays at 1; constant ignores warm-up', () => {
    expect(lrMultiplier({ ...base, lr_scheduler_type: 'linear' }, 6)).toBeCloseTo(0.5);
    expect(lrMultiplier({ ...base, lr_scheduler_type: 'constant_with_warmup' }, 1)).toBeCloseTo(0.5);
    expect(lrMultiplier({ ...base, lr_scheduler_type: 'constant_with_warmup' }, 9)).toBe(1);
    expect(lrMultiplier({ ...base, lr_scheduler_type: 'constant' }, 0)).toBe(1);
  });
  it('scales the base rate', () => {
    expect(learningRate({ ...base, learning_rate: 3e-3, lr_scheduler_type: 'cosine' }, 2)).toBeCloseTo(3e-3);
  });
});

import { describe, expect, it } from 'vitest';
import type { MetricsRow } from '../../../training/rl/types';
import { CHARTS, ema, overall, phaseSpans, RunColumns } from './chart-data';

const row = (step: number, phase: 'sft' | 'grpo', stage: 0 | 1 | 2, extra: Partial<MetricsRow> = {}): MetricsRow => ({
  step,
  phase,
  stage,
  loss: 1 / (step + 1),
  learning_rate: 1e-3,
  grad_norm: 1,
  num_tokens: 10,
  step_time: 0.1,
  tokens_per_s: 100,
  entropy: 2,
  ...extra,
});

describe('chart data', () => {
  it('smooths like TensorBoard (debiased EMA) and keeps gaps', () => {
    expect(ema([1, 1, 1], 0.9)).toEqual([1, 1, 1].map(() => expect.closeTo(1, 12)));
    const s = ema([0, null, 10], 0.5);
    // s1 = 0 → 0/(1−0.5) = 0; gap; s2 = 0.5·0 + 0.5·10 = 5 → 5/(1−0.25) = 6.667
    expect(s[0]).toBe(0);
    expect(s[1]).toBeNull();
    expect(s[2]).toBeCloseTo(20 / 3, 12);
    expect(ema([3, 4], 0)).toEqual([3, 4]);
  });

  it('starts the average afresh where the phase changes (SFT loss and GRPO loss are different quantities)', () => {
    const phases = ['sft', 'sft', 'grpo', 'grpo'];
    const s = ema([6, 6, 0, 0], 0.9, (i) => phases[i]!);
    expect(s[1]).toBeCloseTo(6, 12);
    // without the restart the first GRPO point would still read ≈ 4.2 (the SFT level bleeding through)
    expect(s[2]).toBeCloseTo(0, 12);
    expect(s[3]).toBeCloseTo(0, 12);
    expect(ema([6, 6, 0], 0.9)[2]).toBeGreaterThan(3);
  });

  it('overall tier metrics are n-weighted; tier lines read per_tier; missing values become gaps', () => {
    const r = row(5, 'grpo', 1, { per_tier: { easy: { reward: 1, accuracy: 1, format: 1, n: 3 }, moderate: { reward: 0, accuracy: 0, format: 0.5, n: 1 } } });
    expect(overall(r, 'accuracy')).toBe(0.75);
    expect(overall(r, 'format')).toBe(0.875);
    const cols = new RunColumns();
    cols.push([row(0, 'sft', 0), r]);
    expect(cols.cols.get('accuracy/easy')).toEqual([null, 1]);
    expect(cols.cols.get('accuracy/difficult')).toEqual([null, null]);
    expect(cols.cols.get('accuracy/overall')).toEqual([null, 0.75]);
    // the reward chart's overall line is the row's own reward (all completions) when logged
    cols.push([row(6, 'grpo', 1, { reward: 0.3 })]);
    expect(cols.cols.get('reward/overall')![2]).toBe(0.3);
    expect(CHARTS.map((c) => c.id)).toEqual(['reward', 'accuracy', 'format', 'loss', 'kl', 'entropy', 'clip', 'zero_std', 'length', 'tps']);
  });

  it('a resumed run replaces the rows from the step it resumed at', () => {
    const cols = new RunColumns();
    cols.push([0, 1, 2, 3, 4].map((s) => row(s, 'sft', 0)));
    cols.push([row(3, 'grpo', 1, { loss: 42 }), row(4, 'grpo', 1)]);
    expect(cols.x).toEqual([0, 1, 2, 3, 4]);
    expect(cols.cols.get('loss')![3]).toBe(42);
    expect(cols.rows[3]!.phase).toBe('grpo');
  });

  it('phase spans meet halfway between phases', () => {
    const spans = phaseSpans([row(0, 'sft', 0), row(1, 'sft', 0), row(2, 'grpo', 1), row(3, 'grpo', 1), row(4, 'grpo', 2)]);
    expect(spans).toEqual([
      { from: 0, to: 1.5, phase: 'sft', stage: 0 },
      { from: 1.5, to: 3.5, phase: 'grpo', stage: 1 },
      { from: 3.5, to: 4, phase: 'grpo', stage: 2 },
    ]);
  });
});

describe('decimation', () => {
  it('keeps every bucket’s first, last, minimum and maximum, so peaks survive', async () => {
    const { decimateIndices } = await import('./chart-data');
    const n = 10_000;
    const x = Array.from({ length: n }, (_, i) => i);
    const y = x.map((i) => (i === 5123 ? 100 : i === 7777 ? -100 : Math.sin(i / 100)));
    const idx = decimateIndices(x, [y], 0, n - 1, 200)!;
    expect(idx.length).toBeLessThan(900);
    expect(idx).toContain(5123);
    expect(idx).toContain(7777);
    expect(idx[0]).toBe(0);
    expect(idx.at(-1)).toBe(n - 1);
    expect(idx.every((v, i) => i === 0 || v > idx[i - 1]!)).toBe(true);
    // few points: drawn as they are
    expect(decimateIndices(x.slice(0, 500), [y.slice(0, 500)], 0, 499, 200)).toBeNull();
    // zoomed into 1,000 steps: only that window (plus a point either side) at full detail
    const zoom = decimateIndices(x, [y], 4000, 4300, 200)!;
    expect(zoom[0]).toBe(3999);
    expect(zoom.at(-1)).toBe(4301);
    expect(zoom.length).toBe(303);
  });
});

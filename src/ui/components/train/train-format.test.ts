import { describe, expect, it } from 'vitest';
import type { AblationResult } from '../../../../workers/training-api';
import { ablationCsv, ablationLines, ablationMarkdown } from './ablation-format';
import { estimateEta, formatDuration } from './eta';
import { chartSvg, niceTicks } from './svg-export';

const ablation: AblationResult = {
  runId: 'r',
  heldoutName: '600 held-out synthetic items',
  computedAt: '2026-01-01T00:00:00Z',
  rows: [
    { row: 'base', step: 0, heldout: { accuracy: 0.25, formatRate: 0, n: 600, perDifficulty: { easy: { accuracy: 0.3, n: 200 }, moderate: { accuracy: 0.25, n: 200 }, difficult: { accuracy: 0.2, n: 200 } }, imported: { accuracy: 0.25, n: 40 } } },
    { row: 'sft', step: 120, heldout: { accuracy: 0.5, formatRate: 0.98, n: 600, perDifficulty: { easy: { accuracy: 0.8, n: 200 }, moderate: { accuracy: 0.5, n: 200 }, difficult: { accuracy: 0.2, n: 200 } } } },
    { row: 'rl_stage1', step: null, heldout: null },
    { row: 'rl_stage2', step: 300, heldout: { accuracy: 0.625, formatRate: 1, n: 600, perDifficulty: { easy: { accuracy: 0.85, n: 200 }, moderate: { accuracy: 0.6, n: 200 }, difficult: { accuracy: 0.425, n: 200 } }, imported: { accuracy: 0.3, n: 40 } } },
  ],
};

describe('ablation table', () => {
  it('accuracies in percent per tier, Δ over base, missing rows blank', () => {
    const l = ablationLines(ablation);
    expect(l.map((x) => x.label)).toEqual(['Base', '+CoT SFT', '+RL stage 1', '+RL stage 2']);
    expect(l[3]!.difficult.value).toBeCloseTo(42.5, 10);
    expect(l[3]!.delta).toBeCloseTo(37.5, 10);
    expect(l[2]!.overall.value).toBeNull();
    expect(l[1]!.imported.value).toBeNull();
  });

  it('CSV has a header and one line per variant; Markdown a pipe table', () => {
    const csv = ablationCsv(ablation).trim().split('\n');
    expect(csv[0]).toBe('variant,checkpoint_step,easy_acc,moderate_acc,difficult_acc,heldout_acc,imported_acc,format_rate,delta_vs_base,n_easy,n_moderate,n_difficult,n_heldout,n_imported');
    expect(csv[1]).toBe('Base,0,30.0,25.0,20.0,25.0,25.0,0.0,+0.0,200,200,200,600,40');
    expect(csv[3]).toBe('+RL stage 1,,,,,,,,,0,0,0,0,0');
    expect(csv[4]).toBe('+RL stage 2,300,85.0,60.0,42.5,62.5,30.0,100.0,+37.5,200,200,200,600,40');
    const md = ablationMarkdown(ablation);
    expect(md).toContain('| Variant | Easy | Moderate | Difficult | Held-out overall | Imported benchmark | Format | Δ overall |');
    expect(md).toContain('| +RL stage 1 | – | – | – | – | – | – | – |');
    expect(md).toContain('| +CoT SFT | 80.0 | 50.0 | 20.0 | 50.0 | – | 98.0 | +25.0 |');
  });
});

describe('ETA', () => {
  const rows = (n: number, phase: 'sft' | 'grpo', t: number, stage: 0 | 1 | 2 = phase === 'sft' ? 0 : 1) => Array.from({ length: n }, (_, i) => ({ step: i, phase, stage, step_time: t }));
  it('remaining steps at the recent pace of each phase, plus mining passes at the measured duration', () => {
    expect(estimateEta({ rows: rows(10, 'sft', 0.5), sftSteps: 30, grpoSteps: 0, remineEvery: 10, stage1MaxSteps: 10, lastMiningS: null }).seconds).toBe(10);
    const e = estimateEta({ rows: [...rows(30, 'sft', 0.5), ...rows(5, 'grpo', 2, 2)], sftSteps: 30, grpoSteps: 25, remineEvery: 10, stage1MaxSteps: 10, lastMiningS: 7 });
    // 20 GRPO steps · 2 s + 2 re-mining passes · 7 s
    expect(e.seconds).toBe(54);
    const unknown = estimateEta({ rows: rows(30, 'sft', 0.5), sftSteps: 30, grpoSteps: 25, remineEvery: 10, stage1MaxSteps: 10, lastMiningS: null });
    expect(unknown.seconds).toBeNull();
    expect(formatDuration(3725)).toBe('1 h 2 min');
    expect(formatDuration(75)).toBe('1 min 15 s');
  });
});

describe('SVG export', () => {
  it('round ticks, one polyline per unbroken segment, marks and spans with their reasons', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 97, 5)).toEqual([0, 20, 40, 60, 80]);
    const svg = chartSvg({
      title: 'Reward <per tier>',
      xLabel: 'step',
      lines: [
        { label: 'Easy', colour: '#2e7d32', x: [0, 1, 2, 3], y: [0.1, 0.2, null, 0.4] },
        { label: 'Difficult', colour: '#c62828', x: [2, 3], y: [0, 0.1] },
      ],
      spans: [{ from: 0, to: 1.5, phase: 'sft', stage: 0 }, { from: 1.5, to: 3, phase: 'grpo', stage: 1 }],
      events: [{ step: 2, kind: 'plateau', reason: 'slope < 0.001' }],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('Reward &lt;per tier&gt;');
    expect(svg.match(/<polyline/g)!.length).toBe(3);
    expect(svg).toContain('plateau at step 2: slope &lt; 0.001');
    expect(svg).toContain('<title>SFT cold start</title>');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});

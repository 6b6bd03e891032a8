/**
 * Page entry for `npm run bench:charts`: the Train view's ten charts (the same ChartHub and
 * uPlot wrapper) preloaded with N rows, then fed `rate` updates a second for `seconds`, as a live
 * run streams them. Reports the per-frame update cost (columns, smoothing, every chart's setData
 * and redraw, forced to layout) and the frame rate the page kept.
 */
import { CHARTS } from '../src/ui/components/train/chart-data';
import { ChartHub } from '../src/ui/components/train/chart-hub';
import type { MetricsRow } from '../src/training/rl/types';

export interface ChartBenchOptions {
  points: number;
  rate: number;
  seconds: number;
  rowsPerUpdate: number;
  smoothing: number;
}

export interface ChartBenchResult {
  charts: number;
  lines: number;
  points: number;
  initialLoadMs: number;
  updates: number;
  frames: number;
  updateMs: { p50: number; p95: number; max: number; mean: number };
  /** frames the page painted per second while updates streamed */
  fps: number;
  /** longest gap between two painted frames, ms */
  maxFrameGapMs: number;
  /** tasks over 50 ms on the main thread (long tasks) */
  longTasks: number;
}

declare global {
  interface Window {
    __chartBench?: (o: ChartBenchOptions) => Promise<ChartBenchResult>;
  }
}

function row(step: number): MetricsRow {
  const n = (k: number) => 0.5 + 0.4 * Math.sin(step / (50 + k * 13)) + 0.05 * Math.sin(step * 1.7 + k);
  const sft = step < 2000;
  return {
    step,
    phase: sft ? 'sft' : 'grpo',
    stage: sft ? 0 : step < 6000 ? 1 : 2,
    loss: 2 * Math.exp(-step / 3000) + 0.01 * Math.sin(step),
    learning_rate: 1e-3,
    grad_norm: 1,
    num_tokens: 512,
    step_time: 0.5,
    tokens_per_s: 1000 + 100 * Math.sin(step / 20),
    entropy: 1 + 0.5 * n(1),
    ...(sft
      ? {}
      : {
          reward: n(2),
          reward_std: 0.3,
          frac_reward_zero_std: 0.3 * n(3),
          'completions/mean_length': 20 + 5 * n(4),
          'completions/min_length': 10,
          'completions/max_length': 32,
          kl: 0.01 * n(5),
          'clip_ratio/low_mean': 0.01,
          'clip_ratio/high_mean': 0.02,
          'clip_ratio/region_mean': 0.03,
          per_tier: { easy: { reward: n(6), accuracy: n(7), format: n(8), n: 16 }, moderate: { reward: n(9), accuracy: n(10), format: n(11), n: 16 }, difficult: { reward: n(12), accuracy: n(13), format: n(14), n: 16 } },
        }),
  };
}

const pct = (xs: number[], p: number) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
};

window.__chartBench = async (o) => {
  const grid = document.getElementById('grid')!;
  grid.innerHTML = '';
  const hub = new ChartHub({ smoothing: o.smoothing, log: false, height: 220 });
  for (const spec of CHARTS) {
    const host = document.createElement('div');
    host.className = 'host';
    grid.append(host);
    hub.attach(spec, host);
  }
  const t0 = performance.now();
  hub.push(Array.from({ length: o.points }, (_, i) => row(i)));
  hub.flush();
  await Promise.resolve();
  await Promise.resolve();
  grid.getBoundingClientRect();
  const initialLoadMs = performance.now() - t0;

  let longTasks = 0;
  const po = new PerformanceObserver((l) => (longTasks += l.getEntries().length));
  try {
    po.observe({ type: 'longtask', buffered: false });
  } catch {
    /* not supported */
  }
  const updateMs: number[] = [];
  // the cost of a frame's update, forced through layout so the browser's work is counted too
  hub.onFrame = () => {};
  const frames: number[] = [];
  let running = true;
  const onFrame = (t: number) => {
    frames.push(t);
    if (running) requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  let step = o.points;
  let updates = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(async () => {
      const rows = Array.from({ length: o.rowsPerUpdate }, () => row(step++));
      const a = performance.now();
      hub.push(rows);
      hub.flush();
      // uPlot draws in a microtask after setData: wait for those, then force layout
      await Promise.resolve();
      await Promise.resolve();
      grid.getBoundingClientRect();
      updateMs.push(performance.now() - a);
      updates++;
      if (updates >= o.rate * o.seconds) {
        clearInterval(timer);
        resolve();
      }
    }, 1000 / o.rate);
  });
  running = false;
  po.disconnect();
  const gaps = frames.slice(1).map((t, i) => t - frames[i]!);
  const span = (frames.at(-1)! - frames[0]!) / 1000;
  const result: ChartBenchResult = {
    charts: CHARTS.length,
    lines: CHARTS.reduce((s, c) => s + c.lines.length, 0) * (o.smoothing > 0 ? 2 : 1),
    points: hub.cols.length,
    initialLoadMs: +initialLoadMs.toFixed(1),
    updates,
    frames: frames.length,
    updateMs: { p50: +pct(updateMs, 0.5).toFixed(2), p95: +pct(updateMs, 0.95).toFixed(2), max: +Math.max(...updateMs).toFixed(2), mean: +(updateMs.reduce((a, b) => a + b, 0) / updateMs.length).toFixed(2) },
    fps: +(frames.length / span).toFixed(1),
    maxFrameGapMs: +Math.max(...gaps).toFixed(1),
    longTasks,
  };
  hub.destroy();
  return result;
};
document.getElementById('log')!.textContent = 'ready';

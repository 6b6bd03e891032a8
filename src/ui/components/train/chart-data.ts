/**
 * What the Train view's charts plot, as data: which metric of a MetricsRow each line reads (TRL
 * names), columns that grow as rows stream in, smoothing, and the SFT / RL phase spans and
 * stage marks. Pure: no DOM, no uPlot (the benchmark and the SVG export share it).
 */
import type { CurriculumEvent, MetricsRow, TierMetrics } from '../../../training/rl/types';
import { DIFFICULTIES, type Difficulty } from '../../../synthesis/record';

export const TIER_COLOURS: Record<Difficulty | 'overall', string> = {
  easy: '#2e7d32',
  moderate: '#c77700',
  difficult: '#c62828',
  overall: '#1d3557',
};
export const TIER_LABELS: Record<Difficulty | 'overall', string> = { easy: 'Easy', moderate: 'Moderate', difficult: 'Difficult', overall: 'Overall' };

export interface LineSpec {
  key: string;
  label: string;
  colour: string;
  width?: number;
  dash?: number[];
  get(row: MetricsRow): number | undefined;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** one line, plain words: what the curve means */
  help: string;
  lines: LineSpec[];
  /** values are shares: show 0..1 */
  unit?: 'share' | 'tokens' | 'per_s';
  /** the y-axis starts at 0 */
  zero?: boolean;
}

/** the overall value of a tier metric: the n-weighted mean over the tiers of the row */
export function overall(row: MetricsRow, k: keyof Omit<TierMetrics, 'n'>): number | undefined {
  const tiers = row.per_tier;
  if (!tiers) return undefined;
  let s = 0;
  let n = 0;
  for (const t of DIFFICULTIES) {
    const m = tiers[t];
    if (m && m.n > 0) {
      s += m[k] * m.n;
      n += m.n;
    }
  }
  return n ? s / n : undefined;
}

function tierLines(k: keyof Omit<TierMetrics, 'n'>, overallGet?: (r: MetricsRow) => number | undefined): LineSpec[] {
  return [
    ...DIFFICULTIES.map((t) => ({ key: `${k}/${t}`, label: TIER_LABELS[t], colour: TIER_COLOURS[t], get: (r: MetricsRow) => r.per_tier?.[t]?.[k] })),
    { key: `${k}/overall`, label: TIER_LABELS.overall, colour: TIER_COLOURS.overall, width: 3, get: overallGet ?? ((r: MetricsRow) => overall(r, k)) },
  ];
}

const line = (key: string, label: string, colour: string, get: (r: MetricsRow) => number | undefined, extra: Partial<LineSpec> = {}): LineSpec => ({ key, label, colour, get, ...extra });

export const CHARTS: ChartSpec[] = [
  { id: 'reward', title: 'Reward', help: 'Mean reward of the sampled completions (correctness + format), per difficulty tier.', lines: tierLines('reward', (r) => r.reward ?? overall(r, 'reward')), zero: true },
  { id: 'accuracy', title: 'Accuracy', help: 'Share of completions whose <answer> is the gold one, per tier.', lines: tierLines('accuracy'), unit: 'share', zero: true },
  { id: 'format', title: 'Format rate', help: 'Share of completions written as <think>…</think><answer>…</answer>, per tier.', lines: tierLines('format'), unit: 'share', zero: true },
  {
    id: 'loss',
    title: 'Loss',
    help: 'SFT: cross-entropy on the completion tokens. GRPO: the loss_type aggregate (≈ 0 on-policy; its gradient is what matters).',
    lines: [line('loss', 'loss', '#1d3557', (r) => r.loss, { width: 2 })],
  },
  { id: 'kl', title: 'KL to reference', help: 'Mean per-token k3 estimate of KL(π_θ‖π_ref); logged when beta > 0.', lines: [line('kl', 'kl', '#6a1b9a', (r) => r.kl)], zero: true },
  { id: 'entropy', title: 'Entropy', help: 'Mean per-token entropy of the policy: how spread its next-token choices are.', lines: [line('entropy', 'entropy', '#00838f', (r) => r.entropy)], zero: true },
  {
    id: 'clip',
    title: 'Clip ratio',
    help: 'Share of tokens whose probability ratio left [1−ε, 1+ε] in the direction of the advantage (their gradient is zeroed).',
    lines: [line('clip_ratio/region_mean', 'region', '#5d4037', (r) => r['clip_ratio/region_mean']), line('clip_ratio/low_mean', 'low', '#8d6e63', (r) => r['clip_ratio/low_mean'], { dash: [6, 4] }), line('clip_ratio/high_mean', 'high', '#bcaaa4', (r) => r['clip_ratio/high_mean'], { dash: [2, 3] })],
    unit: 'share',
    zero: true,
  },
  {
    id: 'zero_std',
    title: 'frac_reward_zero_std',
    help: 'Share of groups whose G rewards were all equal: they teach nothing. High = reward sparsity, the plateau signal.',
    lines: [line('frac_reward_zero_std', 'frac_reward_zero_std', '#ad1457', (r) => r.frac_reward_zero_std)],
    unit: 'share',
    zero: true,
  },
  {
    id: 'length',
    title: 'Completion length',
    help: 'Tokens per sampled completion (mean, min, max), stop token included.',
    lines: [
      line('completions/mean_length', 'mean', '#283593', (r) => r['completions/mean_length'], { width: 2 }),
      line('completions/min_length', 'min', '#7986cb', (r) => r['completions/min_length'], { dash: [4, 4] }),
      line('completions/max_length', 'max', '#7986cb', (r) => r['completions/max_length'], { dash: [2, 3] }),
    ],
    unit: 'tokens',
    zero: true,
  },
  { id: 'tps', title: 'Tokens / s', help: 'Throughput of the step on this device (tokens through the model per second).', lines: [line('tokens_per_s', 'tokens/s', '#37474f', (r) => r.tokens_per_s)], unit: 'per_s', zero: true },
];

/** Append-only columns of one run: x = step, one column per line key. */
export class RunColumns {
  readonly x: number[] = [];
  readonly cols = new Map<string, (number | null)[]>();
  readonly rows: MetricsRow[] = [];
  /** values present (not gaps) per line key */
  readonly present = new Map<string, number>();
  constructor(readonly specs: readonly ChartSpec[] = CHARTS) {
    for (const c of specs)
      for (const l of c.lines) {
        this.cols.set(l.key, []);
        this.present.set(l.key, 0);
      }
  }

  /** Append rows in step order; a row whose step is not past the last one replaces from there (a resumed run). */
  push(rows: readonly MetricsRow[]): void {
    for (const r of rows) {
      const last = this.x.length ? this.x[this.x.length - 1]! : -Infinity;
      if (r.step <= last) this.truncate(r.step);
      this.x.push(r.step);
      this.rows.push(r);
      for (const c of this.specs)
        for (const l of c.lines) {
          const v = l.get(r);
          const ok = v !== undefined && Number.isFinite(v);
          this.cols.get(l.key)!.push(ok ? v : null);
          if (ok) this.present.set(l.key, this.present.get(l.key)! + 1);
        }
    }
  }

  /** drop rows at step ≥ `step` */
  truncate(step: number): void {
    let i = this.x.length;
    while (i > 0 && this.x[i - 1]! >= step) i--;
    this.x.length = i;
    this.rows.length = i;
    for (const [k, col] of this.cols) {
      col.length = i;
      this.present.set(k, col.reduce((n: number, v) => n + (v === null ? 0 : 1), 0));
    }
  }

  get length(): number {
    return this.x.length;
  }
}

/**
 * TensorBoard's smoothing: an exponential moving average debiased for its start
 * (s_t = w·s_{t−1} + (1−w)·v_t, shown as s_t / (1 − w^k) after k values); gaps stay gaps.
 * Incremental: `from` continues a previous result whose state is kept in `st`.
 */
export interface EmaState {
  last: number;
  k: number;
  n: number;
  /** segment of the last value seen (see `segment` below) */
  seg?: string;
}
/**
 * `segment(i)` names the stretch value i belongs to; the average starts afresh where it changes —
 * the SFT → GRPO boundary, where "loss" and "entropy" become other quantities under the same name
 * and a running average would draw a slope that never happened.
 */
export function emaExtend(values: readonly (number | null)[], weight: number, out: (number | null)[], st: EmaState, segment?: (i: number) => string): void {
  for (let i = st.n; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      out.push(null);
      continue;
    }
    if (weight <= 0) {
      out.push(v);
      continue;
    }
    if (segment) {
      const g = segment(i);
      if (st.seg !== undefined && g !== st.seg) {
        st.last = 0;
        st.k = 0;
      }
      st.seg = g;
    }
    st.last = st.last * weight + (1 - weight) * v;
    st.k++;
    out.push(st.last / (1 - weight ** st.k));
  }
  st.n = values.length;
}

export function ema(values: readonly (number | null)[], weight: number, segment?: (i: number) => string): (number | null)[] {
  const out: (number | null)[] = [];
  emaExtend(values, weight, out, { last: 0, k: 0, n: 0 }, segment);
  return out;
}

export interface PhaseSpan {
  from: number;
  to: number;
  phase: 'sft' | 'grpo';
  stage: 0 | 1 | 2;
}

/** contiguous runs of the same phase and stage, from the rows' steps */
export function phaseSpans(rows: readonly Pick<MetricsRow, 'step' | 'phase' | 'stage'>[]): PhaseSpan[] {
  const out: PhaseSpan[] = [];
  for (const r of rows) {
    const cur = out[out.length - 1];
    if (cur && cur.phase === r.phase && cur.stage === r.stage) cur.to = r.step;
    else out.push({ from: r.step, to: r.step, phase: r.phase, stage: r.stage });
  }
  // spans meet halfway between their last and first steps, so the shading has no holes
  for (let i = 1; i < out.length; i++) {
    const mid = (out[i - 1]!.to + out[i]!.from) / 2;
    out[i - 1]!.to = mid;
    out[i]!.from = mid;
  }
  return out;
}

export const PHASE_LABEL = (s: Pick<PhaseSpan, 'phase' | 'stage'>) => (s.phase === 'sft' ? 'SFT cold start' : `GRPO stage ${s.stage}`);

/** events worth a vertical mark, with a short label */
export const MARK_KINDS: Partial<Record<CurriculumEvent['kind'], string>> = {
  sft_end: 'SFT → RL',
  stage1_start: 'stage 1',
  plateau: 'plateau',
  stage2_start: 'stage 2',
  remine: 're-mine',
  run_end: 'end',
};

/** A per-line value summary for the hover read-out and the tables: last value and its step. */
export function lastValue(cols: RunColumns, key: string): { step: number; value: number } | null {
  const col = cols.cols.get(key);
  if (!col) return null;
  for (let i = col.length - 1; i >= 0; i--) if (col[i] !== null) return { step: cols.x[i]!, value: col[i]! };
  return null;
}

/**
 * The indices to draw of columns sharing x, for a plot `buckets` wide: per bucket of the x range
 * [lo, hi], its first and last point and each line's minimum and maximum, so every peak and dip
 * stays on screen while a 10,000-point series costs the chart a few hundred points. One point
 * either side of the range is kept so lines run to the edges. Returns null when drawing every point
 * is as cheap (n ≤ 4 × buckets).
 */
export function decimateIndices(x: readonly number[], ys: ReadonlyArray<readonly (number | null)[]>, lo: number, hi: number, buckets: number): number[] | null {
  const n = x.length;
  if (n <= 4 * buckets || !(hi > lo)) return null;
  // the visible slice, one point of margin on each side
  let a = 0;
  while (a < n && x[a]! < lo) a++;
  let b = n - 1;
  while (b >= 0 && x[b]! > hi) b--;
  a = Math.max(0, a - 1);
  b = Math.min(n - 1, b + 1);
  if (b - a + 1 <= 4 * buckets) return Array.from({ length: b - a + 1 }, (_, k) => a + k);
  const keep = new Uint8Array(n);
  const scale = buckets / (hi - lo);
  const L = ys.length;
  const minI = new Int32Array(L);
  const maxI = new Int32Array(L);
  let cur = -1;
  let first = -1;
  let last = -1;
  const close = () => {
    if (first < 0) return;
    keep[first] = 1;
    keep[last] = 1;
    for (let l = 0; l < L; l++) {
      if (minI[l]! >= 0) keep[minI[l]!] = 1;
      if (maxI[l]! >= 0) keep[maxI[l]!] = 1;
    }
  };
  for (let i = a; i <= b; i++) {
    const bucket = Math.min(buckets - 1, Math.max(0, Math.floor((x[i]! - lo) * scale)));
    if (bucket !== cur) {
      close();
      cur = bucket;
      first = i;
      minI.fill(-1);
      maxI.fill(-1);
    }
    last = i;
    for (let l = 0; l < L; l++) {
      const v = ys[l]![i];
      if (v === null || v === undefined) continue;
      if (minI[l]! < 0 || v < ys[l]![minI[l]!]!) minI[l] = i;
      if (maxI[l]! < 0 || v > ys[l]![maxI[l]!]!) maxI[l] = i;
    }
  }
  close();
  const out: number[] = [];
  for (let i = a; i <= b; i++) if (keep[i]) out.push(i);
  return out;
}

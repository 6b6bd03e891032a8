/**
 * One uPlot chart of the Train view, framework-free so the benchmark drives the same code: lines
 * (smoothed, with the raw values faint behind them when smoothing is on), SFT/RL phase shading,
 * stage and plateau marks as vertical lines with a flag whose hover shows the reason, a hover
 * read-out with large type, log scale, PNG export. Data comes in whole (`setData`); the caller
 * batches updates to one per animation frame.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { decimateIndices, MARK_KINDS, PHASE_LABEL, type PhaseSpan } from './chart-data';

export interface LineStyle {
  label: string;
  colour: string;
  width?: number;
  dash?: number[];
}

export interface MarkEvent {
  step: number;
  kind: string;
  reason: string;
  /** a second line under the reason (the numbers) */
  detail?: string;
}

export interface LiveChartOptions {
  title: string;
  lines: LineStyle[];
  /** raw values are drawn faintly behind the smoothed ones */
  withRaw: boolean;
  log: boolean;
  unit?: 'share' | 'tokens' | 'per_s';
  zero?: boolean;
  height: number;
  /** cursors of charts with the same key move together */
  syncKey?: string;
  /** x axis label */
  xLabel?: string;
  /** format of the x value in the read-out */
  formatX?: (x: number) => string;
}

const AXIS_FONT = '13px system-ui, sans-serif';

export function formatValue(v: number | null | undefined, unit?: LiveChartOptions['unit']): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (unit === 'share') return `${(v * 100).toFixed(1)}%`;
  if (unit === 'tokens') return v.toFixed(1);
  if (unit === 'per_s') return v >= 1000 ? `${(v / 1000).toFixed(1)}k` : v.toFixed(0);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return v.toFixed(a < 1 ? 4 : 3);
}

/** compact tick labels: few characters, so the axis never clips them */
export function formatTick(v: number, unit?: LiveChartOptions['unit']): string {
  if (!Number.isFinite(v)) return '';
  if (unit === 'share') return `${+(v * 100).toFixed(1)}%`;
  const a = Math.abs(v);
  if (a >= 1e4) return `${+(v / 1000).toFixed(a >= 1e5 ? 0 : 1)}k`;
  if (a !== 0 && a < 1e-3) return v.toExponential(0);
  return `${+v.toPrecision(3)}`;
}

/** y range: empty or flat data still get a sensible axis; `zero` charts start at 0 */
function yRange(zero: boolean): uPlot.Range.Function {
  return (_u, min, max) => {
    if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
    const lo = zero ? Math.min(0, min) : min;
    if (max - lo < 1e-12) return zero && lo === 0 ? [0, 1] : [lo - Math.max(0.5, Math.abs(lo) * 0.1), max + Math.max(0.5, Math.abs(max) * 0.1)];
    const pad = (max - lo) * 0.06;
    return [zero && lo >= 0 ? lo : lo - pad, max + pad];
  };
}

const withAlpha = (hex: string, a: number) => {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
};

const SPAN_FILL: Record<string, string> = { sft: 'rgba(120,144,156,0.13)', 'grpo-1': 'rgba(46,125,50,0.06)', 'grpo-2': 'rgba(198,40,40,0.07)' };

export class LiveChart {
  private u: uPlot | null = null;
  private readonly root: HTMLDivElement;
  private readonly readout: HTMLDivElement;
  private readonly flags: HTMLDivElement;
  /** what the caller gave, every point */
  private full: uPlot.AlignedData = [[]];
  /** what the chart draws: the full data, or its min/max decimation for the plot's width */
  private data: uPlot.AlignedData = [[]];
  /** the user dragged to zoom: new data keeps the x range (double-click goes back to all steps) */
  private zoom: [number, number] | null = null;
  private settingData = false;
  private spans: PhaseSpan[] = [];
  private events: MarkEvent[] = [];
  private ro: ResizeObserver | null = null;
  private cursorIdx: number | null = null;

  constructor(
    private readonly host: HTMLElement,
    private opts: LiveChartOptions,
  ) {
    this.root = document.createElement('div');
    this.root.className = 'live-chart';
    this.readout = document.createElement('div');
    this.readout.className = 'chart-readout';
    this.flags = document.createElement('div');
    this.flags.className = 'chart-flags';
    host.append(this.root, this.readout);
    this.build();
    this.ro = new ResizeObserver(() => {
      const w = this.width();
      if (this.u && Math.abs(this.u.width - w) > 1) this.u.setSize({ width: w, height: this.opts.height });
    });
    this.ro.observe(host);
  }

  private width(): number {
    return Math.max(200, Math.floor(this.host.clientWidth || 480));
  }

  private build(): void {
    this.u?.destroy();
    const o = this.opts;
    const series: uPlot.Series[] = [{ label: o.xLabel ?? 'step' }];
    for (const l of o.lines) {
      series.push({ label: l.label, stroke: l.colour, width: l.width ?? 2, ...(l.dash ? { dash: l.dash } : {}), points: { show: false }, spanGaps: false });
    }
    if (o.withRaw) for (const l of o.lines) series.push({ label: `${l.label} (raw)`, stroke: withAlpha(l.colour, 0.25), width: 1, points: { show: false }, spanGaps: false });
    const y: uPlot.Scale = o.log ? { distr: 4, asinh: 1e-4, log: 10 } : o.unit === 'share' ? { range: [0, 1] } : { range: yRange(!!o.zero) };
    const axisStroke = '#37474f';
    const grid = { stroke: '#e3e7eb', width: 1 };
    this.data = [[]];
    const u = new uPlot(
      {
        width: this.width(),
        height: o.height,
        legend: { show: false },
        scales: { x: { time: false }, y },
        series,
        axes: [
          { stroke: axisStroke, font: AXIS_FONT, grid, ticks: grid, label: o.xLabel ?? 'step', labelFont: AXIS_FONT, labelSize: 22 },
          { stroke: axisStroke, font: AXIS_FONT, grid, ticks: grid, size: 58, values: (_u, vals) => vals.map((v) => formatTick(v, o.unit)) },
        ],
        cursor: {
          ...(o.syncKey ? { sync: { key: o.syncKey } } : {}),
          drag: { x: true, y: false },
          points: { size: 7 },
          // double-click: back to every step (uPlot's own reset would only know the drawn window)
          bind: { dblclick: () => () => (this.resetZoom(), null) },
        },
        hooks: {
          setScale: [
            (u, key) => {
              if (key !== 'x' || this.settingData) return;
              const xs = this.full[0] as ArrayLike<number>;
              const min = u.scales.x!.min;
              const max = u.scales.x!.max;
              if (!xs.length || min === undefined || max === undefined || min === null || max === null) return;
              const zoomed = min > xs[0]! + 1e-9 || max < xs[xs.length - 1]! - 1e-9;
              const before = this.zoom;
              this.zoom = zoomed ? [min, max] : null;
              // a new zoom window: redraw it at full detail
              if (zoomed && (!before || before[0] !== min || before[1] !== max)) queueMicrotask(() => this.render(false));
            },
          ],
          drawClear: [(u) => this.drawSpans(u)],
          draw: [(u) => this.drawMarks(u)],
          setCursor: [(u) => this.onCursor(u.cursor.idx ?? null)],
        },
      },
      this.data,
      this.root,
    );
    u.over.append(this.flags);
    this.u = u;
    if ((this.full[0] as ArrayLike<number>).length) this.render(true);
    this.renderReadout();
  }

  /** replace the whole data: [x, ...smoothed per line, ...raw per line when withRaw] */
  setData(data: uPlot.AlignedData): void {
    this.full = data;
    this.render(this.zoom === null);
  }

  private resetZoom(): void {
    this.zoom = null;
    this.render(true);
  }

  /** decimate for the plot's width (the zoom window when zoomed) and hand it to uPlot */
  private render(resetScales: boolean): void {
    const u = this.u;
    const xs = this.full[0] as number[];
    let data = this.full;
    if (u && xs.length) {
      const [lo, hi] = this.zoom ?? [xs[0]!, xs[xs.length - 1]!];
      const buckets = Math.max(50, Math.floor(u.bbox.width / uPlot.pxRatio / 3));
      const idx = decimateIndices(xs, this.full.slice(1) as (number | null)[][], lo, hi, buckets);
      if (idx) data = this.full.map((col) => idx.map((i) => (col as ArrayLike<number | null>)[i]!)) as unknown as uPlot.AlignedData;
    }
    this.data = data;
    this.settingData = true;
    try {
      u?.setData(data, resetScales);
    } finally {
      this.settingData = false;
    }
    if (this.cursorIdx === null) this.renderReadout();
  }

  setMarks(spans: PhaseSpan[], events: MarkEvent[]): void {
    const same = JSON.stringify(spans) === JSON.stringify(this.spans) && events.length === this.events.length && events.every((e, i) => e.step === this.events[i]!.step && e.kind === this.events[i]!.kind);
    if (same) return;
    this.spans = spans;
    this.events = events;
    this.u?.redraw(false, false);
  }

  setOptions(patch: Partial<LiveChartOptions>): void {
    const rebuild = patch.log !== undefined && patch.log !== this.opts.log ? true : patch.withRaw !== undefined && patch.withRaw !== this.opts.withRaw;
    this.opts = { ...this.opts, ...patch };
    if (rebuild || patch.lines) this.build();
  }

  private drawSpans(u: uPlot): void {
    if (!this.spans.length) return;
    const { ctx } = u;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    for (const s of this.spans) {
      const x0 = u.valToPos(s.from, 'x', true);
      const x1 = u.valToPos(s.to, 'x', true);
      ctx.fillStyle = SPAN_FILL[s.phase === 'sft' ? 'sft' : `grpo-${s.stage}`] ?? 'transparent';
      ctx.fillRect(x0, top, Math.max(1, x1 - x0), height);
    }
    ctx.restore();
  }

  private drawMarks(u: uPlot): void {
    const { ctx } = u;
    const { top, height, left, width } = u.bbox;
    const dpr = uPlot.pxRatio;
    ctx.save();
    ctx.strokeStyle = '#455a64';
    ctx.lineWidth = 1.5 * dpr;
    ctx.setLineDash([5 * dpr, 4 * dpr]);
    // phase names, bottom-left of each shaded span, on a white box so grid lines never cut them
    ctx.setLineDash([]);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    ctx.font = `${12 * dpr}px system-ui, sans-serif`;
    for (const sp of this.spans) {
      const x0 = Math.max(left, u.valToPos(sp.from, 'x', true));
      const x1 = Math.min(left + width, u.valToPos(sp.to, 'x', true));
      const text = PHASE_LABEL(sp);
      const tw = ctx.measureText(text).width;
      if (x1 - x0 < tw + 12 * dpr) continue;
      ctx.fillStyle = 'rgba(255,255,255,0.85)';
      ctx.fillRect(x0 + 3 * dpr, top + height - 19 * dpr, tw + 6 * dpr, 16 * dpr);
      ctx.fillStyle = '#455a64';
      ctx.fillText(text, x0 + 6 * dpr, top + height - 7 * dpr);
    }
    ctx.setLineDash([5 * dpr, 4 * dpr]);
    const flags: string[] = [];
    // flags closer than this (CSS px) to the previous one go one row lower, so labels never overlap
    const rowEnds: number[] = [];
    for (const e of this.events) {
      const x = u.valToPos(e.step, 'x', true);
      if (x < left - 1 || x > left + width + 1) continue;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      const label = MARK_KINDS[e.kind as keyof typeof MARK_KINDS] ?? e.kind;
      const css = u.valToPos(e.step, 'x');
      const tip = `${label} at step ${e.step}: ${e.reason}${e.detail ? ` (${e.detail})` : ''}`;
      const half = 4 + label.length * 3.6;
      let row = rowEnds.findIndex((end) => end < css - half);
      if (row < 0) row = rowEnds.length;
      rowEnds[row] = css + half;
      flags.push(
        `<span class="chart-flag kind-${escapeHtml(e.kind)}" data-testid="stage-mark" data-kind="${escapeHtml(e.kind)}" data-step="${e.step}" tabindex="0" style="left:${css}px;top:${row * 1.25}rem" aria-label="${escapeHtml(tip)}"><b>${escapeHtml(label)}</b><span class="chart-flag-tip">${escapeHtml(tip)}</span></span>`,
      );
    }
    ctx.restore();
    const html = flags.join('');
    if (this.flags.innerHTML !== html) this.flags.innerHTML = html;
  }

  private onCursor(idx: number | null): void {
    this.cursorIdx = idx;
    this.renderReadout();
  }

  private renderReadout(): void {
    const xs = this.data[0] as ArrayLike<number>;
    const i = this.cursorIdx ?? (xs.length ? xs.length - 1 : null);
    const o = this.opts;
    if (i === null || i < 0 || i >= xs.length) {
      this.readout.innerHTML = `<span class="chart-title">${escapeHtml(o.title)}</span> <span class="muted">no data yet</span>`;
      return;
    }
    const x = xs[i]!;
    const parts = o.lines.map((l, k) => {
      const v = (this.data[k + 1] as ArrayLike<number | null> | undefined)?.[i];
      const style = l.dash ? `border-top:3px dashed ${l.colour}` : `border-top:3px solid ${l.colour}`;
      return `<span class="chart-val"><i style="${style}"></i>${escapeHtml(l.label)} <b>${formatValue(v, o.unit)}</b></span>`;
    });
    const xl = o.formatX ? o.formatX(x) : `${o.xLabel ?? 'step'} ${x}`;
    const html = `<span class="chart-title">${escapeHtml(o.title)}</span> <span class="chart-x">${escapeHtml(xl)}${this.cursorIdx === null ? ' (latest)' : ''}</span> ${parts.join(' ')}`;
    if (this.readout.innerHTML !== html) this.readout.innerHTML = html;
  }

  /** the chart as a PNG: title, read-out line, plot and axes, at the device pixel ratio */
  async toPng(): Promise<Blob> {
    const u = this.u;
    if (!u) throw new Error('chart not ready');
    const src = u.ctx.canvas;
    const dpr = uPlot.pxRatio;
    const head = 30 * dpr;
    const legend = 26 * dpr;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height + head + legend;
    const ctx = c.getContext('2d')!;
    ctx.fillStyle = 'white';
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.fillStyle = '#1d232b';
    ctx.font = `600 ${16 * dpr}px system-ui, sans-serif`;
    ctx.fillText(this.opts.title, 8 * dpr, 21 * dpr);
    ctx.drawImage(src, 0, head);
    let x = 8 * dpr;
    ctx.font = `${13 * dpr}px system-ui, sans-serif`;
    for (const l of this.opts.lines) {
      ctx.strokeStyle = l.colour;
      ctx.lineWidth = 3 * dpr;
      ctx.setLineDash((l.dash ?? []).map((d) => d * dpr));
      ctx.beginPath();
      ctx.moveTo(x, head + src.height + 13 * dpr);
      ctx.lineTo(x + 18 * dpr, head + src.height + 13 * dpr);
      ctx.stroke();
      ctx.fillStyle = '#1d232b';
      ctx.fillText(l.label, x + 22 * dpr, head + src.height + 18 * dpr);
      x += (30 + ctx.measureText(l.label).width / dpr) * dpr;
    }
    return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  }

  destroy(): void {
    this.ro?.disconnect();
    this.u?.destroy();
    this.u = null;
    this.root.remove();
    this.readout.remove();
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}


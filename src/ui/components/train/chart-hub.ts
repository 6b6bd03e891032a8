/**
 * Feeds a run's streaming metric rows to its charts: rows are queued as they arrive and applied
 * once per animation frame (however many came in), smoothing is extended incrementally, and each
 * visible chart gets one setData per frame. Framework-free: the Train view and the chart
 * benchmark (bench/train-charts.ts) use the same class.
 */
import type uPlot from 'uplot';
import type { MetricsRow } from '../../../training/rl/types';
import { CHARTS, emaExtend, phaseSpans, RunColumns, type ChartSpec, type EmaState, type PhaseSpan } from './chart-data';
import { LiveChart, type MarkEvent } from './live-chart';

interface Smoothed {
  out: (number | null)[];
  st: EmaState;
}

export interface HubOptions {
  smoothing: number;
  log: boolean;
  height: number;
}

export interface FrameStats {
  /** rows applied in this frame */
  rows: number;
  /** time spent in the frame's update (columns, smoothing, every chart's setData), ms */
  ms: number;
}

export class ChartHub {
  readonly cols: RunColumns;
  private readonly charts = new Map<string, LiveChart>();
  private readonly hosts = new Map<string, HTMLElement>();
  private pending: MetricsRow[] = [];
  private frame = 0;
  private smoothed = new Map<string, Smoothed>();
  private events: MarkEvent[] = [];
  private spans: PhaseSpan[] = [];
  /** something other than new rows changed (events, options, a reset): redraw even without rows */
  private dirty = false;
  /** charts on screen; the others are brought up to date when they scroll into view */
  private readonly visible = new Set<string>();
  private readonly stale = new Set<string>();
  private readonly io: IntersectionObserver | null =
    typeof IntersectionObserver === 'undefined'
      ? null
      : new IntersectionObserver((entries) => {
          for (const e of entries) {
            const id = (e.target as HTMLElement).dataset.chartId!;
            if (e.isIntersecting) {
              this.visible.add(id);
              if (this.stale.delete(id)) this.refresh(id);
            } else this.visible.delete(id);
          }
          // charts within half a screen of the viewport count as visible: they are ready when scrolled to
        }, { rootMargin: '50% 0px' });
  onFrame: ((s: FrameStats) => void) | null = null;

  constructor(
    private opts: HubOptions,
    readonly specs: readonly ChartSpec[] = CHARTS,
  ) {
    this.cols = new RunColumns(specs);
  }

  attach(spec: ChartSpec, host: HTMLElement): LiveChart {
    const chart = new LiveChart(host, {
      title: spec.title,
      lines: spec.lines.map((l) => ({ label: l.label, colour: l.colour, ...(l.width ? { width: l.width } : {}), ...(l.dash ? { dash: l.dash } : {}) })),
      withRaw: this.opts.smoothing > 0,
      log: this.opts.log,
      ...(spec.unit ? { unit: spec.unit } : {}),
      ...(spec.zero ? { zero: spec.zero } : {}),
      height: this.opts.height,
      syncKey: 'train-run',
    });
    this.charts.set(spec.id, chart);
    this.hosts.set(spec.id, host);
    host.dataset.chartId = spec.id;
    if (this.io) this.io.observe(host);
    else this.visible.add(spec.id);
    this.update(spec.id, chart);
    chart.setMarks(this.spans, this.events);
    return chart;
  }

  detach(id: string): void {
    this.charts.get(id)?.destroy();
    this.charts.delete(id);
    const host = this.hosts.get(id);
    if (host) this.io?.unobserve(host);
    this.hosts.delete(id);
  }

  chart(id: string): LiveChart | undefined {
    return this.charts.get(id);
  }

  /** queue rows; they reach the charts on the next animation frame */
  push(rows: readonly MetricsRow[]): void {
    if (!rows.length) return;
    for (const r of rows) this.pending.push(r);
    this.schedule();
  }

  /** replace everything (a run loaded from IndexedDB) */
  reset(rows: readonly MetricsRow[], events: MarkEvent[]): void {
    this.pending = [];
    this.cols.truncate(-Infinity);
    this.smoothed.clear();
    this.events = events;
    this.dirty = true;
    this.push(rows);
    this.schedule();
  }

  setEvents(events: MarkEvent[]): void {
    this.events = events;
    this.dirty = true;
    this.schedule();
  }

  setOptions(patch: Partial<HubOptions>): void {
    const smoothingChanged = patch.smoothing !== undefined && patch.smoothing !== this.opts.smoothing;
    this.opts = { ...this.opts, ...patch };
    if (smoothingChanged) this.smoothed.clear();
    for (const c of this.charts.values()) c.setOptions({ log: this.opts.log, withRaw: this.opts.smoothing > 0 });
    this.dirty = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.flush();
    });
  }

  /** apply queued rows and redraw every chart once (also called directly by the benchmark) */
  flush(): FrameStats {
    const t0 = performance.now();
    const rows = this.pending;
    if (!rows.length && !this.dirty) return { rows: 0, ms: 0 };
    this.dirty = false;
    this.pending = [];
    const before = this.cols.length;
    this.cols.push(rows);
    // a resumed run replaced rows: smoothing restarts from scratch
    if (this.cols.length < before + rows.length) this.smoothed.clear();
    this.spans = phaseSpans(this.cols.rows);
    for (const id of this.charts.keys()) {
      // a chart off screen is redrawn when it comes into view, not 10 times a second
      if (this.visible.has(id)) this.refresh(id);
      else this.stale.add(id);
    }
    const stats = { rows: rows.length, ms: performance.now() - t0 };
    this.onFrame?.(stats);
    return stats;
  }

  private refresh(id: string): void {
    const chart = this.charts.get(id);
    if (!chart) return;
    this.update(id, chart);
    chart.setMarks(this.spans, this.events);
  }

  private smooth(key: string): (number | null)[] {
    const raw = this.cols.cols.get(key)!;
    if (this.opts.smoothing <= 0) return raw;
    let s = this.smoothed.get(key);
    if (!s || s.st.n > raw.length) {
      s = { out: [], st: { last: 0, k: 0, n: 0 } };
      this.smoothed.set(key, s);
    }
    const rows = this.cols.rows;
    emaExtend(raw, this.opts.smoothing, s.out, s.st, (i) => rows[i]!.phase);
    return s.out;
  }

  private update(id: string, chart: LiveChart): void {
    const spec = this.specs.find((s) => s.id === id)!;
    const data: (number | null)[][] = [this.cols.x];
    for (const l of spec.lines) data.push(this.smooth(l.key));
    if (this.opts.smoothing > 0) for (const l of spec.lines) data.push(this.cols.cols.get(l.key)!);
    chart.setData(data as unknown as uPlot.AlignedData);
    // how many points each line has, for tests and screen readers: "Easy:12 Moderate:12 …"
    const host = this.hosts.get(id);
    if (host) host.dataset.points = spec.lines.map((l) => `${l.label}:${this.cols.present.get(l.key)}`).join(' ');
  }

  destroy(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.io?.disconnect();
    for (const c of this.charts.values()) c.destroy();
    this.charts.clear();
  }
}

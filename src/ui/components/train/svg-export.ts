/**
 * A chart as a standalone SVG document (for papers and slides): title, axes with round ticks,
 * one polyline per line (gaps kept), SFT/RL phase shading and stage marks with their reasons as
 * <title> tooltips, and a legend. Each line has its own x values, so overlays of runs with
 * different steps export too. Pure string building.
 */
import { PHASE_LABEL, type PhaseSpan } from './chart-data';

export interface SvgLine {
  label: string;
  colour: string;
  width?: number;
  dash?: number[];
  x: readonly number[];
  y: readonly (number | null)[];
}

export interface SvgChartSpec {
  title: string;
  xLabel: string;
  unit?: 'share' | 'tokens' | 'per_s';
  log?: boolean;
  lines: SvgLine[];
  spans?: PhaseSpan[];
  events?: Array<{ step: number; kind: string; reason: string }>;
  width?: number;
  height?: number;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** round tick values covering [lo, hi], about `count` of them */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : +v.toPrecision(12));
  return out;
}

function fmt(v: number, unit?: SvgChartSpec['unit']): string {
  if (unit === 'share') return `${+(v * 100).toFixed(1)}%`;
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(1);
  return `${+v.toPrecision(4)}`;
}

export function chartSvg(spec: SvgChartSpec): string {
  const W = spec.width ?? 800;
  const H = spec.height ?? 380;
  const m = { l: 72, r: 20, t: 40, b: 78 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const log = !!spec.log;
  const tf = (v: number) => (log ? Math.log10(v) : v);
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const l of spec.lines)
    l.x.forEach((x, i) => {
      const y = l.y[i];
      if (y === null || y === undefined || !Number.isFinite(y) || (log && y <= 0)) return;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, tf(y));
      y1 = Math.max(y1, tf(y));
    });
  const empty = !Number.isFinite(x0);
  if (empty) [x0, x1, y0, y1] = [0, 1, 0, 1];
  if (spec.unit === 'share' && !log) [y0, y1] = [0, 1];
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * pw;
  const sy = (y: number) => m.t + ph - ((tf(y) - y0) / (y1 - y0)) * ph;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif">`);
  parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  parts.push(`<text x="${m.l}" y="24" font-size="17" font-weight="600" fill="#1d232b">${esc(spec.title)}</text>`);
  for (const s of spec.spans ?? []) {
    const a = Math.max(m.l, sx(s.from));
    const b = Math.min(m.l + pw, sx(s.to));
    if (b <= a) continue;
    const fill = s.phase === 'sft' ? 'rgba(120,144,156,0.13)' : s.stage === 2 ? 'rgba(198,40,40,0.07)' : 'rgba(46,125,50,0.06)';
    parts.push(`<rect x="${a.toFixed(1)}" y="${m.t}" width="${(b - a).toFixed(1)}" height="${ph}" fill="${fill}"><title>${esc(PHASE_LABEL(s))}</title></rect>`);
  }
  // axes and grid
  const yt = log ? niceTicks(Math.floor(y0), Math.ceil(y1), Math.max(1, Math.ceil(y1) - Math.floor(y0))).filter((v) => Number.isInteger(v) && v >= y0 - 1e-9 && v <= y1 + 1e-9) : niceTicks(y0, y1);
  for (const t of yt) {
    const y = m.t + ph - ((t - y0) / (y1 - y0)) * ph;
    parts.push(`<line x1="${m.l}" x2="${m.l + pw}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e3e7eb"/>`);
    parts.push(`<text x="${m.l - 8}" y="${(y + 4).toFixed(1)}" font-size="13" text-anchor="end" fill="#37474f">${esc(fmt(log ? 10 ** t : t, spec.unit))}</text>`);
  }
  for (const t of niceTicks(x0, x1, 8)) {
    const x = sx(t);
    parts.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${m.t}" y2="${m.t + ph}" stroke="#f0f2f4"/>`);
    parts.push(`<text x="${x.toFixed(1)}" y="${m.t + ph + 18}" font-size="13" text-anchor="middle" fill="#37474f">${esc(fmt(t))}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#90a4ae"/>`);
  parts.push(`<text x="${m.l + pw / 2}" y="${m.t + ph + 38}" font-size="13" text-anchor="middle" fill="#37474f">${esc(spec.xLabel)}</text>`);
  for (const e of spec.events ?? []) {
    const x = sx(e.step);
    if (x < m.l - 0.5 || x > m.l + pw + 0.5) continue;
    parts.push(`<g><title>${esc(`${e.kind} at step ${e.step}: ${e.reason}`)}</title><line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${m.t}" y2="${m.t + ph}" stroke="#455a64" stroke-width="1.5" stroke-dasharray="5 4"/><text x="${(x + 3).toFixed(1)}" y="${m.t + 13}" font-size="12" fill="#455a64">${esc(e.kind)}</text></g>`);
  }
  for (const l of spec.lines) {
    const segs: string[] = [];
    let cur: string[] = [];
    l.x.forEach((x, i) => {
      const y = l.y[i];
      if (y === null || y === undefined || !Number.isFinite(y) || (log && y <= 0)) {
        if (cur.length) segs.push(cur.join(' '));
        cur = [];
        return;
      }
      cur.push(`${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
    });
    if (cur.length) segs.push(cur.join(' '));
    const dash = l.dash ? ` stroke-dasharray="${l.dash.join(' ')}"` : '';
    for (const s of segs) parts.push(`<polyline fill="none" stroke="${l.colour}" stroke-width="${l.width ?? 2}"${dash} stroke-linejoin="round" points="${s}"><title>${esc(l.label)}</title></polyline>`);
  }
  // legend
  let lx = m.l;
  const ly = H - 14;
  for (const l of spec.lines) {
    const dash = l.dash ? ` stroke-dasharray="${l.dash.join(' ')}"` : '';
    parts.push(`<line x1="${lx}" x2="${lx + 20}" y1="${ly - 4}" y2="${ly - 4}" stroke="${l.colour}" stroke-width="3"${dash}/><text x="${lx + 25}" y="${ly}" font-size="13" fill="#1d232b">${esc(l.label)}</text>`);
    lx += 40 + l.label.length * 7.5;
  }
  if (empty) parts.push(`<text x="${m.l + pw / 2}" y="${m.t + ph / 2}" text-anchor="middle" font-size="14" fill="#6b7785">no data</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

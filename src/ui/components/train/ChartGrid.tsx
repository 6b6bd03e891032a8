/**
 * The live charts of the run on screen: reward, accuracy and format rate per tier plus overall,
 * then loss, KL, entropy, clip ratio, frac_reward_zero_std, completion length and tokens/s; SFT
 * and RL phases shaded, stage and plateau marks with their reasons; smoothing, log scale, hover
 * read-outs synced across charts; PNG and SVG export per chart. Rows reach the charts through the
 * session's row listener and the hub's once-per-frame flush, never through React state.
 */
import { useEffect, useRef, useState } from 'react';
import type { CurriculumEvent } from '../../../training/rl/types';
import { CHARTS, phaseSpans, type ChartSpec } from './chart-data';
import { ChartHub } from './chart-hub';
import { downloadBlob, downloadText } from './download';
import type { MarkEvent } from './live-chart';
import { subscribeRows, useTrain } from './session';
import { chartSvg } from './svg-export';

export function markEvents(events: readonly CurriculumEvent[]): MarkEvent[] {
  return events
    .filter((e) => e.kind !== 'run_end')
    .map((e) => ({
      step: e.step,
      kind: e.kind,
      reason: e.reason,
      detail: Object.entries(e.values)
        .slice(0, 4)
        .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toPrecision(3)}`)
        .join(', '),
    }));
}

export function ChartGrid({ fileStem }: { fileStem: string }) {
  const events = useTrain((s) => s.events);
  const [smoothing, setSmoothing] = useState(0.6);
  const [log, setLog] = useState(false);
  const hub = useRef<ChartHub | null>(null);
  const hosts = useRef(new Map<string, HTMLDivElement>());

  useEffect(() => {
    const h = new ChartHub({ smoothing, log, height: 220 });
    hub.current = h;
    for (const spec of CHARTS) {
      const el = hosts.current.get(spec.id);
      if (el) h.attach(spec, el);
    }
    const s = useTrain.getState();
    h.reset(s.rows, markEvents(s.events));
    const off = subscribeRows((rows, reset) => (reset ? h.reset(rows, markEvents(useTrain.getState().events)) : h.push(rows)));
    return () => {
      off();
      h.destroy();
      hub.current = null;
    };
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => hub.current?.setEvents(markEvents(events)), [events]);
  useEffect(() => hub.current?.setOptions({ smoothing, log }), [smoothing, log]);

  const exportPng = async (spec: ChartSpec) => {
    const c = hub.current?.chart(spec.id);
    if (c) downloadBlob(`${fileStem}-${spec.id}.png`, await c.toPng());
  };
  const exportSvg = (spec: ChartSpec) => {
    const h = hub.current;
    if (!h) return;
    const cols = h.cols;
    downloadText(
      `${fileStem}-${spec.id}.svg`,
      chartSvg({
        title: spec.title,
        xLabel: 'step',
        log,
        ...(spec.unit ? { unit: spec.unit } : {}),
        lines: spec.lines.map((l) => ({ label: l.label, colour: l.colour, ...(l.width ? { width: l.width } : {}), ...(l.dash ? { dash: l.dash } : {}), x: cols.x, y: cols.cols.get(l.key)! })),
        spans: phaseSpans(cols.rows),
        events: markEvents(useTrain.getState().events),
      }),
      'image/svg+xml',
    );
  };

  return (
    <div className="chart-grid-wrap">
      <div className="chart-toolbar">
        <label title="exponential moving average of each curve (TensorBoard-style); the raw values stay visible, faint">
          smoothing <input type="range" aria-label="Smoothing" min={0} max={0.98} step={0.02} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} /> <span className="num">{smoothing.toFixed(2)}</span>
        </label>
        <label title="logarithmic y axis (symmetric log, so values at or below 0 still show)">
          <input type="checkbox" aria-label="Log scale" checked={log} onChange={(e) => setLog(e.target.checked)} /> log scale
        </label>
        <span className="legend-note">
          <span className="swatch sft" /> SFT cold start <span className="swatch s1" /> GRPO stage 1 <span className="swatch s2" /> GRPO stage 2 · dashed lines: stage transitions and plateaus (hover the flag for the reason) · drag to zoom, double-click to reset
        </span>
      </div>
      <div className="chart-grid">
        {CHARTS.map((spec) => (
          <figure key={spec.id} className={`chart-card chart-${spec.id}`} data-testid={`chart-${spec.id}`}>
            <div className="chart-head">
              <span className="chart-help">{spec.help}</span>
              <span className="chart-actions">
                <button type="button" className="small" onClick={() => void exportPng(spec)} aria-label={`${spec.title} as PNG`}>
                  PNG
                </button>
                <button type="button" className="small" onClick={() => exportSvg(spec)} aria-label={`${spec.title} as SVG`}>
                  SVG
                </button>
              </span>
            </div>
            <div
              className="chart-host"
              ref={(el) => {
                if (el) hosts.current.set(spec.id, el);
              }}
            />
          </figure>
        ))}
      </div>
    </div>
  );
}

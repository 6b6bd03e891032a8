/**
 * Every run stored in this browser: settings, duration, final held-out accuracy; open one, resume
 * it, delete it; overlay the curves of several; the Table-4 ablation of one from its stage-end
 * checkpoints (CSV / Markdown); its checkpoints as Hugging Face folders and its scale-out bundle.
 */
import * as Comlink from 'comlink';
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import { listCheckpoints, readMetrics, type AblationResult, type CheckpointMeta, type RunRecord } from '../../../storage/run-store';
import type { MetricsRow } from '../../../training/rl/types';
import type { AblationProgress } from '../../../../workers/training-api';
import { ablationCsv, ablationLines, ablationMarkdown, COLUMNS } from './ablation-format';
import { CHARTS, ema, type LineSpec } from './chart-data';
import { canWriteFolder, downloadBlob, downloadText, downloadZip, saveToFolder } from './download';
import { formatDuration } from './eta';
import { LiveChart } from './live-chart';
import { database, trainingWorker, useTrain } from './session';
import { chartSvg } from './svg-export';

const RUN_COLOURS = ['#1d3557', '#c62828', '#2e7d32', '#c77700', '#6a1b9a', '#00838f', '#5d4037', '#ad1457'];

const pct = (x: number | undefined) => (x === undefined ? '–' : `${(x * 100).toFixed(1)}%`);

const slug = (s: string) => s.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'run';

export function RunsPanel({ onOpen }: { onOpen: (runId: string) => void }) {
  const { runs, runsLoaded, refreshRuns, deleteRun, liveRunId } = useTrain();
  const [compare, setCompare] = useState<string[]>([]);
  const [focus, setFocus] = useState<string | null>(null);
  useEffect(() => {
    if (!runsLoaded) void refreshRuns();
  }, [runsLoaded, refreshRuns]);
  const focused = runs.find((r) => r.id === focus) ?? null;
  return (
    <div className="runs-panel" data-testid="runs-panel">
      {runsLoaded && !runs.length && <p className="muted">No runs yet: start one in the Run tab.</p>}
      {runs.length > 0 && (
        <table className="runs-table" data-testid="runs-table">
          <thead>
            <tr>
              <th title="overlay in the comparison">compare</th>
              <th>run</th>
              <th>status</th>
              <th>model</th>
              <th>data</th>
              <th>GRPO settings</th>
              <th>steps</th>
              <th>trained for</th>
              <th>held-out acc.</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} data-testid="run-row" data-run={r.id} className={r.id === focus ? 'focused' : ''}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`compare ${r.name}`}
                    checked={compare.includes(r.id)}
                    onChange={(e) => setCompare((c) => (e.target.checked ? [...c, r.id] : c.filter((x) => x !== r.id)))}
                  />
                </td>
                <td>
                  <button type="button" className="linkish" onClick={() => setFocus(r.id)}>
                    {r.name}
                  </button>
                  <div className="muted small">{new Date(r.createdAt).toLocaleString()}</div>
                </td>
                <td>
                  <span className={`status-badge status-${r.id === liveRunId ? 'running' : r.status}`}>{r.status}</span>
                </td>
                <td>
                  {r.settings.model.kind === 'preset' ? r.settings.model.preset : r.settings.model.kind === 'hf' ? r.settings.model.name : ''}
                  <div className="muted small">{(r.model.parameters / 1e6).toFixed(2)}M params</div>
                </td>
                <td>
                  {r.dataset.name}
                  <div className="muted small">
                    {r.dataset.train} train · {r.dataset.heldout} held out
                  </div>
                </td>
                <td className="small">
                  {r.settings.grpo.loss_type}, scale {r.settings.grpo.scale_rewards}, β {r.settings.grpo.beta}, ε {r.settings.grpo.epsilon}, G {r.settings.grpo.num_generations}→{r.settings.curriculum.stage2_num_generations}
                </td>
                <td>
                  {r.step} / {r.plannedSteps}
                </td>
                <td>{formatDuration(r.activeMs / 1000)}</td>
                <td data-testid="run-heldout">{pct(r.heldout?.accuracy)}</td>
                <td className="row-actions">
                  <button type="button" onClick={() => onOpen(r.id)}>
                    Open
                  </button>
                  <button type="button" onClick={() => setFocus(r.id)}>
                    Ablation & export
                  </button>
                  <button
                    type="button"
                    className="danger"
                    onClick={() => {
                      if (confirm(`Delete run "${r.name}" with its metrics, rollouts and checkpoints?`)) void deleteRun(r.id);
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {compare.length > 0 && <Comparison runs={runs.filter((r) => compare.includes(r.id))} />}
      {focused && <RunTools key={focused.id} run={focused} />}
    </div>
  );
}

/** the lines a comparison can overlay: every line of every chart, named "Chart · line" */
const METRICS: Array<{ id: string; label: string; line: LineSpec; unit: (typeof CHARTS)[number]['unit'] }> = CHARTS.flatMap((c) => c.lines.map((l) => ({ id: l.key, label: c.lines.length > 1 ? `${c.title} · ${l.label}` : c.title, line: l, unit: c.unit })));

function Comparison({ runs }: { runs: RunRecord[] }) {
  const [metric, setMetric] = useState('reward/overall');
  const [smoothing, setSmoothing] = useState(0.6);
  const [data, setData] = useState<Map<string, MetricsRow[]>>(new Map());
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<LiveChart | null>(null);
  const m = METRICS.find((x) => x.id === metric) ?? METRICS[0]!;
  const ids = runs.map((r) => r.id).join(',');

  useEffect(() => {
    let live = true;
    void (async () => {
      const d = await database();
      const entries = await Promise.all(runs.map(async (r) => [r.id, (await readMetrics(d, r.id)) as MetricsRow[]] as const));
      if (live) setData(new Map(entries));
    })();
    return () => {
      live = false;
    };
  }, [ids]); // eslint-disable-line react-hooks/exhaustive-deps

  const series = useMemo(
    () =>
      runs.map((r, i) => {
        const rows = data.get(r.id) ?? [];
        const x = rows.map((row) => row.step);
        const raw = rows.map((row) => {
          const v = m.line.get(row);
          return v === undefined || !Number.isFinite(v) ? null : v;
        });
        return { run: r, colour: RUN_COLOURS[i % RUN_COLOURS.length]!, x, y: ema(raw, smoothing) };
      }),
    [runs, data, m, smoothing],
  );

  useEffect(() => {
    if (!host.current) return;
    const c = new LiveChart(host.current, {
      title: m.label,
      lines: series.map((s) => ({ label: s.run.name, colour: s.colour, width: 2 })),
      withRaw: false,
      log: false,
      ...(m.unit ? { unit: m.unit } : {}),
      height: 300,
    });
    chart.current = c;
    return () => {
      c.destroy();
      chart.current = null;
    };
  }, [m, series.length, ids]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    // runs have different steps: align them on the union of steps (gaps where a run has none)
    const tables = series.map((s) => [s.x, s.y] as unknown as uPlot.AlignedData);
    if (!tables.length || !chart.current) return;
    chart.current.setData(tables.length === 1 ? tables[0]! : uPlot.join(tables));
  }, [series]);

  const stem = `compare-${slug(m.id)}`;
  return (
    <section className="comparison panel" data-testid="comparison">
      <h3>Compare runs</h3>
      <div className="chart-toolbar">
        <label>
          metric{' '}
          <select aria-label="Comparison metric" value={metric} onChange={(e) => setMetric(e.target.value)}>
            {METRICS.map((x) => (
              <option key={x.id} value={x.id}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          smoothing <input type="range" aria-label="Comparison smoothing" min={0} max={0.98} step={0.02} value={smoothing} onChange={(e) => setSmoothing(Number(e.target.value))} />
        </label>
        <button type="button" className="small" onClick={async () => chart.current && downloadBlob(`${stem}.png`, await chart.current.toPng())}>
          PNG
        </button>
        <button
          type="button"
          className="small"
          onClick={() => downloadText(`${stem}.svg`, chartSvg({ title: m.label, xLabel: 'step', ...(m.unit ? { unit: m.unit } : {}), lines: series.map((s) => ({ label: s.run.name, colour: s.colour, x: s.x, y: s.y })) }), 'image/svg+xml')}
        >
          SVG
        </button>
      </div>
      <div className="chart-host" ref={host} data-testid="comparison-chart" data-runs={series.filter((s) => s.x.length).length} />
    </section>
  );
}

function RunTools({ run }: { run: RunRecord }) {
  const [checkpoints, setCheckpoints] = useState<CheckpointMeta[]>([]);
  const [ckStep, setCkStep] = useState<number | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<AblationProgress | null>(null);
  const [ablation, setAblation] = useState<AblationResult | null>(run.ablation ?? null);
  const refreshRuns = useTrain((s) => s.refreshRuns);
  useEffect(() => {
    void (async () => {
      const cks = await listCheckpoints(await database(), run.id);
      setCheckpoints(cks);
      setCkStep(cks.at(-1)?.step ?? null);
    })();
  }, [run.id, run.lastCheckpointStep]);

  const guard = async (what: string, f: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError(`${what} failed: ${(e as Error).message}`);
    } finally {
      setBusy(null);
      setProgress(null);
    }
  };
  const stem = slug(run.name);
  const computeAblation = () =>
    guard('The ablation', async () => {
      const res = await trainingWorker().ablation(run.id, Comlink.proxy((p: AblationProgress) => setProgress(p)));
      setAblation(res);
      await refreshRuns();
    });
  const exportCheckpoint = (how: 'zip' | 'folder') =>
    guard('The checkpoint export', async () => {
      if (ckStep === null) return;
      const files = await trainingWorker().exportCheckpoint(run.id, ckStep);
      const folder = `${stem}-step${ckStep}`;
      if (how === 'zip') downloadZip(folder, files);
      else await saveToFolder(folder, files);
    });
  const exportScaleOut = () =>
    guard('The scale-out export', async () => {
      downloadZip(`${stem}-scale-out`, await trainingWorker().exportScaleOut(run.id));
    });

  const lines = ablation ? ablationLines(ablation) : [];
  return (
    <section className="run-tools panel" data-testid="run-tools">
      <h3>{run.name}</h3>
      <div className="tool-block">
        <h4>Ablation (the paper’s Table 4)</h4>
        <p className="help">
          Each stage-end checkpoint — base, after the CoT cold start, after RL stage 1, after RL stage 2 — answers the run’s held-out items (never trained on) with greedy decoding; accuracy per tier, overall, on imported benchmark items, and the gain over the base.
        </p>
        <button type="button" className="primary" disabled={busy !== null} onClick={() => void computeAblation()}>
          {ablation ? 'Recompute' : 'Compute'} the ablation
        </button>
        {busy === 'The ablation' && (
          <span className="muted" data-testid="ablation-progress">
            {' '}
            evaluating {progress ? `${progress.row}: ${progress.done}/${progress.total}` : '…'}
          </span>
        )}
        {ablation && (
          <>
            <table className="ablation-table" data-testid="ablation-table">
              <caption>{ablation.heldoutName}; accuracy in %</caption>
              <thead>
                <tr>
                  <th>variant</th>
                  <th>step</th>
                  {COLUMNS.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {lines.map((l) => (
                  <tr key={l.row}>
                    <th>{l.label}</th>
                    <td>{l.step ?? '–'}</td>
                    {[l.easy.value, l.moderate.value, l.difficult.value, l.overall.value, l.imported.value, l.format].map((v, i) => (
                      <td key={i}>{v === null ? '–' : v.toFixed(1)}</td>
                    ))}
                    <td className={l.delta !== null && l.delta > 0 ? 'pos' : l.delta !== null && l.delta < 0 ? 'neg' : ''}>{l.delta === null ? '–' : `${l.delta >= 0 ? '+' : ''}${l.delta.toFixed(1)}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="button" onClick={() => downloadText(`${stem}-ablation.csv`, ablationCsv(ablation), 'text/csv')}>
              Export CSV
            </button>{' '}
            <button type="button" onClick={() => downloadText(`${stem}-ablation.md`, ablationMarkdown(ablation), 'text/markdown')}>
              Export Markdown
            </button>
          </>
        )}
      </div>
      <div className="tool-block">
        <h4>Export</h4>
        <label>
          checkpoint{' '}
          <select aria-label="Checkpoint to export" value={ckStep ?? ''} onChange={(e) => setCkStep(Number(e.target.value))}>
            {checkpoints.map((c) => (
              <option key={c.step} value={c.step}>
                step {c.step} · {c.label} · {(c.bytes / 2 ** 20).toFixed(1)} MB
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="button" disabled={busy !== null || ckStep === null} onClick={() => void exportCheckpoint('zip')} title="model.safetensors, config.json, tokenizer.json, tokenizer_config.json, generation_config.json: loads in transformers with LlamaForCausalLM.from_pretrained">
          Hugging Face folder (.zip)
        </button>{' '}
        {canWriteFolder() && (
          <button type="button" disabled={busy !== null || ckStep === null} onClick={() => void exportCheckpoint('folder')}>
            Save folder…
          </button>
        )}{' '}
        <button type="button" disabled={busy !== null} onClick={() => void exportScaleOut()} title="the run’s dataset, a Python reward function and a GRPOConfig with its settings, to run the same recipe under TRL or verl">
          Scale-out bundle (.zip)
        </button>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/**
 * The Bench view's training-step section: one full optimizer step of our GPU model against the
 * same Llama written with @tensorflow/tfjs ops, on this device's adapter (bench/step-suite.ts in a
 * worker), as a bar chart and a table; plus rollout throughput with and without the KV cache.
 */
import './step-bench.css';
import * as Comlink from 'comlink';
import { useEffect, useRef, useState } from 'react';
import type { StepBenchResult, StepCase } from '../../../../bench/step-suite';
import type { StepBenchProgress, StepBenchWorkerApi } from '../../../../workers/step-bench-api';

type State = { phase: 'idle' } | { phase: 'running'; progress: StepBenchProgress | null } | { phase: 'done'; result: StepBenchResult } | { phase: 'error'; message: string };

export function StepBench() {
  const [state, setState] = useState<State>({ phase: 'idle' });
  const [quick, setQuick] = useState(true);
  const worker = useRef<{ w: Worker; api: Comlink.Remote<StepBenchWorkerApi> } | null>(null);
  useEffect(() => () => worker.current?.w.terminate(), []);

  const start = async () => {
    if (!worker.current) {
      const w = new Worker(new URL('../../../../workers/step-bench.worker.ts', import.meta.url), { type: 'module', name: 'step-bench' });
      worker.current = { w, api: Comlink.wrap<StepBenchWorkerApi>(w) };
    }
    setState({ phase: 'running', progress: null });
    try {
      const result = await worker.current.api.run({ quick }, Comlink.proxy((progress: StepBenchProgress) => setState({ phase: 'running', progress })));
      setState({ phase: 'done', result });
    } catch (e) {
      setState({ phase: 'error', message: (e as Error).message });
    }
  };
  const p = state.phase === 'running' ? state.progress : null;
  return (
    <section className="step-bench panel" data-testid="step-bench">
      <h3>Training step: our model vs the same model in tfjs</h3>
      <p>
        One full step — forward, backward, gradient clipping, AdamW — of the Llama-style model, ours (WGSL kernels, one command encoder per step) against the same model written with @tensorflow/tfjs ops on its WebGPU backend, from identical weights on this adapter. Ratio = tfjs
        time / our time (above 1: ours is faster; the target is 2×). Also: rollout tokens per second with and without the KV cache.
      </p>
      <label>
        <input type="checkbox" checked={quick} disabled={state.phase === 'running'} onChange={(e) => setQuick(e.target.checked)} /> quick (micro model at 8×32 only; the full run covers micro and workshop at 8×128 and 64×32)
      </label>{' '}
      {state.phase === 'running' ? (
        <button onClick={() => void worker.current?.api.cancel()}>Cancel</button>
      ) : (
        <button onClick={() => void start()}>Run the training-step benchmark</button>
      )}
      {state.phase === 'running' && (
        <p data-testid="step-bench-progress">
          <progress max={p?.total ?? 1} value={p?.done ?? 0} /> {p ? `${p.done}/${p.total} · ${p.line}` : 'compiling the pipelines and the tfjs model…'}
        </p>
      )}
      {state.phase === 'error' && <p className="panel error">Benchmark failed: {state.message}</p>}
      {state.phase === 'done' && <StepResults result={state.result} />}
    </section>
  );
}

function StepBars({ cases }: { cases: StepCase[] }) {
  const W = 640;
  const rowH = 46;
  const left = 150;
  const H = cases.length * rowH + 30;
  const max = Math.max(1, ...cases.flatMap((c) => [c.oursMs, c.tfjsMs]));
  const w = (ms: number) => ((W - left - 130) * ms) / max;
  return (
    <svg className="step-bars" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="training step time, ours and tfjs, per case" style={{ width: '100%', maxWidth: W }}>
      {cases.map((c, i) => {
        const y = 10 + i * rowH;
        return (
          <g key={i}>
            <text x={0} y={y + 20} fontSize={14}>
              {c.preset} {c.batch}×{c.seq}
            </text>
            <rect x={left} y={y} width={w(c.oursMs)} height={16} fill="#2a6f97" />
            <text x={left + w(c.oursMs) + 6} y={y + 13} fontSize={12}>
              ours {c.oursMs} ms
            </text>
            <rect x={left} y={y + 19} width={w(c.tfjsMs)} height={16} fill="#c77700" />
            <text x={left + w(c.tfjsMs) + 6} y={y + 32} fontSize={12}>
              tfjs {c.tfjsMs} ms · {c.ratio}×
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function StepResults({ result }: { result: StepBenchResult }) {
  const a = result.adapter;
  return (
    <div data-testid="step-bench-results">
      <p>
        Adapter: {[a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' · ') || 'unnamed'}
        {a.isFallbackAdapter ? ' (software fallback)' : ''} · tfjs backend {result.tfjsBackend} · vocabulary {result.vocab}. {result.cancelled ? 'Cancelled: partial results.' : ''}
      </p>
      {result.cases.length > 0 && <StepBars cases={result.cases} />}
      <table className="step-table">
        <thead>
          <tr>
            <th>preset</th>
            <th>batch × seq</th>
            <th>parameters</th>
            <th>ours ms</th>
            <th>tfjs ms</th>
            <th>ratio</th>
            <th>dispatches</th>
            <th>loss rel. diff</th>
          </tr>
        </thead>
        <tbody>
          {result.cases.map((c, i) => (
            <tr key={i}>
              <td>{c.preset}</td>
              <td>
                {c.batch} × {c.seq}
              </td>
              <td>{(c.parameters / 1e6).toFixed(2)}M</td>
              <td>{c.oursMs}</td>
              <td>{c.tfjsMs}</td>
              <td>
                {c.ratio}× {c.ratio >= 2 ? '✓' : '✗ below 2×'}
              </td>
              <td>{c.dispatches}</td>
              <td>{c.lossRelDiff}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.rollout.length > 0 && (
        <table className="step-table">
          <thead>
            <tr>
              <th>rollout</th>
              <th>rows × new tokens</th>
              <th>tokens/s with KV cache</th>
              <th>without</th>
              <th>speed-up</th>
            </tr>
          </thead>
          <tbody>
            {result.rollout.map((r, i) => (
              <tr key={i}>
                <td>{r.preset}</td>
                <td>
                  {r.rows} × {r.newTokens}
                </td>
                <td>{Math.round(r.cachedTokensPerS)}</td>
                <td>{Math.round(r.uncachedTokensPerS)}</td>
                <td>{r.speedup}×</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

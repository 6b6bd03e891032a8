/**
 * Bench view: our WGSL kernels vs @tensorflow/tfjs-backend-webgpu on this device, with
 * progress and cancel. Cancel acts at once: the worker stops after the GPU call in
 * flight, and if that call is long (a full-size case on a slow GPU) the worker is
 * stopped outright after a short grace period; the cases finished so far are kept.
 */
import * as Comlink from 'comlink';
import { useEffect, useRef, useState } from 'react';
import type { CaseResult, KernelBenchResult } from '../../../bench/kernels-suite';
import type { GpuInfo } from '../../gpu/device';
import type { BenchProgress, GpuBenchWorkerApi } from '../../../workers/gpu-bench-api';
import { Term } from '../components/help/Term';
import { StepBench } from '../components/train/StepBench';

/** how long Cancel waits for the worker to stop by itself (between two GPU calls) before stopping it: a tfjs shader compile or a 2,048-token case can hold it for seconds */
export const CANCEL_GRACE_MS = 300;

type State =
  | { phase: 'idle' }
  | { phase: 'running'; progress: BenchProgress | null; cancelling: boolean }
  | { phase: 'done'; result: KernelBenchResult; cancelMs?: number }
  | { phase: 'error'; message: string };

export function BenchView() {
  const [state, setState] = useState<State>({ phase: 'idle' });
  const [quick, setQuick] = useState(true);
  const worker = useRef<{ w: Worker; api: Comlink.Remote<GpuBenchWorkerApi> } | null>(null);
  /** what the run has reported so far: kept if the worker has to be stopped */
  const partial = useRef<{ cases: CaseResult[]; adapter: GpuInfo | null; tfjsBackend: string; cancelAt: number | null; run: number }>({ cases: [], adapter: null, tfjsBackend: '', cancelAt: null, run: 0 });
  useEffect(() => () => worker.current?.w.terminate(), []);

  const start = async () => {
    if (!worker.current) {
      const w = new Worker(new URL('../../../workers/gpu-bench.worker.ts', import.meta.url), { type: 'module', name: 'gpu-bench' });
      worker.current = { w, api: Comlink.wrap<GpuBenchWorkerApi>(w) };
    }
    const run = partial.current.run + 1;
    partial.current = { cases: [], adapter: null, tfjsBackend: '', cancelAt: null, run };
    setState({ phase: 'running', progress: null, cancelling: false });
    try {
      const result = await worker.current.api.run(
        { quick },
        Comlink.proxy((progress: BenchProgress) => {
          if (partial.current.run !== run) return;
          if (progress.adapter) {
            partial.current.adapter = progress.adapter;
            partial.current.tfjsBackend = progress.tfjsBackend ?? '';
            return;
          }
          if (progress.last && !partial.current.cases.some((c) => c.name === progress.last!.name)) partial.current.cases.push(progress.last);
          setState((s) => (s.phase === 'running' ? { ...s, progress } : s));
        }),
      );
      if (partial.current.run !== run) return; // stopped by Cancel: its partial result is already shown
      const at = partial.current.cancelAt;
      setState({ phase: 'done', result, ...(at !== null ? { cancelMs: Math.round(performance.now() - at) } : {}) });
    } catch (e) {
      if (partial.current.run !== run) return;
      setState({ phase: 'error', message: `${(e as Error).message}. Reload the page and try again; if the GPU was lost, close other GPU-heavy tabs first.` });
    }
  };

  const cancel = () => {
    const run = partial.current.run;
    partial.current.cancelAt = performance.now();
    setState((s) => (s.phase === 'running' ? { ...s, cancelling: true } : s));
    void worker.current?.api.cancel();
    setTimeout(() => {
      if (partial.current.run !== run || !worker.current) return;
      // still inside a long GPU call: stop the worker and keep what finished
      const p = partial.current;
      worker.current.w.terminate();
      worker.current = null;
      p.run++;
      setState({
        phase: 'done',
        cancelMs: Math.round(performance.now() - (p.cancelAt ?? performance.now())),
        result: { adapter: p.adapter ?? { vendor: 'not reported before Cancel', architecture: '', device: '', description: '', features: [], limits: {}, isFallbackAdapter: false }, tfjsBackend: p.tfjsBackend, cases: p.cases, cancelled: true },
      });
    }, CANCEL_GRACE_MS);
  };

  const p = state.phase === 'running' ? state.progress : null;
  return (
    <section className="bench" data-testid="bench-view">
      <h2>Bench</h2>
      <p>
        Our WGSL kernels against the same maths on @tensorflow/tfjs-backend-webgpu, on this device. <Term k="ratio">Ratio</Term> = tfjs time / our time (above 1: ours is
        faster); speed in <Term k="gflops" />. Targets: matmul ≥ 1.5×, attention ≥ 2×.
      </p>
      <div className="panel">
        <label>
          <input type="checkbox" checked={quick} disabled={state.phase === 'running'} onChange={(e) => setQuick(e.target.checked)} /> quick: small shapes (256-token training
          shapes, one attention length), about a minute on a software GPU; unticked, the full run uses the 2,048-token shapes a training step uses and takes many minutes there
        </label>{' '}
        {state.phase === 'running' ? (
          <button onClick={cancel} disabled={state.cancelling}>
            {state.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : (
          <button onClick={() => void start()}>Run benchmark</button>
        )}
        {state.phase === 'running' && (
          <p data-testid="bench-progress">
            <progress max={p?.total || 1} value={p?.done ?? 0} /> {p ? `${p.done}/${p.total}` : 'starting…'} {p?.next ? `running ${p.next}` : ''}
            {state.cancelling ? ' — stopping after the GPU call in flight' : ''}
          </p>
        )}
        {state.phase === 'error' && <p className="panel error" role="alert">Benchmark failed: {state.message}</p>}
      </div>
      {state.phase === 'done' && <Results result={state.result} {...(state.cancelMs !== undefined ? { cancelMs: state.cancelMs } : {})} />}
      <StepBench />
    </section>
  );
}

function Results({ result, cancelMs }: { result: KernelBenchResult; cancelMs?: number }) {
  const a = result.adapter;
  return (
    <div className="panel" data-testid="bench-results">
      <p>
        Adapter: {[a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' · ') || 'unnamed'}
        {a.isFallbackAdapter ? ' (software fallback)' : ''}.{' '}
        {result.cancelled ? (
          <span data-testid="bench-cancelled" data-cancel-ms={cancelMs}>
            Cancelled: partial results{cancelMs !== undefined ? ` (stopped ${(cancelMs / 1000).toFixed(1)} s after Cancel)` : ''}.
          </span>
        ) : (
          ''
        )}
      </p>
      <table>
        <thead>
          <tr>
            <th>case</th>
            <th>ours ms</th>
            <th>tfjs ms</th>
            <th>ours GFLOP/s</th>
            <th>ratio</th>
            <th>target</th>
          </tr>
        </thead>
        <tbody>
          {result.cases.map((c) => (
            <tr key={c.name}>
              <td>{c.name}</td>
              <td>{c.oursMs}</td>
              <td>{c.tfjsMs}</td>
              <td>{c.flops ? c.oursGflops : '–'}</td>
              <td>{c.ratio}×</td>
              <td>{c.target === null ? '–' : `${c.target}× ${c.met ? '✓' : '✗ not met'}`}</td>
            </tr>
          ))}
          {result.cases.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No case finished before Cancel.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

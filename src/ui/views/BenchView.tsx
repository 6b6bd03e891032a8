/** Bench view: our WGSL kernels vs @tensorflow/tfjs-backend-webgpu on this device, with progress and cancel. */
import * as Comlink from 'comlink';
import { useEffect, useRef, useState } from 'react';
import type { KernelBenchResult } from '../../../bench/kernels-suite';
import type { BenchProgress, GpuBenchWorkerApi } from '../../../workers/gpu-bench-api';

type State =
  | { phase: 'idle' }
  | { phase: 'running'; progress: BenchProgress | null }
  | { phase: 'done'; result: KernelBenchResult }
  | { phase: 'error'; message: string };

export function BenchView() {
  const [state, setState] = useState<State>({ phase: 'idle' });
  const [quick, setQuick] = useState(true);
  const worker = useRef<{ w: Worker; api: Comlink.Remote<GpuBenchWorkerApi> } | null>(null);
  useEffect(() => () => worker.current?.w.terminate(), []);

  const start = async () => {
    if (!worker.current) {
      const w = new Worker(new URL('../../../workers/gpu-bench.worker.ts', import.meta.url), { type: 'module', name: 'gpu-bench' });
      worker.current = { w, api: Comlink.wrap<GpuBenchWorkerApi>(w) };
    }
    setState({ phase: 'running', progress: null });
    try {
      const result = await worker.current.api.run({ quick }, Comlink.proxy((progress: BenchProgress) => setState({ phase: 'running', progress })));
      setState({ phase: 'done', result });
    } catch (e) {
      setState({ phase: 'error', message: (e as Error).message });
    }
  };

  const p = state.phase === 'running' ? state.progress : null;
  return (
    <section className="bench" data-testid="bench-view">
      <h2>Bench</h2>
      <p>
        Our WGSL kernels against the same maths on @tensorflow/tfjs-backend-webgpu, on this device. Ratio = tfjs time / our time
        (above 1: ours is faster). Targets: matmul ≥ 1.5×, attention ≥ 2×.
      </p>
      <div className="panel">
        <label>
          <input type="checkbox" checked={quick} disabled={state.phase === 'running'} onChange={(e) => setQuick(e.target.checked)} /> quick (small shapes only; the full
          run takes minutes on a software GPU)
        </label>{' '}
        {state.phase === 'running' ? (
          <button onClick={() => void worker.current?.api.cancel()}>Cancel</button>
        ) : (
          <button onClick={() => void start()}>Run benchmark</button>
        )}
        {state.phase === 'running' && (
          <p data-testid="bench-progress">
            <progress max={p?.total ?? 1} value={p?.done ?? 0} /> {p ? `${p.done}/${p.total}` : 'starting…'} {p?.next ? `running ${p.next}` : ''}
          </p>
        )}
        {state.phase === 'error' && <p className="panel error">Benchmark failed: {state.message}</p>}
      </div>
      {state.phase === 'done' && <Results result={state.result} />}
    </section>
  );
}

function Results({ result }: { result: KernelBenchResult }) {
  const a = result.adapter;
  return (
    <div className="panel" data-testid="bench-results">
      <p>
        Adapter: {[a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' · ') || 'unnamed'}
        {a.isFallbackAdapter ? ' (software fallback)' : ''}. {result.cancelled ? 'Cancelled: partial results.' : ''}
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
        </tbody>
      </table>
    </div>
  );
}

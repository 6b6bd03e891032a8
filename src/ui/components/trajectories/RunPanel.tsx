/**
 * Settings for a trajectory run: the teacher (built-in KG, an OpenAI-compatible
 * endpoint, or a transformers.js model in the browser), k and refinement rounds, and
 * which questions; progress and cancel while it runs. An API key stays in memory
 * unless the user asks to remember it on this device.
 */
import { useState } from 'react';
import type { TeacherSpec } from '../../../../workers/trajectory-api';
import { useInspector } from './store';
import { EndpointFields } from '../help/EndpointFields';

const KEY_STORAGE = 'fleming.teacher.apiKey';

export function RunPanel({ questionIds, scopeLabel }: { questionIds: string[]; scopeLabel: string }) {
  const { running, progress, lastRun, runError, run, cancel } = useInspector();
  const [kind, setKind] = useState<TeacherSpec['kind']>('kg');
  const [k, setK] = useState(4);
  const [rounds, setRounds] = useState(3);
  const [seed, setSeed] = useState(1);
  const [baseUrl, setBaseUrl] = useState('http://127.0.0.1:8000/v1');
  const [model, setModel] = useState('');
  const [apiKey, setApiKey] = useState(() => (typeof localStorage !== 'undefined' ? (localStorage.getItem(KEY_STORAGE) ?? '') : ''));
  const [remember, setRemember] = useState(() => typeof localStorage !== 'undefined' && localStorage.getItem(KEY_STORAGE) !== null);
  const [stream, setStream] = useState(true);
  const [modelId, setModelId] = useState('onnx-community/Qwen2.5-0.5B-Instruct');
  const [device, setDevice] = useState<'auto' | 'webgpu' | 'wasm'>('auto');

  const start = () => {
    if (remember && apiKey) localStorage.setItem(KEY_STORAGE, apiKey);
    else localStorage.removeItem(KEY_STORAGE);
    const teacher: TeacherSpec =
      kind === 'kg' ? { kind } : kind === 'openai' ? { kind, baseUrl, model, stream, ...(apiKey ? { apiKey } : {}) } : { kind, modelId, device };
    void run({ teacher, k, rounds, seed, questionIds });
  };
  const num = (label: string, value: number, setter: (x: number) => void, min: number, max: number) => (
    <label>
      {label}
      <input type="number" aria-label={label} value={value} min={min} max={max} onChange={(e) => setter(Number(e.target.value))} disabled={running} />
    </label>
  );
  const invalid = questionIds.length === 0 || (kind === 'openai' && (!baseUrl.trim() || !model.trim())) || (kind === 'transformers' && !modelId.trim());
  return (
    <details className="panel traj-run" open data-testid="run-panel">
      <summary>Generate trajectories</summary>
      <div className="settings">
        <label>
          Teacher
          <select aria-label="Teacher" value={kind} onChange={(e) => setKind(e.target.value as TeacherSpec['kind'])} disabled={running}>
            <option value="kg">Built-in KG teacher (offline)</option>
            <option value="openai">OpenAI-compatible endpoint</option>
            <option value="transformers">Model in the browser (transformers.js)</option>
          </select>
        </label>
        {num('Candidates (k)', k, setK, 1, 16)}
        {num('Refinement rounds', rounds, setRounds, 0, 10)}
        {num('Seed', seed, setSeed, 0, 2 ** 31)}
      </div>
      {kind === 'openai' && (
        <div className="settings">
          <EndpointFields {...{ baseUrl, setBaseUrl, model, setModel, apiKey, setApiKey, remember, setRemember }} disabled={running} />
          <label>
            <input type="checkbox" checked={stream} onChange={(e) => setStream(e.target.checked)} disabled={running} /> stream
          </label>
        </div>
      )}
      {kind === 'openai' && (
        <p className="hint">The server must allow requests from this page (CORS), e.g. vLLM or llama.cpp started with their allowed-origins option; each failed call is reported and stores nothing.</p>
      )}
      {kind === 'transformers' && (
        <div className="settings">
          <label>
            Model id
            <input aria-label="Model id" value={modelId} onChange={(e) => setModelId(e.target.value)} disabled={running} />
          </label>
          <label>
            Device
            <select aria-label="Device" value={device} onChange={(e) => setDevice(e.target.value as typeof device)} disabled={running}>
              <option value="auto">WebGPU if available, else WASM</option>
              <option value="webgpu">WebGPU</option>
              <option value="wasm">WASM</option>
            </select>
          </label>
        </div>
      )}
      {kind === 'transformers' && <p className="hint">The model is downloaded from the Hugging Face hub on first use (progress below) and runs in this browser; WebGPU when available, else WASM.</p>}
      <div className="settings">
        <button onClick={start} disabled={running || invalid}>
          Run on {questionIds.length} {scopeLabel}
        </button>
        {running && (
          <button onClick={cancel} data-testid="cancel-run">
            Cancel
          </button>
        )}
      </div>
      {running && progress && (
        <div role="status" data-testid="run-progress">
          <progress max={progress.model ? 1 : progress.total || 1} value={progress.model ? progress.model.fraction : progress.done} /> {progress.message}
          {progress.summary && ` · pass@k ${(progress.summary.passAtK * 100).toFixed(1)}%`}
        </div>
      )}
      {runError && !running && (
        <div role="alert" className="error-text" data-testid="run-error">
          <p>The run failed: {runError}</p>
          <p>Questions that finished before the failure were saved. Change the settings above and run again.</p>
        </div>
      )}
      {lastRun && (
        <p data-testid="run-summary">
          {lastRun.cancelled ? 'Cancelled after ' : 'Done: '}
          {lastRun.summary.n} questions · pass@1 {(lastRun.summary.passAt1 * 100).toFixed(1)}% · pass@k {(lastRun.summary.passAtK * 100).toFixed(1)}% · after refinement {(lastRun.summary.afterRefinement * 100).toFixed(1)}% · {lastRun.summary.unsupportedClaims} unsupported claims
          {Object.keys(lastRun.summary.selectedStyles ?? {}).length > 0 &&
            ` · selected styles: ${Object.entries(lastRun.summary.selectedStyles)
              .map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`)
              .join(', ')}`}
          {lastRun.summary.failedCalls > 0 && ` · ${lastRun.summary.failedCalls} failed teacher calls (nothing stored for them; first: ${lastRun.errors[0]})`}
        </p>
      )}
      {lastRun && lastRun.summary.skipped > 0 && (
        <p className="hint" data-testid="run-skipped">
          {lastRun.summary.skipped} of {lastRun.summary.n} questions were skipped on purpose ({skippedText(lastRun.summary.skippedKinds)}): the teacher writes a chain only when it can rule
          every wrong option out with a positive fact, so no reasoning is invented. The pass rates above leave them out.
        </p>
      )}
    </details>
  );
}

/** "no positive reason 12, weak edge 3" — the kinds are snake_case codes from Teacher.cannotWrite */
function skippedText(kinds: Record<string, number>): string {
  return Object.entries(kinds)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k.replace(/_/g, ' ')} ${v}`)
    .join(', ');
}

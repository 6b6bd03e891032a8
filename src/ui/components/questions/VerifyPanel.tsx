/**
 * The LLM verifier (the paper's label check by GPT-4 ×5): an OpenAI-compatible model is
 * asked k times, without the key, which options are correct; each item stores its votes,
 * the agreement and a verdict. Runs over the filtered set; progress, cancel, and errors
 * that stay on screen with what to do next. The API key stays in memory unless the user
 * asks to remember it on this device.
 */
import { useState } from 'react';
import { VERIFY_DEFAULTS } from '../../../synthesis/llm-verify/verifier';
import type { LlmVerifyProgress, LlmVerifyResult } from '../../../../workers/synthesis-api';
import { Comlink, synthesisWorker } from './synth-client';
import { summaryLine } from './verify-ui';
import { EndpointFields } from '../help/EndpointFields';

const KEY_STORAGE = 'fleming.verifier.apiKey';

export function VerifyPanel({ questionIds, scopeLabel, onSaved }: { questionIds: string[]; scopeLabel: string; onSaved(): void }) {
  const [baseUrl, setBaseUrl] = useState('http://127.0.0.1:8000/v1');
  const [model, setModel] = useState('');
  const [apiKey, setApiKey] = useState(() => (typeof localStorage !== 'undefined' ? (localStorage.getItem(KEY_STORAGE) ?? '') : ''));
  const [remember, setRemember] = useState(() => typeof localStorage !== 'undefined' && localStorage.getItem(KEY_STORAGE) !== null);
  const [k, setK] = useState<number>(VERIFY_DEFAULTS.k);
  const [threshold, setThreshold] = useState<number>(VERIFY_DEFAULTS.threshold);
  const [temperature, setTemperature] = useState<number>(VERIFY_DEFAULTS.temperature);
  const [concurrency, setConcurrency] = useState(4);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<LlmVerifyProgress | null>(null);
  const [result, setResult] = useState<LlmVerifyResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const start = async () => {
    if (remember && apiKey) localStorage.setItem(KEY_STORAGE, apiKey);
    else localStorage.removeItem(KEY_STORAGE);
    setRunning(true);
    setError(null);
    setResult(null);
    setProgress(null);
    try {
      const r = await synthesisWorker().verifyQuestions(
        { baseUrl, model, k, threshold, temperature, maxConcurrency: concurrency, questionIds, ...(apiKey ? { apiKey } : {}) },
        Comlink.proxy((p: LlmVerifyProgress) => setProgress(p)),
      );
      setResult(r);
    } catch (e) {
      setError((e as Error).message || String(e));
    } finally {
      setRunning(false);
      onSaved();
    }
  };
  const num = (label: string, value: number, set: (x: number) => void, min: number, max: number, step = 1, title?: string) => (
    <label title={title}>
      {label}
      <input type="number" aria-label={label} value={value} min={min} max={max} step={step} onChange={(e) => set(Number(e.target.value))} disabled={running} />
    </label>
  );
  const invalid = questionIds.length === 0 || !baseUrl.trim() || !model.trim() || !(k >= 1 && k <= 32) || !(temperature > 0) || !(threshold >= 0 && threshold <= 1);
  return (
    <details className="panel verify" data-testid="verify-panel">
      <summary>Verify with an LLM (k votes per item)</summary>
      <p className="help">
        Each item is sent to an OpenAI-compatible model k times, without its key, asking which options are correct (none, one or several). An item is <strong>dropped</strong> when most
        votes name another option, instead of the key or beside it (a pending item is then rejected, with a note in its history); <strong>flagged</strong> for review when fewer than the
        threshold of the votes name only the key; otherwise <strong>kept</strong>. The votes and the verdict are stored with the item. The server must allow requests from this page (CORS).
      </p>
      <div className="settings">
        <EndpointFields name="Verifier" {...{ baseUrl, setBaseUrl, model, setModel, apiKey, setApiKey, remember, setRemember }} disabled={running} />
      </div>
      <div className="settings">
        {num('Votes (k)', k, setK, 1, 32, 1, 'independent calls per item; the paper used 5')}
        {num('Agreement threshold', threshold, setThreshold, 0, 1, 0.05, 'flag an item when fewer than this share of the votes name only the key')}
        {num('Temperature', temperature, setTemperature, 0.05, 2, 0.05, 'above 0, so the votes are independent samples')}
        {num('Requests at once', concurrency, setConcurrency, 1, 32)}
      </div>
      <div className="settings">
        <button onClick={() => void start()} disabled={running || invalid}>
          Verify {questionIds.length} {scopeLabel}
        </button>
        {running && (
          <button onClick={() => void synthesisWorker().cancelVerify()} data-testid="cancel-verify">
            Cancel
          </button>
        )}
      </div>
      {running && (
        <div role="status" data-testid="verify-progress">
          <progress max={progress?.total || questionIds.length || 1} value={progress?.done ?? 0} /> {progress ? `${progress.message} · ${summaryLine(progress.summary)}` : `Asking ${model} …`}
        </div>
      )}
      {result && (
        <p data-testid="verify-summary">
          {result.cancelled ? 'Cancelled: ' : 'Done: '}
          {summaryLine(result.summary)}
          {result.errors.length > 0 && ` · some calls failed (first: ${result.errors[0]})`}
        </p>
      )}
      {error && !running && (
        <div role="alert" className="error-text" data-testid="verify-error">
          <p>The verifier run failed: {error}</p>
          <p>Items verified before the failure were saved. Fix the settings above and run again.</p>
        </div>
      )}
    </details>
  );
}

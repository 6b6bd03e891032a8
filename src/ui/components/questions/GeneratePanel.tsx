/** Generate panel: the synthesis settings, a progress bar per saved batch, and cancel. */
import { useState } from 'react';
import { DEFAULT_SETTINGS } from '../../../synthesis/engine';
import type { SynthesisSummary } from '../../../synthesis/run';
import { TEMPLATES } from '../../../synthesis/templates';
import type { GenerateProgress } from '../../../../workers/synthesis-api';
import { Comlink, synthesisWorker } from './synth-client';

export function GeneratePanel({ onSaved }: { onSaved(): void }) {
  const [n, setN] = useState(500);
  const [seed, setSeed] = useState(1);
  const [alpha, setAlpha] = useState<number>(DEFAULT_SETTINGS.alpha);
  const [optionCount, setOptionCount] = useState<number>(DEFAULT_SETTINGS.optionCount);
  const [drop, setDrop] = useState<number>(DEFAULT_SETTINGS.dropProbability);
  const [types, setTypes] = useState<string[]>(TEMPLATES.map((t) => t.type));
  const [progress, setProgress] = useState<GenerateProgress | null>(null);
  const [running, setRunning] = useState(false);
  const [summary, setSummary] = useState<(SynthesisSummary & { cancelled: boolean; alreadyStored: number }) | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    setRunning(true);
    setError(null);
    setSummary(null);
    try {
      const res = await synthesisWorker().generate(
        { n, seed, alpha, optionCount, dropProbability: drop, types },
        Comlink.proxy((p: GenerateProgress) => {
          setProgress(p);
          if (p.phase === 'generate') onSaved();
        }),
      );
      setSummary({ ...res.summary, cancelled: res.cancelled, alreadyStored: res.alreadyStored });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRunning(false);
      onSaved();
    }
  };

  const num = (label: string, value: number, set: (x: number) => void, min: number, max: number, step = 1) => (
    <label>
      {label}
      <input type="number" aria-label={label} value={value} min={min} max={max} step={step} onChange={(e) => set(Number(e.target.value))} disabled={running} />
    </label>
  );

  return (
    <details className="panel generate" open data-testid="generate-panel">
      <summary>Generate questions from the knowledge graph</summary>
      <div className="settings">
        {num('Questions', n, setN, 1, 100000)}
        {num('Seed', seed, setSeed, 0, 2 ** 32 - 1)}
        {num('Long-tail α', alpha, setAlpha, 0, 10, 0.1)}
        {num('Options', optionCount, setOptionCount, 3, 10)}
        {num('Withhold evidence p', drop, setDrop, 0, 0.95, 0.05)}
      </div>
      <fieldset className="types" disabled={running}>
        <legend>Question types</legend>
        {TEMPLATES.map((t) => (
          <label key={t.type} title={t.metapath}>
            <input type="checkbox" checked={types.includes(t.type)} onChange={(e) => setTypes(e.target.checked ? [...types, t.type] : types.filter((x) => x !== t.type))} />
            {t.title} ({t.chain.length + 1} hop{t.chain.length ? 's' : ''})
          </label>
        ))}
      </fieldset>
      <button onClick={() => void run()} disabled={running || types.length === 0 || !(n > 0)}>
        Generate
      </button>{' '}
      {running && (
        <button onClick={() => void synthesisWorker().cancel()} data-testid="cancel-generate">
          Cancel
        </button>
      )}
      {running && progress && (
        <div role="status" data-testid="generate-progress">
          <progress max={progress.total} value={progress.done} /> {progress.message}
        </div>
      )}
      {error && <p role="alert" className="error-text">{error}</p>}
      {summary && (
        <p data-testid="generate-summary">
          {summary.cancelled ? 'Cancelled: ' : ''}
          {summary.n} questions saved ({summary.perDifficulty.easy} easy, {summary.perDifficulty.moderate} moderate, {summary.perDifficulty.difficult} difficult) at{' '}
          {summary.questionsPerSecond.toLocaleString('en')} questions/s; {Object.values(summary.dropped).reduce((a, b) => a + (b ?? 0), 0)} drafts dropped (
          {Object.entries(summary.dropped)
            .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${v}`)
            .join(', ')}
          ).
          {summary.alreadyStored > 0 && <> {summary.alreadyStored} were already stored and kept as curated.</>}
          {!summary.cancelled && (
            <>
              {' '}
              Rare answers (degree below their type's median): {(100 * summary.rareAnswerShare).toFixed(1)}% vs {(100 * summary.rareAnswerShareUniform).toFixed(1)}% with uniform sampling.
            </>
          )}
        </p>
      )}
    </details>
  );
}

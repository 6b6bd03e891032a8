/** Generate panel: the synthesis settings, a progress bar per saved batch, and cancel. */
import { useState } from 'react';
import { DEFAULT_SETTINGS } from '../../../synthesis/engine';
import type { SynthesisSummary } from '../../../synthesis/run';
import { DEFAULT_QUESTION_TYPES, OFF_BY_DEFAULT, templateHops, TEMPLATES } from '../../../synthesis/templates';
import { EvidenceSources } from './EvidenceSources';
import { ValidityReportView } from './ValidityReportView';
import type { GenerateProgress } from '../../../../workers/synthesis-api';
import { Comlink, synthesisWorker } from './synth-client';
import { Term } from '../help/Term';
import type { GlossaryKey } from '../help/glossary';
import { useApp } from '../../store';

/** What α does, with the numbers of the current value: how much more often a sparse entity is drawn than a hub. */
export function alphaExplained(alpha: number): string {
  if (!(alpha > 0)) return 'α = 0: every start entity is equally likely (uniform sampling), so hubs dominate as they do in the literature.';
  const ratio = Math.pow(101 / 3, alpha);
  return `α = ${alpha}: an entity with 2 relations is drawn ${ratio >= 100 ? Math.round(ratio).toLocaleString('en') : ratio.toFixed(1)}× as often as a hub with 100 — questions lean towards the long tail. The report after a run gives the share of rare answers against uniform sampling.`;
}

/** What the withholding probability does, in words. */
export function withholdExplained(p: number): string {
  if (!(p > 0)) return 'p = 0: every clue fact appears in the stem.';
  return `p = ${p}: each clue fact is left out of the stem with probability ${p} (kept in the record as withheld), so a question with 4 clues shows ${(4 * (1 - p)).toFixed(1)} on average — harder, and closer to real partial information.`;
}

export function GeneratePanel({ onSaved }: { onSaved(): void }) {
  const [n, setN] = useState(500);
  const [seed, setSeed] = useState(1);
  const [alpha, setAlpha] = useState<number>(DEFAULT_SETTINGS.alpha);
  const [optionCount, setOptionCount] = useState<number>(DEFAULT_SETTINGS.optionCount);
  const [drop, setDrop] = useState<number>(DEFAULT_SETTINGS.dropProbability);
  const [types, setTypes] = useState<string[]>([...DEFAULT_QUESTION_TYPES]);
  const [progress, setProgress] = useState<GenerateProgress | null>(null);
  const [running, setRunning] = useState(false);
  const [summary, setSummary] = useState<(SynthesisSummary & { cancelled: boolean; alreadyStored: number; graph: { id: string; name: string } }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const graphName = useApp((s) => (s.graph.phase === 'ready' ? s.graph.result.name : null));
  const datasets = useApp((s) => (s.graph.phase === 'ready' ? s.graph.result.datasets : null));
  const [excluded, setExcluded] = useState<string[]>([]);

  const run = async () => {
    setRunning(true);
    setError(null);
    setSummary(null);
    try {
      const res = await synthesisWorker().generate(
        { n, seed, alpha, optionCount, dropProbability: drop, types, excludeDatasets: excluded.filter((id) => datasets?.some((d) => d.id === id)) },
        Comlink.proxy((p: GenerateProgress) => {
          setProgress(p);
          if (p.phase === 'generate') onSaved();
        }),
      );
      setSummary({ ...res.summary, cancelled: res.cancelled, alreadyStored: res.alreadyStored, graph: res.graph });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setRunning(false);
      onSaved();
    }
  };

  const num = (label: string, value: number, set: (x: number) => void, min: number, max: number, step = 1, term?: GlossaryKey) => (
    <label>
      {term ? <Term k={term}>{label}</Term> : label}
      <input type="number" aria-label={label} value={value} min={min} max={max} step={step} onChange={(e) => set(Number(e.target.value))} disabled={running} />
    </label>
  );

  return (
    <details className="panel generate" open data-testid="generate-panel">
      <summary>
        Generate questions from {graphName ? <strong data-testid="source-graph">{graphName}</strong> : 'the knowledge graph'}
      </summary>
      <p className="hint">Questions come from the graph open in the Graph view; open another graph there to generate from it.</p>
      <div className="settings">
        {num('Questions', n, setN, 1, 100000)}
        {num('Seed', seed, setSeed, 0, 2 ** 32 - 1)}
        {num('Long-tail α', alpha, setAlpha, 0, 10, 0.1, 'alpha')}
        {num('Options', optionCount, setOptionCount, 3, 10)}
        {num('Withhold evidence p', drop, setDrop, 0, 0.95, 0.05, 'withhold')}
      </div>
      <p className="help" data-testid="settings-help">
        {alphaExplained(alpha)} {withholdExplained(drop)}
      </p>
      <fieldset className="types" disabled={running}>
        <legend>Question types</legend>
        {TEMPLATES.map((t) => (
          <label key={t.type} title={t.metapath}>
            <input type="checkbox" checked={types.includes(t.type)} onChange={(e) => setTypes(e.target.checked ? [...types, t.type] : types.filter((x) => x !== t.type))} />
            {t.title} ({templateHops(t)} hop{templateHops(t) > 1 ? 's' : ''})
            {OFF_BY_DEFAULT[t.type] ? (
              <span className="muted" data-testid={`off-by-default-${t.type}`}>
                {' '}
                — off by default: {OFF_BY_DEFAULT[t.type]}
              </span>
            ) : null}
          </label>
        ))}
      </fieldset>
      <EvidenceSources datasets={datasets ?? []} excluded={excluded} onChange={setExcluded} disabled={running} />
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
      {error && (
        <p role="alert" className="error-text" data-testid="generate-error">
          Generation stopped: {error} Questions saved before this are kept. Try again, or with fewer question types; if it happens again, reload the page.
        </p>
      )}
      {summary && (
        <p data-testid="generate-summary">
          {summary.cancelled ? 'Cancelled: ' : ''}
          {summary.n} questions saved from {summary.graph.name} ({summary.perDifficulty.easy} easy, {summary.perDifficulty.moderate} moderate, {summary.perDifficulty.difficult} difficult) at{' '}
          {summary.questionsPerSecond.toLocaleString('en')} questions/s; {Object.values(summary.dropped).reduce((a, b) => a + (b ?? 0), 0)} drafts dropped (
          {Object.entries(summary.dropped)
            .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${v}`)
            .join(', ')}
          ).
          {summary.alreadyStored > 0 && <> {summary.alreadyStored} were already stored and kept as curated.</>}
          {!summary.cancelled && summary.shortfall.missing > 0 && (
            <span data-testid="generate-shortfall">
              {' '}
              {summary.shortfall.missing} fewer than asked: no type gives more than twice its fair share ({summary.shortfall.typeCap}), and these ran short of theirs (
              {Object.entries(summary.shortfall.perType)
                .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${v}`)
                .join(', ')}
              ).
            </span>
          )}
          {!summary.cancelled && (
            <>
              {' '}
              Rare answers (degree below the median of the answers their question type can use): {(100 * summary.rareAnswerShare).toFixed(1)}% vs {(100 * summary.rareAnswerShareUniform).toFixed(1)}% with uniform sampling.
            </>
          )}
        </p>
      )}
      {summary && <ValidityReportView report={summary.validity} unavailable={summary.unavailable} />}
    </details>
  );
}

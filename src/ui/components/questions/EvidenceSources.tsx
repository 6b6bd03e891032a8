/**
 * Per-dataset trust controls for the Generate panel: each dataset of the active graph with
 * its grade (expert curated, from labels, crowd, inferred, text-mined) and a checkbox that
 * lets its assertions be evidence and keys. Unticking a dataset never makes an option look
 * right or wrong by itself: its edges still keep possibly-right options out of the
 * distractors (src/synthesis/edge-trust.ts).
 */
import type { DatasetInfo } from '../../../graph/format';
import { trustTable } from '../../../synthesis/edge-trust';

const GRADE_WORDS: Record<string, string> = {
  expert: 'expert curated',
  label: 'from drug labels',
  partial: 'curated, low agreement',
  prevention: 'prevention indications (never count)',
  crowd: 'crowd-sourced',
  inferred: 'inferred',
  text_mined: 'text-mined',
  compilation: 'compilation',
};

export function EvidenceSources({ datasets, excluded, onChange, disabled }: { datasets: readonly DatasetInfo[]; excluded: readonly string[]; onChange(next: string[]): void; disabled: boolean }) {
  if (!datasets.length) return null;
  const trust = trustTable(datasets);
  return (
    <details className="evidence-sources" data-testid="evidence-sources">
      <summary>Evidence sources ({datasets.length - excluded.length} of {datasets.length} may give evidence and keys)</summary>
      <p className="hint">
        A key or a shown finding must rest on a strong edge: one asserted by an expert-curated source, or by two independent sources (a drug-label row or a crowd
        statement alone is not enough). Untick a source to stop it counting; every edge, weak or excluded, still keeps options that might be right out of the wrong
        answers.
      </p>
      <ul>
        {datasets.map((d, i) => (
          <li key={d.id}>
            <label title={trust[i]!.note}>
              <input
                type="checkbox"
                aria-label={`use ${d.name} as evidence`}
                checked={!excluded.includes(d.id)}
                disabled={disabled}
                onChange={(e) => onChange(e.target.checked ? excluded.filter((x) => x !== d.id) : [...excluded, d.id])}
              />{' '}
              {d.name}{' '}
              <span className="muted">
                — {GRADE_WORDS[trust[i]!.grade] ?? trust[i]!.grade}
                {trust[i]!.summary ? '; a summary: what it names counts, its silence never does' : ''}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </details>
  );
}

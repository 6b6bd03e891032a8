/**
 * One trajectory: its checks as badges, the reasoning with KG entities linked to the
 * explorer, the answer, the changes from the round it refines, and accept / reject
 * for the SFT set.
 */
import { useState } from 'react';
import { extractAnswer, reasoningBody } from '../../../trajectories/text';
import type { Trajectory } from '../../../trajectories/types';
import { formatHash } from '../../routes';
import { wordDiff } from './diff';

const STRATEGY: Record<Trajectory['strategy'], string> = {
  initial: 'candidate',
  backtracking: 'backtracking',
  path_exploration: 'path exploration',
  self_correction: 'self-correction',
};

export function LinkedText({ text, mentions }: { text: string; mentions: Trajectory['mentions'] }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const m of [...mentions].sort((a, b) => a.start - b.start)) {
    if (m.start < at || m.end > text.length) continue;
    if (m.start > at) parts.push(text.slice(at, m.start));
    const id = m.ids[0]!;
    parts.push(
      <a key={m.start} href={formatHash('graph', { node: id })} className="entity-link" data-testid="entity-link" data-node={id} title={m.ids.join(', ')}>
        {text.slice(m.start, m.end)}
      </a>,
    );
    at = m.end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}

export function TrajectoryCard({ t, refined, onReview }: { t: Trajectory; refined?: Trajectory; onReview: (review: 'accepted' | 'rejected' | null) => void }) {
  const [showDiff, setShowDiff] = useState(false);
  const body = reasoningBody(t.text);
  const answer = extractAnswer(t.text);
  return (
    <article className={`traj-card ${t.passed ? 'passed' : 'failed'} ${t.review ?? ''}`} data-testid="trajectory" data-round={t.round} data-passed={t.passed}>
      <header>
        <strong>
          Round {t.round} · {STRATEGY[t.strategy]} {t.round === 0 ? t.candidate + 1 : ''}
        </strong>{' '}
        <span className="badge">{t.teacher}</span> {t.style && <span className="badge" title="the teacher's reasoning style for this candidate">{t.style.replace(/_/g, ' ')}</span>} {t.selected && <span className="badge selected" title="chosen by pass@k for the SFT set">selected</span>}{' '}
        {t.review && <span className={`badge review-${t.review}`}>{t.review}</span>}
      </header>
      <ul className="checks" aria-label="Checks">
        {t.checks.map((c) => (
          <li key={c.name} className={`badge check ${c.passed ? 'pass' : 'fail'}`} data-testid="check-badge" data-check={c.name} data-passed={c.passed} title={c.detail}>
            {c.passed ? '✓' : '✗'} {c.name}
          </li>
        ))}
      </ul>
      <p className="traj-text" data-testid="trajectory-text">
        <LinkedText text={body} mentions={t.mentions} />
      </p>
      <p className="traj-answer">
        Answer: <strong>{answer ?? '(none)'}</strong>
        {t.unsupportedClaims > 0 && <span className="error-text"> · {t.unsupportedClaims} unsupported claim(s)</span>}
      </p>
      {t.checks.some((c) => !c.passed) && (
        <ul className="check-details">
          {t.checks
            .filter((c) => !c.passed)
            .map((c) => (
              <li key={c.name}>
                <strong>{c.name}</strong>: {c.detail}
              </li>
            ))}
        </ul>
      )}
      {refined && (
        <div className="traj-diff">
          <button onClick={() => setShowDiff(!showDiff)} aria-expanded={showDiff}>
            {showDiff ? 'Hide' : 'Show'} changes from round {refined.round}
          </button>
          {showDiff && (
            <p data-testid="trajectory-diff">
              {wordDiff(refined.text, t.text).map((p, i) => (p.kind === 'same' ? <span key={i}>{p.text}</span> : p.kind === 'added' ? <ins key={i}>{p.text}</ins> : <del key={i}>{p.text}</del>))}
            </p>
          )}
        </div>
      )}
      <div className="traj-review">
        <button onClick={() => onReview(t.review === 'accepted' ? null : 'accepted')} aria-pressed={t.review === 'accepted'}>
          {t.review === 'accepted' ? 'Accepted for SFT' : 'Accept for SFT'}
        </button>
        <button onClick={() => onReview(t.review === 'rejected' ? null : 'rejected')} aria-pressed={t.review === 'rejected'}>
          {t.review === 'rejected' ? 'Rejected' : 'Reject'}
        </button>
      </div>
    </article>
  );
}

/** A question's stored LLM verification: the verdict, why, and each vote. */
import type { QuestionRecord } from '../../../synthesis/record';
import { isStale, voteText } from './verify-ui';

export function VerificationView({ record }: { record: QuestionRecord }) {
  const v = record.verification;
  if (!v) return null;
  return (
    <details className={`verification verdict-${v.verdict}`} data-testid="verification" open={v.verdict !== 'keep'}>
      <summary>
        LLM verifier: <strong>{v.verdict}</strong> — {v.reason}
        {isStale(record) && ' (stale: the key was changed after this verification)'}
      </summary>
      <p className="muted">
        {v.model} at {v.endpoint}, {v.k} votes at temperature {v.temperature}, agreement {(v.agreement * 100).toFixed(0)}% (flag below {(v.threshold * 100).toFixed(0)}%), key {v.key},{' '}
        {v.at.replace('T', ' ').slice(0, 19)}
      </p>
      <ol>
        {v.votes.map((x, i) => (
          <li key={i} title={x.reply ?? ''}>
            {voteText(x)}
          </li>
        ))}
      </ol>
    </details>
  );
}

/**
 * One completion of the group: its reward (and a what-if override), its advantage, its tokens
 * coloured by ∂loss/∂log π (green: the step makes the token more likely, red: less likely;
 * outlined: clipped, no gradient), and after a Step how its log-probability moved.
 */
import type { CompletionNumbers } from '../../learn/grpo-step';
import type { Score } from './store';

const signed = (x: number, d = 2) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(d)}`;

export function tokenStyle(grad: number, max: number): React.CSSProperties {
  if (max <= 0 || grad === 0) return {};
  const a = Math.min(1, Math.abs(grad) / max);
  // gradient descent moves log π against the gradient: grad < 0 raises the token
  return { background: grad < 0 ? `rgba(31,122,63,${0.12 + 0.7 * a})` : `rgba(180,35,24,${0.12 + 0.7 * a})`, color: a > 0.55 ? 'white' : undefined };
}

export function CompletionCard({
  index,
  c,
  maxAbsGrad,
  score,
  edited,
  shift,
  onOverride,
}: {
  index: number;
  c: CompletionNumbers;
  maxAbsGrad: number;
  score: Score;
  edited: boolean;
  /** Σ Δ log π and per token after the last step, when there was one */
  shift: { total: number; perToken: number[] } | null;
  onOverride: (s: Score | null) => void;
}) {
  const a = c.advantage;
  return (
    <article className={`completion-card ${a > 1e-9 ? 'better' : a < -1e-9 ? 'worse' : 'level'}${c.masked ? ' masked' : ''}`} data-testid="completion-card">
      <header>
        <span className="idx">{index + 1}</span>
        <span className="reward" title="reward = correctness weight × correctness + format weight × format">
          r = <b data-testid="reward">{c.reward.toFixed(2)}</b>
        </span>
        <span className={`advantage ${a > 1e-9 ? 'pos' : a < -1e-9 ? 'neg' : ''}`} title="advantage: how much better than the group this completion scored">
          A = <b data-testid="advantage">{signed(a, 3)}</b>
        </span>
      </header>
      <div className="score-line">
        <label title="what if this answer were right or wrong? (the reward function’s own verdict otherwise)">
          <input type="checkbox" checked={score.correctness > 0} onChange={(e) => onOverride({ ...score, correctness: e.target.checked ? 1 : 0 })} /> correct
        </label>
        <label>
          <input type="checkbox" checked={score.format > 0} onChange={(e) => onOverride({ ...score, format: e.target.checked ? 1 : 0 })} /> format
        </label>
        {edited && (
          <button type="button" className="small" onClick={() => onOverride(null)} title="back to the reward function’s verdict">
            what-if · undo
          </button>
        )}
        {c.masked && <span className="muted"> truncated: left out of the loss</span>}
      </div>
      <p className="tokens" data-testid="tokens">
        {c.tokens.map((t, j) => (
          <span
            key={j}
            className={`tok${t.clipped ? ' clipped' : ''}`}
            style={tokenStyle(t.grad, maxAbsGrad)}
            data-grad={t.grad.toPrecision(4)}
            title={`${JSON.stringify(t.text)} · ∂loss/∂log π ${t.grad.toExponential(2)} · weight ${t.weight.toExponential(2)} · ratio ${t.ratio.toFixed(3)}${t.clipped ? ` · clipped (${t.clipped})` : ''}${shift ? ` · Δlog π ${signed(shift.perToken[j] ?? 0, 3)}` : ''}`}
          >
            {t.text.replace(/\n/g, '⏎')}
          </span>
        ))}
      </p>
      <footer>
        <span title="log-probability of the whole completion under the current policy">log π = {c.logp.toFixed(2)}</span>
        {shift && (
          <span className={`shift ${shift.total > 0 ? 'pos' : shift.total < 0 ? 'neg' : ''}`} data-testid="logp-shift" title="how the last Step moved this completion’s log-probability">
            {shift.total > 0 ? '▲' : shift.total < 0 ? '▼' : '·'} {signed(shift.total, 3)} after the step
          </span>
        )}
      </footer>
    </article>
  );
}

/**
 * The latest group of completions per tier: the prompt, each completion with its reward,
 * correctness, format and advantage; a click opens the completion in the rollout inspector (its
 * tokens with their log-probs), and questions from the Questions view link to their trajectories.
 */
import { useState } from 'react';
import { DIFFICULTIES, type Difficulty } from '../../../synthesis/record';
import type { RolloutRecord } from '../../../training/rl/types';
import { TIER_COLOURS, TIER_LABELS } from './chart-data';
import { useTrain } from './session';

const fmt = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(2);

export function RolloutsPanel() {
  const groups = useTrain((s) => s.groups);
  const run = useTrain((s) => s.run);
  const [open, setOpen] = useState<RolloutRecord | null>(null);
  const tiers = DIFFICULTIES.filter((d) => groups[d]?.length);
  const fromStore = run?.dataset.kind.startsWith('questions/') ?? false;
  return (
    <section className="rollouts-panel" data-testid="rollouts-panel">
      <h3>Latest group per tier</h3>
      {!tiers.length && <p className="muted">Rollouts appear with the first GRPO step: G completions per prompt, each scored and compared with its group’s mean.</p>}
      <div className="rollout-groups">
        {tiers.map((d) => (
          <Group key={d} tier={d} rows={groups[d]!} onOpen={setOpen} fromStore={fromStore} />
        ))}
      </div>
      {open && <RolloutInspector r={open} onClose={() => setOpen(null)} fromStore={fromStore} />}
    </section>
  );
}

function Group({ tier, rows, onOpen, fromStore }: { tier: Difficulty; rows: RolloutRecord[]; onOpen: (r: RolloutRecord) => void; fromStore: boolean }) {
  const first = rows[0]!;
  const mean = rows.reduce((a, r) => a + r.reward, 0) / rows.length;
  return (
    <div className="rollout-group" data-testid={`rollout-group-${tier}`} style={{ borderTopColor: TIER_COLOURS[tier] }}>
      <div className="group-head">
        <span className={`tier-chip tier-${tier}`}>{TIER_LABELS[tier]}</span> step {first.step} · G = {rows.length} · group mean reward {mean.toFixed(2)}
        {fromStore && (
          <a className="inspector-link" href={`#/trajectories?question=${encodeURIComponent(first.question_id)}`}>
            trajectories of this question
          </a>
        )}
      </div>
      <pre className="group-prompt">{first.prompt.trim()}</pre>
      <ol className="completions">
        {rows.map((r) => (
          <li key={r.index} className={r.correctness > 0 ? 'correct' : 'wrong'}>
            <button type="button" className="completion-button" onClick={() => onOpen(r)} title="open in the rollout inspector">
              <span className="mark">{r.correctness > 0 ? '✓' : '✗'}</span>
              <span className="completion-text">{r.completion}</span>
              <span className="nums">
                r {r.reward.toFixed(2)} · <b className={r.advantage > 0 ? 'pos' : r.advantage < 0 ? 'neg' : ''}>A {fmt(r.advantage)}</b>
                {r.truncated ? ' · truncated' : ''}
              </span>
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}

function RolloutInspector({ r, onClose, fromStore }: { r: RolloutRecord; onClose: () => void; fromStore: boolean }) {
  const lps = r.tokens?.map((t) => t.logprob) ?? [];
  const sum = lps.reduce((a, b) => a + b, 0);
  return (
    <div className="inspector-backdrop" role="dialog" aria-modal="true" aria-label="Rollout inspector" onClick={onClose}>
      <div className="inspector panel" onClick={(e) => e.stopPropagation()} data-testid="rollout-inspector">
        <header>
          <h3>
            Rollout · step {r.step}, group {r.group}, completion {r.index + 1}
          </h3>
          <button type="button" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        <p>
          <span className={`tier-chip tier-${r.difficulty}`}>{r.difficulty}</span> question <code>{r.question_id}</code>
          {fromStore && (
            <>
              {' '}
              · <a href={`#/trajectories?question=${encodeURIComponent(r.question_id)}`}>open its trajectories</a>
            </>
          )}
        </p>
        <pre className="group-prompt">{r.prompt.trim()}</pre>
        <table className="nums-table">
          <tbody>
            <tr>
              <th>reward</th>
              <td>{r.reward.toFixed(3)}</td>
              <th>correctness</th>
              <td>{r.correctness}</td>
              <th>format</th>
              <td>{r.format}</td>
              <th>advantage</th>
              <td>{fmt(r.advantage)}</td>
              <th>truncated</th>
              <td>{r.truncated ? 'yes' : 'no'}</td>
            </tr>
          </tbody>
        </table>
        {r.tokens?.length ? (
          <>
            <p className="muted">
              Tokens with their log-probability under the policy that sampled them (darker = less likely). Σ log π = {sum.toFixed(2)}
            </p>
            <p className="token-line">
              {r.tokens.map((t, i) => (
                <span key={i} className="tok" style={{ background: `rgba(29,53,87,${Math.min(0.6, -t.logprob / 8)})`, color: -t.logprob > 4 ? 'white' : undefined }} title={`log π = ${t.logprob.toFixed(3)}`}>
                  {t.text}
                </span>
              ))}
            </p>
          </>
        ) : (
          <pre className="completion-full">{r.completion}</pre>
        )}
      </div>
    </div>
  );
}

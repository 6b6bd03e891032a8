import '../components/train/train.css';
import '../components/learn/learn.css';
/**
 * Learn GRPO, the classroom: one prompt, G completions from a live micro model side by side, their
 * rewards, the group mean and std on a number line, each advantage, tokens coloured by their share
 * of the gradient, and a Step button that applies exactly one update and shows how each
 * completion's log-probability moved. loss_type, scale_rewards, beta and epsilon recompute the same
 * step live on the same rollouts (grpo-step.ts, the GRPO CPU reference). A guided lesson, a
 * presenter layout and what the paper does for each control.
 */
import { useEffect, useMemo } from 'react';
import { DIFFICULTIES } from '../../synthesis/record';
import { classroomNumbers, logprobShift, type ClassroomCompletion } from '../learn/grpo-step';
import { CONTROL_HELP, INSIGHTS, LESSON } from '../learn/lesson';
import { CompletionCard } from '../components/learn/CompletionCard';
import { NumberLine } from '../components/learn/NumberLine';
import { Controls, OpenPanel, PaperPanel, ScalingTable, SourceLine } from '../components/learn/Panels';
import { useLearn } from '../components/learn/store';
import { formatHash } from '../routes';
import { useApp } from '../store';

export function LearnGrpoView() {
  const L = useLearn();
  const params = useApp((s) => s.route.params);
  const presenter = params.get('presenter') === '1';
  useEffect(() => {
    if (presenter !== L.presenter) L.set({ presenter });
  }, [presenter]); // eslint-disable-line react-hooks/exhaustive-deps

  const completions: ClassroomCompletion[] = useMemo(() => (L.group ? L.group.completions.map((c, i) => ({ ...c, ...(L.overrides[i] ?? {}) })) : []), [L.group, L.overrides]);
  const numbers = useMemo(() => (completions.length >= 2 ? classroomNumbers(completions, L.settings) : null), [completions, L.settings]);
  const shift = useMemo(() => (L.lastStep ? logprobShift(L.lastStep.before, L.lastStep.after) : null), [L.lastStep]);
  const lesson = L.lesson === null ? null : LESSON[L.lesson]!;
  const focus = lesson?.focus ?? null;
  const togglePresenter = () => (location.hash = formatHash('learn', presenter ? {} : { presenter: '1' }));

  const goLesson = (i: number | null) => {
    L.set({ lesson: i });
    if (i === null) return;
    const st = LESSON[i]!;
    if (st.set) L.setSettings(st.set);
  };

  return (
    <section className={`learn-view${presenter ? ' presenter' : ''}`} data-testid="learn-view">
      <header className="view-head">
        <h2>Learn GRPO</h2>
        {!presenter && (
          <p className="lead">
            One question, G answers from a live model, and exactly one update you can step through: rewards → group mean → advantages → which tokens get pushed → how the model moved. Change a setting and the same step is recomputed at once.
          </p>
        )}
        <div className="learn-toolbar">
          <button type="button" onClick={togglePresenter} aria-pressed={presenter}>
            {presenter ? 'Desktop layout' : 'Presenter layout'}
          </button>
          <button type="button" onClick={() => goLesson(L.lesson === null ? 0 : null)} aria-pressed={L.lesson !== null}>
            {L.lesson === null ? 'Start the 5-minute lesson' : 'End the lesson'}
          </button>
        </div>
      </header>
      {lesson && (
        <div className="lesson-bar" data-testid="lesson-bar" role="region" aria-label="Lesson">
          <div>
            <h3>{lesson.title}</h3>
            <p>{lesson.body}</p>
          </div>
          <div className="lesson-nav">
            <button type="button" disabled={L.lesson === 0} onClick={() => goLesson(L.lesson! - 1)}>
              ← Back
            </button>
            <span>
              {L.lesson! + 1} / {LESSON.length}
            </span>
            {lesson.action === 'sample' && (
              <button type="button" onClick={() => void L.sample()} disabled={L.phase !== 'ready'}>
                Sample again
              </button>
            )}
            {lesson.action === 'equalise' && (
              <button type="button" onClick={L.equalise} disabled={!L.group}>
                Make all rewards equal
              </button>
            )}
            <button type="button" className="primary" disabled={L.lesson === LESSON.length - 1} onClick={() => goLesson(L.lesson! + 1)}>
              Next →
            </button>
          </div>
        </div>
      )}
      {L.phase === 'closed' || L.phase === 'opening' ? <OpenPanel /> : <SourceLine />}
      {L.error && (
        <div className="panel error" role="alert">
          <p>{L.error}</p>
          <button type="button" onClick={L.clearError}>
            Dismiss
          </button>
        </div>
      )}
      {L.info && L.group && numbers && (
        <div className="learn-grid">
          <div className="learn-main">
            <section className={`panel prompt-panel${focus === 'completions' ? ' focus' : ''}`}>
              <div className="prompt-controls">
                <label>
                  prompt{' '}
                  <select aria-label="Prompt" value={L.promptId ?? ''} onChange={(e) => L.set({ promptId: e.target.value })}>
                    {DIFFICULTIES.map((d) => (
                      <optgroup key={d} label={d}>
                        {L.info!.prompts
                          .filter((p) => p.difficulty === d)
                          .map((p) => (
                            <option key={p.id} value={p.id}>
                              {p.text.split('\n')[0]!.slice(0, 70)}
                            </option>
                          ))}
                      </optgroup>
                    ))}
                  </select>
                </label>
                <label title={CONTROL_HELP.num_generations}>
                  G{' '}
                  <input type="number" aria-label="G" min={2} max={16} value={L.G} onChange={(e) => L.set({ G: Math.max(2, Math.min(16, Number(e.target.value))) })} />
                </label>
                <label title="sampling temperature: higher = more varied answers">
                  temperature <input type="number" aria-label="Temperature" min={0.1} max={2} step={0.1} value={L.temperature} onChange={(e) => L.set({ temperature: Number(e.target.value) })} />
                </label>
                <button type="button" className="primary" onClick={() => void L.sample()} disabled={L.phase !== 'ready'}>
                  {L.phase === 'sampling' ? 'Sampling…' : `Sample ${L.G} completions`}
                </button>
                <button type="button" onClick={() => void L.findInformative()} disabled={L.phase !== 'ready'} title="sample prompts until a group’s rewards differ (a group where all agree teaches nothing)">
                  Find a mixed group
                </button>
              </div>
              <pre className="learn-prompt" data-testid="learn-prompt">{L.group.prompt.trim()}</pre>
              <p className="gold">
                gold answer: <b>{L.group.gold}</b>
              </p>
            </section>

            <section className={`panel${focus === 'numberline' ? ' focus' : ''}`}>
              <h3>Rewards, mean and spread</h3>
              <NumberLine n={numbers} maxReward={L.settings.reward_weights[0] + L.settings.reward_weights[1]} />
              <p className="formula" data-testid="advantage-formula">
                A<sub>i</sub> = (r<sub>i</sub> − {numbers.mean.toFixed(3)}){L.settings.scale_rewards === 'none' ? '' : ` / ${numbers.divisor.toFixed(4)}`}
                <span className="muted"> {L.settings.scale_rewards === 'none' ? '(no division: the paper’s eq. 2)' : L.settings.scale_rewards === 'group' ? '(std of the group + 1e-4)' : '(std of the batch + 1e-4; one group here)'}</span>
              </p>
              {numbers.allEqual && <p className="insight warn" data-testid="insight-equal">{INSIGHTS.allEqual}</p>}
            </section>

            <section className={`completions-grid${focus === 'tokens' || focus === 'shift' ? ' focus' : ''}`} data-testid="completions">
              {numbers.completions.map((c, i) => (
                <CompletionCard
                  key={i}
                  index={i}
                  c={c}
                  maxAbsGrad={numbers.maxAbsGrad}
                  score={{ correctness: completions[i]!.correctness, format: completions[i]!.format }}
                  edited={L.overrides[i] !== null && L.overrides[i] !== undefined}
                  shift={shift ? { total: shift.total[i]!, perToken: shift.perToken[i]! } : null}
                  onOverride={(sc) => L.override(i, sc)}
                />
              ))}
            </section>
            <p className="token-legend">
              <span className="tok" style={{ background: 'rgba(31,122,63,0.75)', color: 'white' }}>
                token
              </span>{' '}
              the step makes it more likely ·{' '}
              <span className="tok" style={{ background: 'rgba(180,35,24,0.75)', color: 'white' }}>
                token
              </span>{' '}
              less likely · stronger colour = larger |∂loss/∂log π| ·{' '}
              <span className="tok clipped">token</span> clipped (no gradient)
            </p>

            <section className={`panel loss-panel${focus === 'loss' || focus === 'shift' ? ' focus' : ''}`} data-testid="loss-panel">
              <div className="loss-numbers">
                <div>
                  <span className="label">loss ({L.settings.loss_type})</span>
                  <b data-testid="loss-value">{numbers.loss.toExponential(3)}</b>
                </div>
                <div>
                  <span className="label">largest |∂loss/∂log π|</span>
                  <b data-testid="max-grad">{numbers.maxAbsGrad.toExponential(3)}</b>
                </div>
                <div>
                  <span className="label">KL to reference</span>
                  <b>{numbers.kl.toExponential(2)}</b>
                </div>
                <div>
                  <span className="label">clipped tokens</span>
                  <b data-testid="clip-ratio">{(numbers.clipRatio * 100).toFixed(1)}%</b>
                </div>
                <div>
                  <span className="label">updates on these rollouts</span>
                  <b data-testid="step-count">{L.lastStep?.result.iteration ?? 0}</b>
                </div>
              </div>
              {L.settings.loss_type === 'paper' ? <p className="insight">{INSIGHTS.paperLoss}</p> : numbers.onPolicy ? <p className="insight">{INSIGHTS.lossNearZero}</p> : <p className="insight">{INSIGHTS.clip}</p>}
              <div className="step-controls">
                <label title="AdamW learning rate of this one update">
                  learning rate <input type="number" aria-label="Learning rate" min={0} step={0.0001} value={L.learningRate} onChange={(e) => L.set({ learningRate: Number(e.target.value) })} />
                </label>
                <button type="button" className="primary big" disabled={L.phase !== 'ready' || numbers.maxAbsGrad === 0} onClick={() => void L.step(numbers.advantages, numbers.loss)} data-testid="step-button">
                  {L.phase === 'stepping' ? 'Stepping…' : 'Step: apply one update'}
                </button>
                <button type="button" onClick={() => void L.reset()} disabled={L.phase !== 'ready'} title="back to the model the classroom opened with, and a fresh group">
                  Reset model
                </button>
                {numbers.maxAbsGrad === 0 && <span className="muted">nothing to learn from this group: every advantage is 0</span>}
              </div>
              {L.lastStep && (
                <p className="step-result" data-testid="step-result">
                  Step {L.steps}: the trainer’s loss {L.lastStep.result.loss.toExponential(3)} (shown before the step: {L.lastStep.shownLoss.toExponential(3)}), gradient norm {L.lastStep.result.grad_norm.toExponential(2)}
                  {L.lastStep.result.applied ? '' : ' — skipped: NaN/Inf'}. Each card shows how its log-probability moved.
                </p>
              )}
            </section>
          </div>

          <aside className="learn-side">
            <Controls />
            <ScalingTable />
            <PaperPanel highlight={focus === 'paper'} />
          </aside>
        </div>
      )}
    </section>
  );
}

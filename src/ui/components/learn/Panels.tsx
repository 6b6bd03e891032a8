/**
 * The Learn GRPO side panels: choosing the model the class steps (a warm-up here, or a run's
 * checkpoint), the line naming it, the controls that recompute the same step (each with its
 * plain explanation), why dividing by the std matters, and what the Fleming-R1 paper does.
 */
import { useEffect, useMemo, useState } from 'react';
import { listCheckpoints, listRuns, type CheckpointMeta, type RunRecord } from '../../../storage/run-store';
import { scalingComparison } from '../../learn/grpo-step';
import { CONTROL_HELP, INSIGHTS, LESSON, LOSS_TYPE_CHOICES, PAPER_CHOICES, SCALE_CHOICES } from '../../learn/lesson';
import { database } from '../train/session';
import { useLearn } from './store';

export function OpenPanel() {
  const L = useLearn();
  const [runs, setRuns] = useState<RunRecord[]>([]);
  const [runId, setRunId] = useState('');
  const [cks, setCks] = useState<CheckpointMeta[]>([]);
  const [step, setStep] = useState<number | null>(null);
  const [warm, setWarm] = useState(80);
  useEffect(() => {
    void (async () => {
      const rs = (await listRuns(await database())).filter((r) => r.lastCheckpointStep !== null);
      setRuns(rs);
      if (rs[0]) setRunId(rs[0].id);
    })();
  }, []);
  useEffect(() => {
    if (!runId) return;
    void (async () => {
      const c = await listCheckpoints(await database(), runId);
      setCks(c);
      setStep((c.find((x) => x.label === 'sft') ?? c.at(-1))?.step ?? null);
    })();
  }, [runId]);
  const busy = L.phase === 'opening';
  return (
    <section className="panel open-panel" data-testid="open-panel">
      <h3>Choose the model the class will step</h3>
      <div className="open-options">
        <div>
          <h4>Warm up a fresh micro model here</h4>
          <p className="help">The micro preset (about 0.1M parameters with this task’s vocabulary), a few dozen SFT steps on the tiny built-in KG task — about a minute, on the GPU or on the CPU reference model. It writes the answer format but rarely the right answer: groups with something to learn from.</p>
          <label>
            SFT steps <input type="number" aria-label="Warm-up steps" min={0} max={400} value={warm} onChange={(e) => setWarm(Number(e.target.value))} />
          </label>{' '}
          <button type="button" className="primary" disabled={busy} onClick={() => void L.open({ kind: 'warmup', sft_steps: warm, seed: 1 })}>
            Warm up and open
          </button>
        </div>
        <div>
          <h4>A checkpoint of a run</h4>
          {runs.length ? (
            <>
              <label>
                run{' '}
                <select aria-label="Run" value={runId} onChange={(e) => setRunId(e.target.value)}>
                  {runs.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </label>{' '}
              <label>
                checkpoint{' '}
                <select aria-label="Checkpoint" value={step ?? ''} onChange={(e) => setStep(Number(e.target.value))}>
                  {cks.map((c) => (
                    <option key={c.step} value={c.step}>
                      step {c.step} · {c.label}
                    </option>
                  ))}
                </select>
              </label>{' '}
              <button type="button" disabled={busy || step === null} onClick={() => void L.open({ kind: 'run', runId, step: step! })}>
                Open
              </button>
            </>
          ) : (
            <p className="muted">No stored runs yet: train one in the Train view (after SFT is a good moment).</p>
          )}
        </div>
      </div>
      <label>
        device{' '}
        <select aria-label="Classroom device" value={L.backend} onChange={(e) => L.set({ backend: e.target.value as typeof L.backend })}>
          <option value="auto">GPU when available (else CPU)</option>
          <option value="cpu">CPU reference model (works without a GPU)</option>
        </select>
      </label>
      {busy && (
        <p className="muted" data-testid="open-progress">
          {L.progress?.message ?? 'opening…'}
          {L.progress?.total ? ` (${L.progress.done}/${L.progress.total})` : ''}
        </p>
      )}
    </section>
  );
}

export function SourceLine() {
  const L = useLearn();
  return (
    <p className="source-line muted">
      Model: {L.info?.device} · {((L.info?.parameters ?? 0) / 1e6).toFixed(2)}M parameters · {L.steps} update{L.steps === 1 ? '' : 's'} so far{' '}
      <button type="button" className="small" onClick={() => useLearn.setState({ phase: 'closed', info: null, group: null })}>
        choose another model
      </button>
    </p>
  );
}

export function Controls() {
  const { settings, setSettings, lesson } = useLearn();
  const focus = lesson === null ? null : LESSON[lesson]!.focus;
  return (
    <section className={`panel controls-panel${focus === 'controls' ? ' focus' : ''}`} data-testid="learn-controls">
      <h3>The same step, other choices</h3>
      <div className="control">
        <span className="control-name">loss_type</span>
        <div className="seg" role="radiogroup" aria-label="loss_type">
          {LOSS_TYPE_CHOICES.map((t) => (
            <button key={t} type="button" role="radio" aria-checked={settings.loss_type === t} className={settings.loss_type === t ? 'on' : ''} onClick={() => setSettings({ loss_type: t })}>
              {t}
            </button>
          ))}
        </div>
        <p className="help">{CONTROL_HELP.loss_type}</p>
      </div>
      <div className="control">
        <span className="control-name">scale_rewards</span>
        <div className="seg" role="radiogroup" aria-label="scale_rewards">
          {SCALE_CHOICES.map((t) => (
            <button key={t} type="button" role="radio" aria-checked={settings.scale_rewards === t} className={settings.scale_rewards === t ? 'on' : ''} onClick={() => setSettings({ scale_rewards: t })}>
              {t}
            </button>
          ))}
        </div>
        <p className="help">{CONTROL_HELP.scale_rewards}</p>
      </div>
      <div className="control">
        <label className="control-name" htmlFor="beta">
          beta <b>{settings.beta.toFixed(2)}</b>
        </label>
        <input id="beta" type="range" aria-label="beta" min={0} max={0.5} step={0.01} value={settings.beta} onChange={(e) => setSettings({ beta: Number(e.target.value) })} />
        <p className="help">{CONTROL_HELP.beta}</p>
      </div>
      <div className="control">
        <label className="control-name" htmlFor="epsilon">
          epsilon <b>{settings.epsilon.toFixed(2)}</b>
        </label>
        <input id="epsilon" type="range" aria-label="epsilon" min={0.01} max={0.6} step={0.01} value={settings.epsilon} onChange={(e) => setSettings({ epsilon: Number(e.target.value) })} />
        <p className="help">{CONTROL_HELP.epsilon}</p>
      </div>
      <div className="control">
        <span className="control-name">reward weights</span>
        <label>
          correctness <input type="number" aria-label="correctness weight" step={0.1} value={settings.reward_weights[0]} onChange={(e) => setSettings({ reward_weights: [Number(e.target.value), settings.reward_weights[1]] })} />
        </label>{' '}
        <label>
          format <input type="number" aria-label="format weight" step={0.1} value={settings.reward_weights[1]} onChange={(e) => setSettings({ reward_weights: [settings.reward_weights[0], Number(e.target.value)] })} />
        </label>
        <p className="help">{CONTROL_HELP.reward}</p>
      </div>
    </section>
  );
}

export function ScalingTable() {
  const rows = useMemo(() => scalingComparison({ 'almost solved (7 of 8 right)': [1, 1, 1, 1, 1, 1, 1, 0], 'half solved (4 of 8)': [1, 1, 1, 1, 0, 0, 0, 0], 'rarely solved (1 of 8)': [1, 0, 0, 0, 0, 0, 0, 0] }), []);
  return (
    <section className="panel scaling-panel">
      <h3>Why divide by the std?</h3>
      <table>
        <thead>
          <tr>
            <th>prompt</th>
            <th>A of a right answer</th>
            <th>A of a wrong answer</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const right = r.rewards.indexOf(1);
            const wrong = r.rewards.indexOf(0);
            return (
              <tr key={r.name}>
                <td>{r.name}</td>
                <td>
                  {r.none[right]!.toFixed(2)} → <b>{r.group[right]!.toFixed(2)}</b>
                </td>
                <td>
                  {r.none[wrong]!.toFixed(2)} → <b>{r.group[wrong]!.toFixed(2)}</b>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="help">none → group. {INSIGHTS.stdScaling}</p>
    </section>
  );
}

export function PaperPanel({ highlight }: { highlight: boolean }) {
  return (
    <section className={`panel paper-panel${highlight ? ' focus' : ''}`} data-testid="paper-panel">
      <h3>What the paper does</h3>
      <dl>
        {PAPER_CHOICES.map((p) => (
          <div key={p.control} className="paper-choice">
            <dt>{p.control}</dt>
            <dd>
              <p>
                <b>Fleming-R1:</b> {p.paper}
              </p>
              {p.quote && (
                <blockquote>
                  “{p.quote.text}” <cite>— {p.quote.where}</cite>
                </blockquote>
              )}
              <p className="muted">Here: {p.ours}</p>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

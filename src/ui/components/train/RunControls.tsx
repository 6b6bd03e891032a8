/**
 * The live run's bar: status, phase and stage, progress, ETA on this device, throughput, the
 * device, and Pause / Resume / Stop; for a stored run that is not training, resume from its last
 * checkpoint. Errors stay on screen with what to do next.
 */
import { useMemo } from 'react';
import { estimateEta, formatDuration } from './eta';
import { isActive, useTrain } from './session';
import { useSetup } from './setup-store';

const STATUS_TEXT: Record<string, string> = {
  preparing: 'preparing',
  idle: 'starting',
  running: 'training',
  paused: 'paused',
  mining: 'mining hard samples',
  recovering: 'recovering from a lost GPU device',
  completed: 'completed',
  stopped: 'stopped',
  failed: 'failed',
  interrupted: 'interrupted',
};

export function RunControls() {
  const { run, runId, liveRunId, status, progress, prepare, error, rowCount, rows, lastMiningS, pause, resume, stop, resumeRun, clearError } = useTrain();
  const backend = useSetup((s) => s.backend);
  const live = runId !== null && runId === liveRunId && isActive(status);
  const shownStatus = live ? status : run?.status ?? null;
  const eta = useMemo(() => {
    if (!run || !live) return null;
    const st = run.settings;
    return estimateEta({ rows, sftSteps: st.sft.max_steps, grpoSteps: st.grpo.max_steps, remineEvery: st.curriculum.remine_every, stage1MaxSteps: st.curriculum.stage1_max_steps, lastMiningS });
    // rowCount changes when rows grow (the array is mutated in place)
  }, [run, live, rows, rowCount, lastMiningS]); // eslint-disable-line react-hooks/exhaustive-deps
  // NaN/Inf steps the model refused (weights unchanged), from the stored rows: they survive a reload
  const skipped = useMemo(() => rows.filter((r) => r.skipped).map((r) => r.step), [rows, rowCount]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!runId && !live) return error ? <ErrorBox message={error} onClose={clearError} /> : null;
  const last = rows[rows.length - 1];
  const step = progress?.step ?? run?.step ?? 0;
  const total = progress?.total_steps ?? run?.plannedSteps ?? 0;
  const phase = progress?.phase ?? run?.phase;
  const stage = progress?.stage ?? run?.stage ?? 0;
  // this tab's worker trains one run at a time
  const workerBusy = liveRunId !== null && isActive(status);
  const resumable = !workerBusy && run && ['paused', 'stopped', 'interrupted', 'failed'].includes(run.status) && run.lastCheckpointStep !== null;
  return (
    <div className="run-controls panel" data-testid="run-controls">
      <div className="run-line">
        <span className={`status-badge status-${shownStatus ?? 'none'}`} data-testid="run-status">
          {STATUS_TEXT[shownStatus ?? ''] ?? shownStatus ?? '–'}
        </span>
        <span className="run-name">{run?.name ?? 'new run'}</span>
        {phase && phase !== 'done' && (
          <span className="phase-text" data-testid="run-phase">
            {phase === 'sft' ? 'SFT cold start' : `GRPO stage ${stage}`}
          </span>
        )}
        <span className="step-text" data-testid="run-step">
          step {step} / {total}
        </span>
        <progress max={Math.max(1, total)} value={step} aria-label="Run progress" />
        {live && (
          <span className="eta" title={eta?.note || 'remaining steps at this run’s own measured pace on this device'} data-testid="run-eta">
            ETA {formatDuration(eta?.seconds ?? null)}
            {eta?.note ? ` (${eta.note})` : ''}
          </span>
        )}
      </div>
      <div className="run-line">
        <span className="muted">
          {run?.device ?? ''}
          {last ? ` · ${Math.round(last.tokens_per_s).toLocaleString()} tokens/s · ${last.step_time.toFixed(2)} s/step` : ''}
          {run ? ` · trained ${formatDuration(run.activeMs / 1000)}` : ''}
        </span>
        <span className="buttons">
          {live && status !== 'paused' && (
            <button type="button" onClick={pause} disabled={status === 'preparing'}>
              Pause
            </button>
          )}
          {live && status === 'paused' && (
            <button type="button" className="primary" onClick={resume}>
              Resume
            </button>
          )}
          {live && (
            <button type="button" onClick={stop} disabled={status === 'preparing'} title="finish the current step, save a checkpoint, stop">
              Stop
            </button>
          )}
          {resumable && (
            <button type="button" className="primary" onClick={() => void resumeRun(run!.id, backend)} data-testid="resume-from-checkpoint">
              Resume from checkpoint (step {run!.lastCheckpointStep})
            </button>
          )}
        </span>
      </div>
      {live && prepare && <p className="muted prepare-text">{prepare.message}{prepare.total ? ` (${Math.round(((prepare.done ?? 0) / prepare.total) * 100)}%)` : ''}</p>}
      {progress?.mining && (
        <p className="muted">
          scoring the training set for hard-sample mining: {progress.mining.done} / {progress.mining.total}
        </p>
      )}
      {progress?.message && progress.status !== 'failed' && <p className="muted">{progress.message}</p>}
      {run?.recoveries?.length ? (
        <p className="warn-text" data-testid="recovery-note">
          The GPU device was lost {run.recoveries.length === 1 ? 'once' : `${run.recoveries.length} times`} during this run; each time a new device was acquired, the run went back to its last checkpoint and
          recomputed the steps after it (same data, same seeds):{' '}
          {run.recoveries.map((r) => `lost at step ${r.lostAtStep}, resumed from step ${r.resumedFrom}`).join('; ')}.
        </p>
      ) : null}
      {skipped.length > 0 && (
        <p className="warn-text" data-testid="skipped-note">
          {skipped.length === 1 ? '1 step was' : `${skipped.length} steps were`} skipped (step {skipped.slice(0, 8).join(', ')}
          {skipped.length > 8 ? ', …' : ''}): the loss or the gradient was NaN or infinite, so the update was not applied and the weights stayed as they were. A few in a row stop the run
          {run ? ` (after ${maxSkips(run)} in a row)` : ''}.
        </p>
      )}
      {run?.status === 'interrupted' && !live && (
        <p className="warn-text" data-testid="interrupted-note">
          This run was interrupted (the page was reloaded or closed while it trained). Its metrics up to the last stored step are below; resume continues from its last checkpoint (step {run.lastCheckpointStep ?? '–'}).
        </p>
      )}
      {run?.status === 'completed' && run.heldout && (
        <p data-testid="final-heldout">
          Final held-out accuracy <b>{(run.heldout.accuracy * 100).toFixed(1)}%</b> on {run.heldout.n} items (format {(run.heldout.formatRate * 100).toFixed(0)}%)
          {run.heldout.imported ? ` · imported benchmark items ${(run.heldout.imported.accuracy * 100).toFixed(1)}% (n = ${run.heldout.imported.n})` : ''}
        </p>
      )}
      {(error || (!live && run?.error)) && <ErrorBox message={error ?? run!.error!} onClose={clearError} />}
    </div>
  );
}

/** the run's max_consecutive_skips (stored with its settings) */
function maxSkips(run: { settings: unknown }): number {
  const v = (run.settings as { max_consecutive_skips?: number }).max_consecutive_skips;
  return typeof v === 'number' ? v : 5;
}

function ErrorBox({ message, onClose }: { message: string; onClose: () => void }) {
  return (
    <div className="panel error" role="alert" data-testid="run-error">
      <p>{message}</p>
      <button type="button" onClick={onClose}>
        Dismiss
      </button>
    </div>
  );
}

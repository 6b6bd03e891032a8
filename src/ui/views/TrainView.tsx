import '../components/train/train.css';
/**
 * Train view: set up and watch a run (SFT cold start → two-stage GRPO on this device's GPU, in the
 * training worker) with live per-tier curves, stage marks, rollouts and an ETA; and every stored
 * run, their comparison, the Table-4 ablation and exports. A run keeps training while other views
 * are open; a reload shows the same curves from IndexedDB.
 */
import { useEffect } from 'react';
import { ChartGrid } from '../components/train/ChartGrid';
import { RolloutsPanel } from '../components/train/RolloutsPanel';
import { RunControls } from '../components/train/RunControls';
import { RunSetup } from '../components/train/RunSetup';
import { RunsPanel } from '../components/train/RunsPanel';
import { isActive, useTrain } from '../components/train/session';
import { formatHash } from '../routes';
import { useApp } from '../store';

export function TrainView() {
  const params = useApp((s) => s.route.params);
  const tab = params.get('tab') === 'runs' ? 'runs' : 'run';
  const runParam = params.get('run');
  const { runId, liveRunId, status, runs, runsLoaded, refreshRuns, openRun, start } = useTrain();
  const live = liveRunId !== null && isActive(status);

  // on entry, and when stored data changed behind this view's back (a delete in the Storage view)
  const dataVersion = useApp((s) => s.dataVersion);
  useEffect(() => {
    void refreshRuns();
  }, [refreshRuns, dataVersion]);

  // the run in the URL, else the live one, else the newest stored one
  useEffect(() => {
    if (!runsLoaded) return;
    const want = runParam ?? (live ? liveRunId : null) ?? runs[0]?.id ?? null;
    if (want && want !== runId && runs.some((r) => r.id === want)) void openRun(want);
  }, [runParam, runsLoaded]); // eslint-disable-line react-hooks/exhaustive-deps

  const go = (p: Record<string, string>) => (location.hash = formatHash('train', p));
  const fileStem = (useTrain.getState().run?.name ?? 'run').replace(/[^\w.-]+/g, '-').slice(0, 50);
  return (
    <section className="train-view" data-testid="train-view">
      <header className="view-head">
        <h2>Train</h2>
        <p className="lead">
          A small Llama-style model trained on this device: SFT cold start on chain-of-thought trajectories, then two-stage GRPO — stage 1 on Easy + Moderate items until the reward plateaus, stage 2 on mined repeated failures with more rollouts — as in the Fleming-R1 paper.
        </p>
      </header>
      <nav className="tabs" aria-label="Train sections">
        <a href={formatHash('train')} className={tab === 'run' ? 'active' : ''} aria-current={tab === 'run' ? 'page' : undefined}>
          Run
        </a>
        <a href={formatHash('train', { tab: 'runs' })} className={tab === 'runs' ? 'active' : ''} aria-current={tab === 'runs' ? 'page' : undefined}>
          Runs &amp; comparison {runs.length ? `(${runs.length})` : ''}
        </a>
      </nav>
      {tab === 'run' ? (
        <>
          <details className="setup-details panel" open={!runId && !live}>
            <summary>{live ? 'Settings of the run in progress (locked while it trains)' : 'New run: data, model and settings'}</summary>
            <RunSetup disabled={live} onStart={(req) => void start(req)} />
          </details>
          <RunControls />
          {runId && (
            <>
              <ChartGrid key={runId} fileStem={fileStem} />
              <RolloutsPanel />
            </>
          )}
        </>
      ) : (
        <RunsPanel
          onOpen={(id) => {
            void openRun(id);
            go({ run: id });
          }}
        />
      )}
    </section>
  );
}

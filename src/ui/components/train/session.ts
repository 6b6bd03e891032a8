/**
 * The Train view's state (zustand) and its handle on the training worker. The worker lives for the
 * page, not the view: a run keeps training while the user looks at other views. Metric rows go
 * to the charts through a listener (not through React state), so 10 updates a second with 10,000
 * points per series never re-render the page; the store holds the rest (status, progress, the
 * latest rollouts, events, the run record, the runs list).
 */
import * as Comlink from 'comlink';
import { create } from 'zustand';
import { openWorkbenchDb, type WorkbenchDatabase } from '../../../storage/open-db';
import { deleteRun as deleteStoredRun, getRun, latestGroupsPerTier, listRuns, markInterrupted, readEvents, readMetrics, type RunRecord } from '../../../storage/run-store';
import type { Difficulty } from '../../../synthesis/record';
import type { RunProgress } from '../../../training/run/run';
import type { CurriculumEvent, MetricsRow, RolloutRecord } from '../../../training/rl/types';
import type { Backend, PrepareProgress, StartRequest, StreamMessage, TrainingWorkerApi } from '../../../../workers/training-api';
import { crashAware, watchWorker } from '../../clients/worker-watch';

let db: Promise<WorkbenchDatabase> | null = null;
export const database = () => (db ??= openWorkbenchDb());

let client: { w: Worker; api: Comlink.Remote<TrainingWorkerApi> } | null = null;
const crashListeners = new Set<(message: string) => void>();

/** fault-injection hooks in the worker, for the e2e fault tests and the soak benchmark only (workers/training/test-hooks.ts) */
const testHooksWanted = () => typeof location !== 'undefined' && new URLSearchParams(location.search).has('testhooks');

/**
 * This page's training worker, started on first use. If it dies (worker-watch.ts), calls in flight
 * reject, the session is told (its run becomes interrupted: resumable from its last checkpoint),
 * and the next call starts a new worker.
 */
export function trainingWorker(): Comlink.Remote<TrainingWorkerApi> {
  if (!client) {
    const w = new Worker(new URL('../../../../workers/training.worker.ts', import.meta.url), { type: 'module', name: 'training' });
    const died = watchWorker(w, 'The training worker');
    const mine = { w, api: crashAware(Comlink.wrap<TrainingWorkerApi>(w), died) };
    client = mine;
    void died.then((message) => {
      if (client !== mine) return;
      client = null;
      w.terminate();
      for (const l of crashListeners) l(message);
    });
    if (testHooksWanted()) void mine.api.enableTestHooks();
  }
  return client.api;
}

/** the lock a training worker holds while a run is live (so another tab or a reload can tell) */
export const runLockName = (runId: string) => `fleming-run:${runId}`;

async function liveRunIds(): Promise<Set<string>> {
  if (!('locks' in navigator)) return new Set();
  const q = await navigator.locks.query();
  return new Set((q.held ?? []).map((l) => l.name ?? '').filter((n) => n.startsWith('fleming-run:')).map((n) => n.slice('fleming-run:'.length)));
}

type RowListener = (rows: readonly MetricsRow[], reset: boolean) => void;
const rowListeners = new Set<RowListener>();
export function subscribeRows(fn: RowListener): () => void {
  rowListeners.add(fn);
  return () => rowListeners.delete(fn);
}

export type LiveStatus = RunProgress['status'] | 'preparing';

interface TrainState {
  /** the run on screen in the Run tab (live or loaded from IndexedDB) */
  runId: string | null;
  run: RunRecord | null;
  /** every metric row of the run on screen, in step order (mutated in place; `rowCount` changes) */
  rows: MetricsRow[];
  rowCount: number;
  events: CurriculumEvent[];
  groups: Partial<Record<Difficulty, RolloutRecord[]>>;
  /** the run this page's worker is training, if any */
  liveRunId: string | null;
  status: LiveStatus | null;
  progress: RunProgress | null;
  prepare: PrepareProgress | null;
  error: string | null;
  /** seconds the last hard-sample mining pass took (the ETA reads it) */
  lastMiningS: number | null;
  runs: RunRecord[];
  runsLoaded: boolean;
  refreshRuns(): Promise<void>;
  openRun(runId: string): Promise<void>;
  start(req: StartRequest): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
  resumeRun(runId: string, backend: Backend): Promise<void>;
  deleteRun(runId: string): Promise<void>;
  clearError(): void;
}

let miningSince: number | null = null;

export const useTrain = create<TrainState>((set, get) => {
  const onStream = (m: StreamMessage) => {
    const s = get();
    if (m.runId !== s.liveRunId) return;
    const patch: Partial<TrainState> = {};
    if (m.progress) {
      patch.progress = m.progress;
      patch.status = m.progress.status;
      if (m.progress.status === 'mining' && miningSince === null) miningSince = performance.now();
      if (m.progress.status !== 'mining' && miningSince !== null) {
        patch.lastMiningS = (performance.now() - miningSince) / 1000;
        miningSince = null;
      }
      if (m.progress.rolled_back_to !== undefined) {
        // a lost device sent the run back to its last checkpoint: later steps will be streamed again
        const back = m.progress.rolled_back_to;
        const keep = s.rows.findIndex((r) => r.step > back);
        if (keep >= 0 && s.runId === m.runId) {
          s.rows.length = keep;
          patch.rowCount = keep;
          for (const l of rowListeners) l(s.rows, true);
        }
        // stage marks after the checkpoint come again when those steps are recomputed
        if (s.runId === m.runId && s.events.some((e) => e.step > back)) patch.events = s.events.filter((e) => e.step <= back);
      }
    }
    if (m.prepare) {
      patch.prepare = m.prepare;
      if (!s.progress) patch.status = 'preparing';
    } else if (m.progress) patch.prepare = null; // training began: the preparation message is over
    if (m.run) {
      patch.run = s.runId === m.runId ? m.run : s.run;
      patch.runs = [m.run, ...s.runs.filter((r) => r.id !== m.run!.id)].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    }
    if (m.error) patch.error = m.error;
    if (s.runId === m.runId) {
      if (m.metrics.length) {
        // a replayed step (resume) replaces the rows from there
        const first = m.metrics[0]!.step;
        let reset = false;
        if (s.rows.length && s.rows[s.rows.length - 1]!.step >= first) {
          const at = s.rows.findIndex((r) => r.step >= first);
          s.rows.length = at;
          reset = true;
        }
        for (const r of m.metrics) s.rows.push(r);
        patch.rowCount = s.rows.length;
        for (const l of rowListeners) l(reset ? s.rows : m.metrics, reset);
      }
      if (m.events.length) patch.events = [...(patch.events ?? s.events), ...m.events];
      if (Object.keys(m.groups).length) patch.groups = { ...s.groups, ...m.groups };
    }
    set(patch);
  };

  const loadRunData = async (runId: string) => {
    const d = await database();
    const [run, rows, events, groups] = await Promise.all([getRun(d, runId), readMetrics(d, runId), readEvents(d, runId), latestGroupsPerTier(d, runId)]);
    if (!run) throw new Error(`run ${runId} is not in this browser's storage`);
    return { run, rows: rows as MetricsRow[], events, groups };
  };

  const showRun = (runId: string, data: Awaited<ReturnType<typeof loadRunData>>) => {
    set({ runId, run: data.run, rows: data.rows, rowCount: data.rows.length, events: data.events, groups: data.groups });
    for (const l of rowListeners) l(data.rows, true);
  };

  return {
    runId: null,
    run: null,
    rows: [],
    rowCount: 0,
    events: [],
    groups: {},
    liveRunId: null,
    status: null,
    progress: null,
    prepare: null,
    error: null,
    lastMiningS: null,
    runs: [],
    runsLoaded: false,

    async refreshRuns() {
      try {
        const d = await database();
        const live = await liveRunIds();
        const mine = get().liveRunId;
        if (mine) live.add(mine);
        await markInterrupted(d, live);
        const runs = await listRuns(d);
        const s = get();
        // the run on screen was deleted elsewhere (the Storage view): nothing to show any more
        if (s.runId && s.runId !== s.liveRunId && !runs.some((r) => r.id === s.runId)) {
          set({ runId: null, run: null, rows: [], rowCount: 0, events: [], groups: {} });
          for (const l of rowListeners) l([], true);
        } else if (s.runId) {
          const fresh = runs.find((r) => r.id === s.runId);
          if (fresh && s.runId !== s.liveRunId) set({ run: fresh });
        }
        set({ runs, runsLoaded: true });
      } catch (e) {
        set({ error: `Could not read the stored runs: ${(e as Error).message}`, runsLoaded: true });
      }
    },

    async openRun(runId) {
      try {
        showRun(runId, await loadRunData(runId));
      } catch (e) {
        set({ error: (e as Error).message });
      }
    },

    async start(req) {
      if (get().liveRunId && !['completed', 'stopped', 'failed'].includes(get().status ?? '')) throw new Error('a run is already training in this tab: stop it first');
      set({ error: null, status: 'preparing', progress: null, prepare: { stage: 'data', message: 'preparing the data…' }, events: [], groups: {}, rows: [], rowCount: 0, lastMiningS: null });
      for (const l of rowListeners) l([], true);
      // the worker's first message (before start() resolves) names the new run
      const cb = Comlink.proxy((m: StreamMessage) => {
        if (get().liveRunId !== m.runId) set({ liveRunId: m.runId, runId: m.runId, run: null });
        onStream(m);
      });
      try {
        const id = await trainingWorker().start(req, cb);
        if (get().liveRunId !== id) set({ liveRunId: id, runId: id });
        const d = await database();
        const run = await getRun(d, id);
        if (run) set({ run });
        await get().refreshRuns();
      } catch (e) {
        set({ error: (e as Error).message, status: 'failed' });
      }
    },

    pause: () => void trainingWorker().pause(),
    resume: () => void trainingWorker().resume(),
    stop: () => void trainingWorker().stop(),

    async resumeRun(runId, backend) {
      set({ error: null, liveRunId: runId, status: 'preparing', progress: null, prepare: { stage: 'checkpoint', message: 'loading the last checkpoint…' }, lastMiningS: null });
      try {
        showRun(runId, await loadRunData(runId));
        await trainingWorker().resumeRun(runId, backend, Comlink.proxy(onStream));
      } catch (e) {
        set({ error: (e as Error).message, status: 'failed' });
      }
    },

    async deleteRun(runId) {
      if (runId === get().liveRunId && !['completed', 'stopped', 'failed'].includes(get().status ?? '')) {
        set({ error: 'Stop the run before deleting it.' });
        return;
      }
      await deleteStoredRun(await database(), runId);
      const s = get();
      set({ runs: s.runs.filter((r) => r.id !== runId), ...(s.runId === runId ? { runId: null, run: null, rows: [], rowCount: 0, events: [], groups: {} } : {}) });
      if (s.runId === runId) for (const l of rowListeners) l([], true);
    },

    clearError: () => set({ error: null }),
  };
});

// The training worker died: its run (if one was training) lost what it had not stored yet and is
// now interrupted; show exactly what is stored, say what happened, and offer the resume.
crashListeners.add((message) => {
  const s = useTrain.getState();
  const wasLive = s.liveRunId !== null && isActive(s.status);
  const name = s.runs.find((r) => r.id === s.liveRunId)?.name ?? s.run?.name ?? 'the run';
  const step = s.progress?.step ?? s.run?.step;
  useTrain.setState({
    liveRunId: null,
    status: null,
    progress: null,
    prepare: null,
    error: wasLive
      ? `${message} while training “${name}”${step !== undefined ? ` (step ${step})` : ''}. The run is interrupted: its metrics up to the last stored step and its checkpoints are kept. Press “Resume from checkpoint” to continue in a new training worker.`
      : `${message}. A new one starts with the next action; stored runs are unaffected.`,
  });
  void (async () => {
    await s.refreshRuns();
    const on = useTrain.getState().runId;
    if (on) await useTrain.getState().openRun(on);
  })();
});

/** the stream handler's view of whether a status means training is going on */
export const isActive = (s: LiveStatus | null) => s === 'preparing' || s === 'running' || s === 'paused' || s === 'mining' || s === 'recovering' || s === 'idle';

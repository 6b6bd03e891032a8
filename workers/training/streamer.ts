/**
 * What a live run streams, stored and forwarded in batches: rows, rollouts and events collected
 * for at most `intervalMs` are written to IndexedDB in one transaction with the run's progress,
 * then sent to the UI as one message (so the page gets a few messages a second however fast
 * the steps are). Flushes never overlap. A failed write keeps the batch for the next attempt and
 * reports the error; nothing already stored is touched.
 */
import { appendStream, DEFAULT_ROLLOUT_RETENTION, getRun, truncateAfter, type RunRecord } from '../../src/storage/run-store';
import type { WorkbenchDatabase } from '../../src/storage/open-db';
import type { Difficulty } from '../../src/synthesis/record';
import type { RunProgress } from '../../src/training/run/run';
import type { CurriculumEvent, MetricsRow, RolloutRecord } from '../../src/training/rl/types';
import type { PrepareProgress, StreamMessage } from '../training-api';

/** the last complete group of each tier among these rollouts (rollouts of one step come together) */
export function latestGroups(rollouts: readonly RolloutRecord[]): Partial<Record<Difficulty, RolloutRecord[]>> {
  const last = new Map<Difficulty, string>();
  for (const r of rollouts) last.set(r.difficulty, `${r.step}/${r.group}`);
  const out: Partial<Record<Difficulty, RolloutRecord[]>> = {};
  for (const r of rollouts) {
    if (last.get(r.difficulty) !== `${r.step}/${r.group}`) continue;
    (out[r.difficulty] ??= []).push(r);
  }
  for (const g of Object.values(out)) g.sort((a, b) => a.index - b.index);
  return out;
}

export class Streamer {
  private metrics: MetricsRow[] = [];
  private rollouts: RolloutRecord[] = [];
  private events: CurriculumEvent[] = [];
  private progress: RunProgress | null = null;
  private prepare: PrepareProgress | null = null;
  private runPatch: Partial<RunRecord> | null = null;
  private sendRun = false;
  private error: string | null = null;
  /** a rollback not yet told to the UI (kept across progress updates until sent) */
  private rolledBackTo: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** the last write failed: its batch is still queued */
  failing = false;
  /** why it failed, in words */
  lastError: string | null = null;

  constructor(
    readonly runId: string,
    private readonly db: WorkbenchDatabase,
    private readonly send: (m: StreamMessage) => void,
    private readonly onWriteError: (message: string) => void,
    private readonly intervalMs = 100,
  ) {}

  metricsRow(r: MetricsRow): void {
    this.metrics.push(r);
    this.schedule();
  }
  rolloutRows(rs: readonly RolloutRecord[]): void {
    for (const r of rs) this.rollouts.push(r);
    this.schedule();
  }
  event(e: CurriculumEvent): void {
    this.events.push(e);
    this.schedule();
  }
  setProgress(p: RunProgress): void {
    this.progress = p;
    this.schedule();
  }
  setPrepare(p: PrepareProgress | null): void {
    this.prepare = p;
    this.schedule(0);
  }
  /** record on the run (merged into the next batch's transaction) and send the stored record to the UI */
  patchRun(patch: Partial<RunRecord>): void {
    this.runPatch = { ...this.runPatch, ...patch };
    this.sendRun = true;
    this.schedule();
  }
  /** send the stored run record (something else wrote it, e.g. a checkpoint) */
  runChanged(): void {
    this.sendRun = true;
    this.schedule();
  }
  /**
   * The run went back to its checkpoint at `step` (a lost device) and will stream the steps after it
   * again: drop what is queued after it, delete what is stored after it (in order with the writes,
   * so a batch being written now cannot land after the delete), and tell the UI with the next batch.
   */
  rollback(step: number): void {
    this.metrics = this.metrics.filter((m) => m.step <= step);
    this.rollouts = this.rollouts.filter((r) => r.step <= step);
    this.events = this.events.filter((e) => e.step <= step);
    this.rolledBackTo = Math.min(this.rolledBackTo ?? step, step);
    this.chain = this.chain.then(() => truncateAfter(this.db, this.runId, step)).catch((e: Error) => this.onWriteError(e.message));
    this.schedule(0);
  }
  fail(message: string): void {
    this.error = message;
    this.schedule(0);
  }

  private schedule(ms = this.intervalMs): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
  }

  /** write and send what is queued; resolves when it is stored (or the write failed and was reported) */
  flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.chain = this.chain.then(() => this.write());
    return this.chain;
  }

  private async write(): Promise<void> {
    const metrics = this.metrics;
    const rollouts = this.rollouts;
    const events = this.events;
    const runPatch = this.runPatch;
    this.metrics = [];
    this.rollouts = [];
    this.events = [];
    this.runPatch = null;
    try {
      await appendStream(this.db, this.runId, { metrics, rollouts, events, retention: DEFAULT_ROLLOUT_RETENTION, ...(runPatch ? { run: runPatch } : {}) });
      this.failing = false;
      this.lastError = null;
    } catch (e) {
      // keep the batch (ahead of anything queued since) for the next attempt
      this.metrics = [...metrics, ...this.metrics];
      this.rollouts = [...rollouts, ...this.rollouts];
      this.events = [...events, ...this.events];
      if (runPatch) this.runPatch = { ...runPatch, ...(this.runPatch as Partial<RunRecord> | null) };
      this.failing = true;
      this.lastError = (e as Error).message;
      this.onWriteError((e as Error).message);
      return;
    }
    const run = this.sendRun ? ((await getRun(this.db, this.runId)) ?? null) : null;
    this.sendRun = false;
    const progress = this.progress && this.rolledBackTo !== null ? { ...this.progress, rolled_back_to: this.rolledBackTo } : this.progress;
    if (progress) this.rolledBackTo = null;
    const msg: StreamMessage = { runId: this.runId, metrics, events, groups: latestGroups(rollouts), progress, prepare: this.prepare, run, error: this.error };
    this.progress = null;
    this.prepare = null;
    this.error = null;
    try {
      this.send(msg);
    } catch {
      /* the page went away: the data is stored, a reload shows it */
    }
  }
}

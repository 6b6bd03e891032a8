/**
 * Training runs in IndexedDB: the run record, and what a run streams (metric rows, rollouts,
 * curriculum events, checkpoints). The training worker writes as it goes; the Train view reads
 * the same stores, so a reload shows the same curves. Writes that belong together are one
 * transaction: a streamed batch (rows + the run's progress), a checkpoint (its description and
 * every tensor). A failed write (a full disk) aborts its transaction, so what was stored before
 * stays intact and nothing half-written is left behind.
 */
import type { LlamaConfig } from '../training/model/config';
import type { CurriculumEvent, CurriculumSettings, GrpoSettings, MetricsRow, RolloutRecord, SftSettings } from '../training/rl/types';
import type { Difficulty, QuestionRecord } from '../synthesis/record';
import { describeStorageError, type WorkbenchDatabase } from './open-db';

export type RunStatus = 'running' | 'paused' | 'completed' | 'stopped' | 'interrupted' | 'failed';

/** Where the model came from. */
export type ModelSource =
  | { kind: 'preset'; preset: string }
  | { kind: 'hf'; /** folder name or hub model id */ name: string; lora?: { r: number; alpha: number; target_modules: string[] } };

/** What the run trained on, in numbers the runs list and the comparison show. */
export interface DatasetSummary {
  /** a plain name: "closed-book KG task (micro)", "curated questions (312)" */
  name: string;
  /** the task design or question set the run used (the task builder's id) */
  kind: string;
  train: number;
  heldout: number;
  /** training items per tier */
  tiers: Partial<Record<Difficulty, number>>;
  /** imported (public benchmark) items among the training items */
  imported: number;
  /** held-out imported items (the ablation's benchmark column) */
  heldoutImported?: number;
  /** one line on how the set was made */
  detail?: string;
}

/** The settings a run was started with (TRL names), kept so a run can be read, compared and resumed. */
export interface RunSettingsRecord {
  model: ModelSource;
  sft: SftSettings;
  grpo: GrpoSettings;
  curriculum: CurriculumSettings;
  seed: number;
  /** checkpoint every N optimizer steps (stage ends always get one) */
  checkpoint_every: number;
  /** anything else the engine needs to rebuild the run (task options, set selection), JSON */
  extra?: Record<string, unknown>;
}

export interface HeldoutResult {
  accuracy: number;
  formatRate: number;
  n: number;
  perDifficulty: Partial<Record<Difficulty, { accuracy: number; n: number }>>;
  /** imported benchmark items, when the set has them (tooLong: prompts beyond the model's context, scored wrong) */
  imported?: { accuracy: number; n: number; tooLong?: number };
}

/** One row of the Table-4 ablation: a stage-end checkpoint evaluated on the run's held-out items. */
export interface AblationRow {
  row: 'base' | 'sft' | 'rl_stage1' | 'rl_stage2';
  /** the checkpoint's step (null: the run has no such checkpoint) */
  step: number | null;
  heldout: HeldoutResult | null;
}

export interface AblationResult {
  runId: string;
  /** what the held-out set is, in words */
  heldoutName: string;
  rows: AblationRow[];
  computedAt: string;
}

export interface RunRecord {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  status: RunStatus;
  settings: RunSettingsRecord;
  dataset: DatasetSummary;
  /** the model's shape (HF names) and parameter count */
  model: { config: LlamaConfig; parameters: number };
  /** planned optimizer steps, SFT + GRPO (the ETA reads it) */
  plannedSteps: number;
  /** last stored step and where the curriculum is */
  step: number;
  phase: 'sft' | 'grpo';
  stage: 0 | 1 | 2;
  /** time spent training (pauses and reloads excluded), ms */
  activeMs: number;
  lastCheckpointStep: number | null;
  /** the adapter it ran on, in words */
  device?: string;
  /** held-out evaluation of the final checkpoint */
  heldout?: HeldoutResult;
  /** the Table-4 ablation, once computed */
  ablation?: AblationResult;
  /** a failure, in words, with what to do next */
  error?: string;
  /** lost GPU devices the run recovered from: where it was, the checkpoint it went back to, why */
  recoveries?: Array<{ at: string; lostAtStep: number; resumedFrom: number; message: string }>;
}

/** The items of a run, frozen when it starts: curation edits afterwards do not change a run's data. */
export interface RunDataRecord {
  runId: string;
  /** RL training items */
  train: QuestionRecord[];
  /** SFT pairs: question id and completion text */
  sft: Array<{ id: string; completion: string }>;
  /** held-out synthetic items (never trained on) */
  heldout: QuestionRecord[];
  /** imported benchmark items evaluated alongside (never trained on) */
  heldoutImported: QuestionRecord[];
  /** the task's added tokens (one per entity and relation for the closed-book task) */
  addedTokens: string[];
  /** prompt style the items are shown in */
  promptStyle: 'plain' | 'chat';
}

export type MetricsRecord = MetricsRow & { runId: string };
export type RolloutRow = RolloutRecord & { runId: string };
export type EventRecord = CurriculumEvent & { runId: string; seq: number };

/** Why a checkpoint was taken; stage-end ones feed the Table-4 ablation and are never pruned. */
export type CheckpointLabel = 'base' | 'sft' | 'rl_stage1' | 'rl_stage2' | 'periodic' | 'final';
export const KEPT_LABELS: readonly CheckpointLabel[] = ['base', 'sft', 'rl_stage1', 'rl_stage2', 'final'];

export interface CheckpointMeta {
  runId: string;
  step: number;
  label: CheckpointLabel;
  phase: 'sft' | 'grpo';
  stage: 0 | 1 | 2;
  createdAt: string;
  /** tensor names stored under this checkpoint, e.g. "weights/model.norm.weight", "adam_m/…" */
  tensors: string[];
  bytes: number;
  /** the rest of the trainer's state (counters, RNG, mined set, optimizer step), JSON */
  state: unknown;
}

export interface CheckpointTensor {
  runId: string;
  step: number;
  name: string;
  shape: number[];
  /** float32 little-endian */
  data: ArrayBuffer;
}

const runRange = (runId: string) => IDBKeyRange.bound([runId], [runId, []]);
/** keys [runId, step, …] with step > after */
const afterRange = (runId: string, after: number) => IDBKeyRange.bound([runId, after], [runId, []], true);

export async function putRun(db: WorkbenchDatabase, run: RunRecord): Promise<void> {
  try {
    await db.put('runs', run);
  } catch (e) {
    throw describeStorageError(e, `save run "${run.name}"`);
  }
}

/** Store a new run with its data in one transaction. */
export async function createRun(db: WorkbenchDatabase, run: RunRecord, data: Omit<RunDataRecord, 'runId'>): Promise<void> {
  try {
    const tx = db.transaction(['runs', 'runData'], 'readwrite');
    await allOrNothing(tx, async (work) => {
      work.push(tx.objectStore('runs').put(run), tx.objectStore('runData').put({ ...data, runId: run.id }));
    });
  } catch (e) {
    if (e instanceof Error && !(e instanceof DOMException)) throw e;
    throw describeStorageError(e, `save run "${run.name}" and its data`);
  }
}

export async function getRunData(db: WorkbenchDatabase, runId: string): Promise<RunDataRecord> {
  const d = await db.get('runData', runId);
  if (!d) throw new Error(`the data of run ${runId} is not stored (a run from an older version?)`);
  return d;
}

export async function getRun(db: WorkbenchDatabase, id: string): Promise<RunRecord | undefined> {
  return db.get('runs', id);
}

/** newest first */
export async function listRuns(db: WorkbenchDatabase): Promise<RunRecord[]> {
  const runs = await db.getAll('runs');
  return runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Read-modify-write of a run record in one transaction; returns the new record. */
export async function updateRun(db: WorkbenchDatabase, id: string, patch: Partial<RunRecord> | ((r: RunRecord) => Partial<RunRecord>)): Promise<RunRecord> {
  try {
    const tx = db.transaction('runs', 'readwrite');
    const r = await tx.store.get(id);
    if (!r) throw new Error(`no run ${id}`);
    const next: RunRecord = { ...r, ...(typeof patch === 'function' ? patch(r) : patch), updatedAt: new Date().toISOString() };
    await tx.store.put(next);
    await tx.done;
    return next;
  } catch (e) {
    if (e instanceof Error && !(e instanceof DOMException)) throw e;
    throw describeStorageError(e, 'update the run');
  }
}

export interface StreamBatch {
  metrics?: MetricsRow[];
  rollouts?: RolloutRecord[];
  events?: CurriculumEvent[];
  /** progress to record on the run with the rows (step, phase, stage, activeMs …) */
  run?: Partial<RunRecord>;
  /** thin older rollouts in the same transaction (see RolloutRetention) */
  retention?: RolloutRetention;
}

/**
 * How many rollouts a run keeps. Rollouts are the bulk of a run's storage (G completions per
 * prompt per step, with their token log-probs: tens of KB a step), while the views read only the
 * latest groups. So a run keeps every step's rollouts for its last `recent` steps and, further
 * back, those of every `every`-th step — a sample of the history that grows 1/`every` as fast.
 * Metric rows, events and checkpoints are not touched.
 */
export interface RolloutRetention {
  recent: number;
  every: number;
}
export const DEFAULT_ROLLOUT_RETENTION: RolloutRetention = { recent: 200, every: 50 };

/**
 * Step ranges [a, b] whose rollouts leave the full window when a batch with rollouts of steps
 * first…last lands: the steps up to last − recent that are not multiples of `every`, from just
 * below first − recent (ranges deleted before are empty; a margin of `every` covers steps that had
 * no rollouts of their own, as with num_iterations > 1).
 */
export function thinnedRanges(first: number, last: number, keep: RolloutRetention): Array<[number, number]> {
  const hi = last - keep.recent;
  if (hi < 1) return [];
  const lo = Math.max(1, first - keep.recent - keep.every);
  const out: Array<[number, number]> = [];
  for (let k = Math.floor(lo / keep.every); k * keep.every < hi; k++) {
    const a = Math.max(lo, k * keep.every + 1);
    const b = Math.min(hi, (k + 1) * keep.every - 1);
    if (a <= b) out.push([a, b]);
  }
  return out;
}

/**
 * One streamed batch in one transaction: rows, rollouts, events and the run's progress land
 * together or not at all. Rows are keyed by step, so writing a step again (a resume replaying
 * steps after its checkpoint) replaces it; events get the next sequence numbers of the run.
 */
export async function appendStream(db: WorkbenchDatabase, runId: string, batch: StreamBatch): Promise<void> {
  const metrics = batch.metrics ?? [];
  const rollouts = batch.rollouts ?? [];
  const events = batch.events ?? [];
  if (!metrics.length && !rollouts.length && !events.length && !batch.run) return;
  try {
    const tx = db.transaction(['runs', 'metrics', 'rollouts', 'events'], 'readwrite');
    await allOrNothing(tx, async (work) => {
      for (const m of metrics) work.push(tx.objectStore('metrics').put({ ...m, runId }));
      for (const r of rollouts) work.push(tx.objectStore('rollouts').put({ ...r, runId }));
      const keep = batch.retention;
      if (keep && rollouts.length) {
        const steps = rollouts.map((r) => r.step);
        for (const [a, b] of thinnedRanges(Math.min(...steps), Math.max(...steps), keep))
          work.push(tx.objectStore('rollouts').delete(IDBKeyRange.bound([runId, a], [runId, b, []])));
      }
      if (events.length) {
        const store = tx.objectStore('events');
        // next sequence number: one past the last stored event of the run
        const last = await store.openCursor(runRange(runId), 'prev');
        let seq = last ? (last.value.seq + 1) : 0;
        for (const e of events) work.push(store.put({ ...e, runId, seq: seq++ }));
      }
      if (batch.run) {
        const runs = tx.objectStore('runs');
        const r = await runs.get(runId);
        if (!r) throw new Error(`no run ${runId}`);
        work.push(runs.put({ ...r, ...batch.run, updatedAt: new Date().toISOString() }));
      }
    });
  } catch (e) {
    if (e instanceof Error && !(e instanceof DOMException)) throw e;
    const last = metrics.at(-1)?.step;
    throw describeStorageError(e, last === undefined ? 'save the run' : `save training step ${last}`);
  }
}

/**
 * Run `body` (which issues the transaction's requests and returns them) and wait for them all. A
 * request that fails — or a put that throws on the spot, like a DataCloneError — does not abort
 * the transaction by itself: abort it, so none of the batch lands.
 */
async function allOrNothing(tx: { abort(): void; done: Promise<void> }, body: (work: Promise<unknown>[]) => Promise<void>): Promise<void> {
  const work: Promise<unknown>[] = [];
  try {
    await body(work);
    await Promise.all(work);
  } catch (e) {
    // the requests issued before the failure now reject with AbortError: expected, not news
    for (const w of work) w.catch(() => {});
    try {
      tx.abort();
    } catch {
      /* already finished */
    }
    await tx.done.catch(() => {});
    throw e;
  }
  await tx.done;
}

/** every metric row of a run, in step order */
export async function readMetrics(db: WorkbenchDatabase, runId: string): Promise<MetricsRecord[]> {
  return db.getAll('metrics', runRange(runId));
}

export async function readEvents(db: WorkbenchDatabase, runId: string): Promise<EventRecord[]> {
  return db.getAll('events', runRange(runId));
}

/** the rollouts of one step */
export async function readRolloutsAt(db: WorkbenchDatabase, runId: string, step: number): Promise<RolloutRow[]> {
  return db.getAll('rollouts', IDBKeyRange.bound([runId, step], [runId, step, []]));
}

/**
 * The latest group per tier: walks the run's rollouts backwards from its last step until each
 * tier has a group (or `maxSteps` steps were read: a tier not trained lately is left out).
 */
export async function latestGroupsPerTier(db: WorkbenchDatabase, runId: string, maxSteps = 200): Promise<Partial<Record<Difficulty, RolloutRow[]>>> {
  const out: Partial<Record<Difficulty, RolloutRow[]>> = {};
  // rows come in key order reversed, so a group's completions are contiguous: a tier's group is
  // complete as soon as a row of another group follows it
  const groupOf: Partial<Record<Difficulty, string>> = {};
  let complete = 0;
  const steps = new Set<number>();
  let cursor = await db.transaction('rollouts').store.openCursor(runRange(runId), 'prev');
  let current = '';
  while (cursor && complete < 3) {
    const r = cursor.value;
    steps.add(r.step);
    if (steps.size > maxSteps) break;
    const key = `${r.step}/${r.group}`;
    if (key !== current) {
      if (current) for (const t of Object.keys(groupOf) as Difficulty[]) if (groupOf[t] === current) complete++;
      current = key;
    }
    if (groupOf[r.difficulty] === undefined) {
      groupOf[r.difficulty] = key;
      out[r.difficulty] = [];
    }
    if (groupOf[r.difficulty] === key) out[r.difficulty]!.push(r);
    cursor = await cursor.continue();
  }
  for (const rows of Object.values(out)) rows.sort((a, b) => a.index - b.index);
  return out;
}

/** Delete what a run streamed after `step` (before resuming from the checkpoint at `step`). */
export async function truncateAfter(db: WorkbenchDatabase, runId: string, step: number): Promise<void> {
  const tx = db.transaction(['metrics', 'rollouts', 'events'], 'readwrite');
  await Promise.all([
    tx.objectStore('metrics').delete(afterRange(runId, step)),
    tx.objectStore('rollouts').delete(IDBKeyRange.bound([runId, step, []], [runId, []], true)),
    (async () => {
      let c = await tx.objectStore('events').openCursor(runRange(runId));
      while (c) {
        if (c.value.step > step) await c.delete();
        c = await c.continue();
      }
    })(),
  ]);
  await tx.done;
}

/** byte size of a checkpoint's tensors */
export const tensorBytes = (tensors: ReadonlyMap<string, Float32Array>) => [...tensors.values()].reduce((s, t) => s + t.byteLength, 0);

function ownBuffer(a: Float32Array): ArrayBuffer {
  // a view on part of a larger buffer (or a shared one) is copied so only its bytes are stored
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer ? a.buffer : a.slice().buffer;
}

export interface PutCheckpointOptions {
  /** periodic checkpoints to keep per run (older ones are deleted in the same transaction); stage ends are always kept */
  keepPeriodic?: number;
  /** tensor shapes by name (default: flat) */
  shapes?: ReadonlyMap<string, number[]>;
}

/**
 * Write a checkpoint — its description and every tensor — in ONE transaction, and prune older
 * periodic checkpoints in the same one. A full disk aborts it: the previous checkpoints stay.
 */
export async function putCheckpoint(
  db: WorkbenchDatabase,
  meta: Omit<CheckpointMeta, 'tensors' | 'bytes' | 'createdAt'> & { createdAt?: string },
  tensors: ReadonlyMap<string, Float32Array>,
  opts: PutCheckpointOptions = {},
): Promise<CheckpointMeta> {
  const full: CheckpointMeta = { ...meta, createdAt: meta.createdAt ?? new Date().toISOString(), tensors: [...tensors.keys()], bytes: tensorBytes(tensors) };
  const keep = opts.keepPeriodic ?? 2;
  try {
    const tx = db.transaction(['checkpoints', 'checkpointTensors', 'runs'], 'readwrite');
    await allOrNothing(tx, async (work) => {
      const tstore = tx.objectStore('checkpointTensors');
      // replacing a checkpoint at the same step: its old tensors go first
      work.push(tstore.delete(IDBKeyRange.bound([meta.runId, meta.step], [meta.runId, meta.step, []])));
      work.push(tx.objectStore('checkpoints').put(full));
      for (const [name, t] of tensors) work.push(tstore.put({ runId: meta.runId, step: meta.step, name, shape: opts.shapes?.get(name) ?? [t.length], data: ownBuffer(t) }));
      const existing = await tx.objectStore('checkpoints').getAll(runRange(meta.runId));
      const periodic = existing.filter((c) => c.label === 'periodic' && c.step !== meta.step).sort((a, b) => a.step - b.step);
      const drop = periodic.slice(0, Math.max(0, periodic.length - (full.label === 'periodic' ? keep - 1 : keep)));
      for (const c of drop) {
        work.push(tx.objectStore('checkpoints').delete([meta.runId, c.step]));
        work.push(tstore.delete(IDBKeyRange.bound([meta.runId, c.step], [meta.runId, c.step, []])));
      }
      const runs = tx.objectStore('runs');
      const run = await runs.get(meta.runId);
      if (run && (run.lastCheckpointStep === null || meta.step >= run.lastCheckpointStep)) work.push(runs.put({ ...run, lastCheckpointStep: meta.step, updatedAt: new Date().toISOString() }));
    });
    return full;
  } catch (e) {
    if (e instanceof Error && !(e instanceof DOMException)) throw e;
    const mb = (full.bytes / 2 ** 20).toFixed(1);
    throw describeStorageError(e, `save the checkpoint at step ${meta.step} (${mb} MB)`);
  }
}

/** newest last */
export async function listCheckpoints(db: WorkbenchDatabase, runId: string): Promise<CheckpointMeta[]> {
  return db.getAll('checkpoints', runRange(runId));
}

export async function latestCheckpoint(db: WorkbenchDatabase, runId: string): Promise<CheckpointMeta | undefined> {
  const c = await db.transaction('checkpoints').store.openCursor(runRange(runId), 'prev');
  return c?.value;
}

export interface LoadedCheckpoint {
  meta: CheckpointMeta;
  tensors: Map<string, Float32Array>;
  shapes: Map<string, number[]>;
}

/** A checkpoint with its tensors, checked complete (a missing tensor names itself). */
export async function readCheckpoint(db: WorkbenchDatabase, runId: string, step: number): Promise<LoadedCheckpoint> {
  const tx = db.transaction(['checkpoints', 'checkpointTensors']);
  const meta = await tx.objectStore('checkpoints').get([runId, step]);
  if (!meta) throw new Error(`run ${runId} has no checkpoint at step ${step}`);
  const rows = await tx.objectStore('checkpointTensors').getAll(IDBKeyRange.bound([runId, step], [runId, step, []]));
  const tensors = new Map<string, Float32Array>();
  const shapes = new Map<string, number[]>();
  for (const r of rows) {
    tensors.set(r.name, new Float32Array(r.data));
    shapes.set(r.name, r.shape);
  }
  const missing = meta.tensors.filter((n) => !tensors.has(n));
  if (missing.length) throw new Error(`checkpoint at step ${step} of run ${runId} is incomplete: missing ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`);
  return { meta, tensors, shapes };
}

/** Delete a run and everything it streamed, in one transaction. */
export async function deleteRun(db: WorkbenchDatabase, runId: string): Promise<void> {
  const stores = ['runs', 'runData', 'metrics', 'rollouts', 'events', 'checkpoints', 'checkpointTensors'] as const;
  const tx = db.transaction([...stores], 'readwrite');
  await Promise.all([
    tx.objectStore('runs').delete(runId),
    tx.objectStore('runData').delete(runId),
    tx.objectStore('metrics').delete(runRange(runId)),
    tx.objectStore('rollouts').delete(runRange(runId)),
    tx.objectStore('events').delete(runRange(runId)),
    tx.objectStore('checkpoints').delete(runRange(runId)),
    tx.objectStore('checkpointTensors').delete(runRange(runId)),
    tx.done,
  ]);
}

/**
 * Runs left 'running' or 'paused' by a page that went away (reload, crash, closed tab) become
 * 'interrupted': what they did after their last checkpoint is gone with the page, so they resume from
 * it. `alive` says which runs a live worker still holds (its Web Lock), so a run in another tab is left alone.
 */
export async function markInterrupted(db: WorkbenchDatabase, alive: ReadonlySet<string>): Promise<string[]> {
  const tx = db.transaction('runs', 'readwrite');
  const changed: string[] = [];
  let c = await tx.store.openCursor();
  while (c) {
    if ((c.value.status === 'running' || c.value.status === 'paused') && !alive.has(c.value.id)) {
      changed.push(c.value.id);
      await c.update({ ...c.value, status: 'interrupted', updatedAt: new Date().toISOString() });
    }
    c = await c.continue();
  }
  await tx.done;
  return changed;
}

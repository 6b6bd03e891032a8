/**
 * The live run of the training worker: builds the run's inputs (data, tokenizer, model shape),
 * drives the engine's Run, stores everything it streams as it streams (run-store), forwards
 * batches to the UI, and holds a Web Lock named after the run while it trains, so a reloaded page
 * can tell a live run from an interrupted one. One run at a time per worker.
 */
import { openWorkbenchDb, type WorkbenchDatabase } from '../../src/storage/open-db';
import { createRun, getRun, getRunData, latestCheckpoint, putCheckpoint, readCheckpoint, truncateAfter, updateRun, type RunDataRecord, type RunRecord } from '../../src/storage/run-store';
import type { QuestionRecord } from '../../src/synthesis/record';
import { parameterCount, presetConfig, type LlamaConfig, type Weights } from '../../src/training/model/config';
import type { Checkpoint, CheckpointState } from '../../src/training/run/checkpoint';
import { plainTask, rlItems, sftExamples } from '../../src/training/run/items';
import { Run, type RunInputs, type RunProgress } from '../../src/training/run/run';
import type { RunSettings } from '../../src/training/run/settings';
import { trainTaskTokenizer } from '../../src/training/run/tokenizer-setup';
import { tokenizerFromJson } from '../../src/training/tokenizer/tokenizer-json';
import type { Tokenizer } from '../../src/training/tokenizer/types';
import type { Backend, StartRequest, StreamMessage } from '../training-api';
import { defaultGraphOnce } from '../worker-resources';
import { prepareData } from './data';
import { evaluateHeldout } from './evaluate';
import { loadBase, modelFactory, type ModelFactory } from './models';
import { Streamer } from './streamer';

let dbp: Promise<WorkbenchDatabase> | null = null;
export const workerDb = () => (dbp ??= openWorkbenchDb());

export const runLockName = (runId: string) => `fleming-run:${runId}`;

const ACTIVE: RunProgress['status'][] = ['running', 'mining', 'recovering', 'idle'];

function recordStatus(s: RunProgress['status']): RunRecord['status'] {
  if (s === 'paused') return 'paused';
  if (s === 'completed' || s === 'stopped' || s === 'failed') return s;
  return 'running';
}

function newRunId(): string {
  const t = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `run-${t}-${Math.random().toString(36).slice(2, 7)}`;
}

export interface BuiltInputs {
  inputs: RunInputs;
  tokenizer: Tokenizer;
  config: LlamaConfig;
}

/** RunInputs from the stored data: a tokenizer (given, or trained on the data), the model shape, SFT examples and RL items. */
export function buildInputs(data: Omit<RunDataRecord, 'runId'>, settings: RunSettings, opts: { tokenizer?: Tokenizer; config?: LlamaConfig; baseWeights?: Weights; vocabSize?: number }): BuiltInputs {
  const byId = new Map<string, QuestionRecord>(data.train.map((q) => [q.id, q]));
  const pairs = data.sft.map((p) => {
    const q = byId.get(p.id);
    if (!q) throw new Error(`SFT pair for ${p.id}: no such training question in the run's data`);
    return { question: q, completion: p.completion };
  });
  const tokenizer = opts.tokenizer ?? trainTaskTokenizer(data.train, pairs, plainTask, { addedTokens: data.addedTokens, ...(opts.vocabSize ? { vocabSize: opts.vocabSize } : {}) });
  let config = opts.config;
  if (!config) {
    if (settings.model.kind !== 'preset') throw new Error('a Hugging Face base needs its config');
    config = presetConfig(settings.model.preset, tokenizer.vocabSize);
  }
  const inputs: RunInputs = {
    model_config: config,
    tokenizer,
    sft: sftExamples(pairs, plainTask, tokenizer),
    rl: rlItems(data.train, plainTask, tokenizer, config.max_position_embeddings),
    ...(opts.baseWeights ? { base_weights: opts.baseWeights } : {}),
  };
  return { inputs, tokenizer, config };
}

/** the tokenizer a checkpoint was trained with */
export function checkpointTokenizer(state: CheckpointState): Tokenizer {
  return tokenizerFromJson(state.tokenizer);
}

export function toCheckpoint(meta: { step: number; label: Checkpoint['label']; phase: Checkpoint['phase']; stage: Checkpoint['stage']; createdAt: string; state: unknown }, tensors: Map<string, Float32Array>, shapes: Map<string, number[]>): Checkpoint {
  return { step: meta.step, label: meta.label, phase: meta.phase, stage: meta.stage, createdAt: meta.createdAt, tensors, shapes, state: meta.state as CheckpointState };
}

interface Live {
  runId: string;
  run: Run;
  streamer: Streamer;
  /** a checkpoint write that failed waits for this (the user freed space and pressed Resume) */
  retry: (() => void) | null;
  /** Stop was pressed: a checkpoint that cannot be written is given up rather than waited for */
  stopping: boolean;
}

export class RunHost {
  private live: Live | null = null;
  private busy = false;

  get activeRunId(): string | null {
    return this.live?.runId ?? null;
  }

  async start(req: StartRequest, send: (m: StreamMessage) => void): Promise<string> {
    if (this.busy) throw new Error('a run is already training in this tab: stop it first');
    this.busy = true;
    try {
      const db = await workerDb();
      const runId = newRunId();
      const hello = (prepare: StreamMessage['prepare']) => send({ runId, metrics: [], events: [], groups: {}, progress: null, prepare, run: null, error: null });
      hello({ stage: 'data', message: 'preparing the data…' });
      const data = await prepareData(req.data, { db: workerDb, graph: defaultGraphOnce }, hello);
      const { summary, ...stored } = data;
      if (!stored.train.length) throw new Error('the chosen set has no training items');
      let base: Awaited<ReturnType<typeof loadBase>> | null = null;
      if (req.model.kind !== 'preset') base = await loadBase(req.model, hello);
      hello({ stage: 'tokenizer', message: base ? 'using the base model’s tokenizer' : 'training the BPE tokenizer on the run’s texts…' });
      const settings: RunSettings = { ...req.settings, model: req.model.kind === 'preset' ? { kind: 'preset', preset: req.model.preset } : { kind: 'hf', name: req.model.kind === 'hf-hub' ? req.model.model_id : req.model.name } };
      const built = buildInputs(stored, settings, base ? { tokenizer: base.tokenizer, config: base.config, baseWeights: base.weights } : {});
      hello({ stage: 'device', message: 'acquiring the GPU…' });
      const factory = await modelFactory(req.backend);
      const now = new Date().toISOString();
      const record: RunRecord = {
        id: runId,
        name: req.name.trim() || `${settings.model.kind === 'preset' ? settings.model.preset : settings.model.name} · ${summary.name}`,
        createdAt: now,
        updatedAt: now,
        status: 'running',
        settings: { ...settings, model: settings.model, extra: { data: req.data, backend: req.backend, lora: settings.lora, adam: settings.adam, micro_batch_rows: settings.micro_batch_rows, generation_batch_rows: settings.generation_batch_rows } },
        dataset: summary,
        model: { config: built.config, parameters: parameterCount(built.config) },
        plannedSteps: settings.sft.max_steps + settings.grpo.max_steps,
        step: 0,
        phase: settings.sft.max_steps > 0 ? 'sft' : 'grpo',
        stage: 0,
        activeMs: 0,
        lastCheckpointStep: null,
        device: factory.device,
      };
      await createRun(db, record, stored);
      send({ runId, metrics: [], events: [], groups: {}, progress: null, prepare: { stage: 'device', message: factory.note ?? 'starting…' }, run: record, error: null });
      this.launch(runId, db, settings, built.inputs, factory, send, undefined);
      return runId;
    } catch (e) {
      this.busy = false;
      throw e;
    }
  }

  /** continue a stored run from its last checkpoint */
  async resumeRun(runId: string, backend: Backend, send: (m: StreamMessage) => void): Promise<void> {
    if (this.busy) throw new Error('a run is already training in this tab: stop it first');
    this.busy = true;
    try {
      const db = await workerDb();
      const run = await getRun(db, runId);
      if (!run) throw new Error(`run ${runId} is not stored in this browser`);
      const meta = await latestCheckpoint(db, runId);
      if (!meta) throw new Error(`run "${run.name}" has no checkpoint to resume from`);
      send({ runId, metrics: [], events: [], groups: {}, progress: null, prepare: { stage: 'checkpoint', message: `loading the checkpoint at step ${meta.step}…` }, run: null, error: null });
      const ck = await readCheckpoint(db, runId, meta.step);
      const checkpoint = toCheckpoint(ck.meta, ck.tensors, ck.shapes);
      const state = checkpoint.state;
      if (state.phase === 'done') throw new Error(`run "${run.name}" already finished (its last checkpoint is the end of the run)`);
      const data = await getRunData(db, runId);
      const built = buildInputs(data, state.settings, { tokenizer: checkpointTokenizer(state), config: state.model_config });
      // the steps after the checkpoint will be streamed again with the same numbers
      await truncateAfter(db, runId, meta.step);
      const factory = await modelFactory(backend);
      await updateRun(db, runId, { status: 'running', step: meta.step, device: factory.device, error: undefined as unknown as string });
      this.launch(runId, db, state.settings, built.inputs, factory, send, checkpoint);
    } catch (e) {
      this.busy = false;
      throw e;
    }
  }

  private launch(runId: string, db: WorkbenchDatabase, settings: RunSettings, inputs: RunInputs, factory: ModelFactory, send: (m: StreamMessage) => void, resumeFrom: Checkpoint | undefined): void {
    const streamer = new Streamer(runId, db, send, (message) => {
      // storage full (or broken): pause, keep the queued rows, tell the user what to do
      run.pause();
      send({ runId, metrics: [], events: [], groups: {}, progress: null, prepare: null, run: null, error: `${message} The run is paused; earlier steps and checkpoints are intact. Free some space and press Resume.` });
    });
    let activeSince: number | null = performance.now();
    let activeMs = 0;
    const clock = (active: boolean) => {
      const now = performance.now();
      if (activeSince !== null) activeMs += now - activeSince;
      activeSince = active ? now : null;
    };
    let lastStatus: RunProgress['status'] | null = null;
    // lost devices recovered from, earlier sessions of a resumed run included
    const recoveries: NonNullable<RunRecord['recoveries']> = [];
    void getRun(db, runId).then((r) => recoveries.unshift(...(r?.recoveries ?? [])));
    // training time before this session (a resumed run), from the checkpoint
    const resumeBaseMs = resumeFrom ? Math.round(resumeFrom.state.elapsed_s * 1000) : 0;
    const run: Run = new Run(
      settings,
      inputs,
      { createModel: (config) => factory.create(config) },
      {
        onMetrics: (row) => streamer.metricsRow(row),
        onRollouts: (rows) => streamer.rolloutRows(rows),
        onEvent: (ev) => streamer.event(ev),
        onCheckpoint: async (ck) => {
          for (;;) {
            try {
              // rows up to this step are stored before the checkpoint that covers them: a checkpoint
              // ahead of its rows would leave a gap in the curves after a resume
              await streamer.flush();
              if (streamer.failing) throw new Error(streamer.lastError ?? 'the last streamed batch could not be stored');
              await putCheckpoint(db, { runId, step: ck.step, label: ck.label, phase: ck.phase, stage: ck.stage, createdAt: ck.createdAt, state: ck.state }, ck.tensors, { shapes: ck.shapes, keepPeriodic: 2 });
              streamer.runChanged();
              return;
            } catch (e) {
              // stopping with a full disk: give this checkpoint up; the run ends on the earlier ones
              if (this.live?.stopping) return;
              // the Run waits on this callback: wait for the user to free space and press Resume, then retry
              send({ runId, metrics: [], events: [], groups: {}, progress: { status: 'paused', phase: ck.phase, stage: ck.stage, step: ck.step, total_steps: run.totalSteps }, prepare: null, run: null, error: `${(e as Error).message} The run is paused at step ${ck.step}; the earlier checkpoints and metrics are intact. Free some space and press Resume to save it again.` });
              clock(false);
              await new Promise<void>((r) => (this.live!.retry = r));
              this.live!.retry = null;
              clock(true);
            }
          }
        },
        onProgress: (p) => {
          const active = ACTIVE.includes(p.status);
          clock(active);
          streamer.setProgress(p);
          if (p.status !== lastStatus || p.phase !== 'done') {
            const patch: Partial<RunRecord> = { step: p.step, stage: p.stage, activeMs: Math.round(activeMs) + resumeBaseMs };
            if (p.phase !== 'done') patch.phase = p.phase;
            if (p.status !== lastStatus) {
              patch.status = recordStatus(p.status);
              if (p.status === 'failed' && p.message) patch.error = p.message;
            }
            streamer.patchRun(patch);
          }
          lastStatus = p.status;
          if (p.rolled_back_to !== undefined) {
            streamer.rollback(p.rolled_back_to);
            recoveries.push({ at: new Date().toISOString(), lostAtStep: p.step, resumedFrom: p.rolled_back_to, message: p.message ?? 'the GPU device was lost' });
            streamer.patchRun({ recoveries: [...recoveries] });
          }
        },
      },
      resumeFrom ? { resumeFrom } : {},
    );
    this.live = { runId, run, streamer, retry: null, stopping: false };
    const body = async () => {
      const result = await run.start();
      clock(false);
      await streamer.flush();
      let heldout: RunRecord['heldout'] | undefined;
      if (result.status === 'completed' && run.model) {
        try {
          streamer.setPrepare({ stage: 'checkpoint', message: 'evaluating the final model on the held-out items…' });
          const data = await getRunData(db, runId);
          heldout = await evaluateHeldout(run.model, inputs.tokenizer, data, settings);
        } catch (e) {
          streamer.fail(`The run finished, but the held-out evaluation failed: ${(e as Error).message}`);
        }
      }
      streamer.patchRun({
        status: result.status,
        step: result.step,
        activeMs: Math.round(activeMs) + resumeBaseMs,
        ...(heldout ? { heldout } : {}),
        ...(result.status === 'failed' && result.reason ? { error: result.reason } : {}),
      });
      if (result.status === 'failed' && result.reason) streamer.fail(result.reason);
      streamer.setPrepare(null);
      await streamer.flush();
      try {
        run.model?.dispose();
      } catch {
        /* already gone */
      }
    };
    const done = (async () => {
      try {
        if ('locks' in navigator) await navigator.locks.request(runLockName(runId), body);
        else await body();
      } catch (e) {
        streamer.patchRun({ status: 'failed', error: (e as Error).message });
        streamer.fail((e as Error).message);
        await streamer.flush();
      } finally {
        this.live = null;
        this.busy = false;
      }
    })();
    void done;
  }

  pause(): void {
    this.live?.run.pause();
  }

  resume(): void {
    const l = this.live;
    if (!l) return;
    if (l.streamer.failing) void l.streamer.flush();
    l.retry?.();
    l.run.resume();
  }

  stop(): void {
    const l = this.live;
    if (!l) return;
    l.stopping = true;
    l.retry?.();
    l.run.stop();
  }
}


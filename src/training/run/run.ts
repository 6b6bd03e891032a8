/**
 * A training run, top to bottom: SFT cold start → GRPO stage 1 → GRPO stage 2, driven the same way
 * by the training Web Worker and by `npm run train`. It owns the loop and its state; the caller
 * gives it a model factory (CPU model, or GPU model on an acquired device) and callbacks that
 * receive what it streams: metric rows, rollouts, curriculum events, checkpoints, progress.
 *
 *   const run = new Run(settings, inputs, { createModel }, callbacks, { resumeFrom });
 *   const result = await run.start();   // run.pause() / run.resume() / run.stop() meanwhile
 *
 * Checkpoints (plain data, see checkpoint.ts) are taken at the start ('base'), every
 * checkpoint_every steps ('periodic'), at the end of SFT ('sft'), of stage 1 ('rl_stage1'), of the
 * run ('rl_stage2', or 'final' when stage 2 never began) and on stop. Resuming from one gives the
 * same weights as a run that was never interrupted: all randomness is seeded by (seed, where).
 * When the GPU device is lost mid-run the Run asks for a fresh model (the factory re-acquires a
 * device), reloads the last checkpoint and carries on; the steps after it are replayed with the
 * same step numbers (a store keyed by step replaces them). A step whose loss or gradient was
 * NaN/Inf is skipped by the model (weights unchanged) and counted; max_consecutive_skips in a row
 * stop the run with the reason.
 */
import { DeviceLostError } from '../../gpu/runtime';
import type { CausalLM } from '../model/causal-lm';
import { checkWeights, initWeights } from '../model/init';
import type { LlamaConfig, Weights } from '../model/config';
import type { CurriculumEvent, MetricsRow, RolloutRecord } from '../rl/types';
import type { Tokenizer } from '../tokenizer/types';
import { type Checkpoint, type CheckpointLabel, type CheckpointState, LORA, M, prefixed, REF, unprefixed, V, W } from './checkpoint';
import { CurriculumRunner, type CurriculumState } from './curriculum-runner';
import { GrpoLoop, type GrpoState, initialGrpoState, type RlItem } from './grpo';
import { type RunSettings, validateRunSettings } from './settings';
import { deriveSeed } from './seeds';
import { type EncodedExample, encodeSftExample, type SftExample } from './sft-data';
import { initialSftState, SftLoop, type SftState } from './sft';

export interface RunInputs {
  model_config: LlamaConfig;
  tokenizer: Tokenizer;
  /** SFT examples: rendered prompt + trajectory text */
  sft: SftExample[];
  /** GRPO training items (rlItems() in items.ts) */
  rl: RlItem[];
  /** starting weights (a loaded Hugging Face base); absent: seeded initialisation */
  base_weights?: Weights;
}

export interface RunDeps {
  /**
   * A fresh model of this shape, weights uninitialised or random (the Run sets them). Called at the
   * start, for the frozen reference copy (beta > 0), and again after a lost device: acquire a new
   * device there when the old one is gone.
   */
  createModel(config: LlamaConfig, purpose: 'policy' | 'reference'): Promise<CausalLM>;
}

export type RunStatus = 'idle' | 'running' | 'paused' | 'mining' | 'recovering' | 'completed' | 'stopped' | 'failed';

export interface RunProgress {
  status: RunStatus;
  phase: 'sft' | 'grpo' | 'done';
  stage: 0 | 1 | 2;
  /** run-global optimizer steps done, and planned (SFT + GRPO) */
  step: number;
  total_steps: number;
  /** a mining pass in progress: items scored so far */
  mining?: { done: number; total: number };
  /**
   * after a lost device: the run went back to the checkpoint at this step and will stream the steps
   * after it again (a store should drop what it holds after this step: run-store truncateAfter)
   */
  rolled_back_to?: number;
  message?: string;
}

export interface RunCallbacks {
  onMetrics?(row: MetricsRow): void | Promise<void>;
  onRollouts?(rows: RolloutRecord[]): void | Promise<void>;
  onEvent?(ev: CurriculumEvent): void | Promise<void>;
  /** awaited: the run continues once the checkpoint is stored */
  onCheckpoint?(ckpt: Checkpoint): void | Promise<void>;
  onProgress?(p: RunProgress): void;
}

export interface RunOptions {
  resumeFrom?: Checkpoint;
  signal?: AbortSignal;
  /** device losses in a row without a completed step before the run gives up (default 3) */
  max_recoveries?: number;
}

export interface RunResult {
  status: 'completed' | 'stopped' | 'failed';
  /** why it stopped or failed, in words */
  reason?: string;
  step: number;
  last_checkpoint: Checkpoint | null;
  /** device losses recovered from */
  recoveries: number;
  /** NaN/Inf steps skipped in total */
  skipped_steps: number;
}

class StopRequested extends Error {}

const isDeviceLost = (e: unknown) => e instanceof DeviceLostError || (e instanceof Error && e.name === 'DeviceLostError');

const copyWeights = (w: Weights): Weights => new Map([...w].map(([k, v]) => [k, new Float32Array(v)]));

function zerosLike(w: Weights): Weights {
  return new Map([...w].map(([k, v]) => [k, new Float32Array(v.length)]));
}

export class Run {
  readonly settings: RunSettings;
  private policy: CausalLM | null = null;
  private reference: CausalLM | null = null;
  private readonly examples: EncodedExample[];
  private sftState: SftState = initialSftState();
  private grpoState: GrpoState = initialGrpoState();
  private curriculumState: CurriculumState | null = null;
  private phase: 'sft' | 'grpo' | 'done' = 'sft';
  private consecutiveSkips = 0;
  private skippedTotal = 0;
  private elapsed = 0;
  private lastCheckpoint: Checkpoint | null = null;
  private referenceWeights: Weights | null = null;
  private paused = false;
  private stopRequested = false;
  private wake: (() => void) | null = null;
  private statusNow: RunStatus = 'idle';
  private started = false;
  /** start of the time not yet added to `elapsed` */
  private clock = 0;
  /** device losses recovered from */
  private recoveries = 0;
  /** encoded SFT examples dropped because no completion token fit max_length */
  readonly droppedSft: number;

  constructor(
    settings: RunSettings,
    private readonly inputs: RunInputs,
    private readonly deps: RunDeps,
    private readonly cb: RunCallbacks = {},
    private readonly opts: RunOptions = {},
  ) {
    const errs = validateRunSettings(settings);
    if (errs.length) throw new Error(`run settings: ${errs.join('; ')}`);
    this.settings = structuredClone(settings);
    if (inputs.tokenizer.vocabSize !== inputs.model_config.vocab_size && inputs.tokenizer.vocabSize > inputs.model_config.vocab_size)
      throw new Error(`the tokenizer has ${inputs.tokenizer.vocabSize} tokens but the model's vocab_size is ${inputs.model_config.vocab_size}`);
    const maxLen = Math.min(settings.sft.max_length, inputs.model_config.max_position_embeddings + 1);
    const enc = settings.sft.max_steps > 0 ? inputs.sft.map((e) => encodeSftExample(inputs.tokenizer, e, maxLen)) : [];
    this.examples = enc.filter((e): e is EncodedExample => e !== null);
    this.droppedSft = enc.length - this.examples.length;
    if (settings.sft.max_steps > 0 && !this.examples.length) throw new Error(`SFT has ${inputs.sft.length} examples and none fits max_length ${maxLen} with room for its answer`);
    if (settings.grpo.max_steps > 0 && !inputs.rl.length) throw new Error('GRPO has no training questions');
    opts.signal?.addEventListener('abort', () => this.stop());
  }

  // ---- control -----------------------------------------------------------------------

  get status(): RunStatus {
    return this.statusNow;
  }

  /** the model being trained (for evaluation once the run is over; null before start) */
  get model(): CausalLM | null {
    return this.policy;
  }

  get totalSteps(): number {
    return this.settings.sft.max_steps + this.settings.grpo.max_steps;
  }

  get globalStep(): number {
    return this.sftState.step + this.grpoState.step;
  }

  /** takes effect between steps */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  /** finish the current step, checkpoint, and end with status 'stopped' */
  stop(): void {
    this.stopRequested = true;
    this.wake?.();
  }

  private progress(status: RunStatus, extra: Partial<RunProgress> = {}): void {
    this.statusNow = status;
    this.cb.onProgress?.({ status, phase: this.phase, stage: this.stage, step: this.globalStep, total_steps: this.totalSteps, ...extra });
  }

  private get stage(): 0 | 1 | 2 {
    return this.phase === 'sft' ? 0 : (this.curriculumState?.stage ?? 1);
  }

  /** between steps: wait while paused; throw to unwind when a stop was asked for */
  private async gate(): Promise<void> {
    if (this.stopRequested) throw new StopRequested();
    if (!this.paused) return;
    this.progress('paused');
    const t0 = performance.now();
    while (this.paused && !this.stopRequested) await new Promise<void>((r) => (this.wake = r));
    this.wake = null;
    this.clock += performance.now() - t0; // paused time is not training time
    if (this.stopRequested) throw new StopRequested();
    this.progress('running');
  }

  // ---- the run -------------------------------------------------------------------------

  async start(): Promise<RunResult> {
    if (this.started) throw new Error('this run was already started; make a new Run to train again');
    this.started = true;
    let recoveriesInARow = 0;
    this.clock = performance.now();
    const tick = () => {
      const now = performance.now();
      this.elapsed += (now - this.clock) / 1000;
      this.clock = now;
    };
    try {
      if (this.opts.resumeFrom) await this.restore(this.opts.resumeFrom);
      else await this.fresh();
      this.progress('running');
      for (;;) {
        try {
          const stepBefore = this.globalStep;
          const more = await this.advance();
          tick();
          if (this.globalStep > stepBefore) recoveriesInARow = 0;
          if (!more) break;
        } catch (e) {
          if (!isDeviceLost(e) || !this.lastCheckpoint) throw e;
          this.recoveries++;
          recoveriesInARow++;
          if (recoveriesInARow > (this.opts.max_recoveries ?? 3)) throw new Error(`the GPU device was lost ${recoveriesInARow} times in a row without completing a step (${(e as Error).message}); resume later from the checkpoint at step ${this.lastCheckpoint.step}`);
          this.progress('recovering', { rolled_back_to: this.lastCheckpoint.step, message: `GPU device lost (${(e as Error).message}); reloading the checkpoint at step ${this.lastCheckpoint.step}` });
          this.disposeModels();
          await this.restore(this.lastCheckpoint);
          this.clock = performance.now();
          this.progress('running', { message: `resumed from the checkpoint at step ${this.lastCheckpoint.step} after a lost device` });
        }
      }
      this.progress('completed');
      return this.result('completed', undefined);
    } catch (e) {
      tick();
      if (e instanceof StopRequested) {
        try {
          if (this.policy && this.lastCheckpoint?.step !== this.globalStep) await this.checkpoint('periodic');
        } catch {
          /* a stop during a device loss keeps the last stored checkpoint */
        }
        this.progress('stopped');
        return this.result('stopped', 'stopped by the user');
      }
      const reason = e instanceof Error ? e.message : String(e);
      this.progress('failed', { message: reason });
      return this.result('failed', reason);
    }
  }

  private result(status: RunResult['status'], reason: string | undefined): RunResult {
    return { status, ...(reason ? { reason } : {}), step: this.globalStep, last_checkpoint: this.lastCheckpoint, recoveries: this.recoveries, skipped_steps: this.skippedTotal };
  }

  /** one unit of work (a step, a GRPO cycle, a mining pass, a phase change); false when the run is over */
  private async advance(): Promise<boolean> {
    await this.gate();
    if (this.phase === 'sft') {
      const loop = this.sftLoop();
      if (loop.done) {
        await this.emitEvent({ step: this.globalStep, kind: 'sft_end', reason: `SFT finished: ${this.sftState.step} steps over ${this.examples.length} examples (${this.sftState.epoch} full epochs)`, values: { steps: this.sftState.step, examples: this.examples.length, dropped_examples: this.droppedSft, tokens: this.sftState.tokens_seen } });
        await this.startGrpo();
        await this.checkpoint('sft');
        return true;
      }
      const row = await loop.step();
      this.sftState = loop.state;
      await this.afterRows([row]);
      return true;
    }
    if (this.phase === 'grpo') {
      const s = this.settings.grpo;
      if (this.grpoState.step >= s.max_steps) {
        // the end: inside the recovery loop, so a device lost while saving replays from the last checkpoint
        this.phase = 'done';
        await this.emitEvent({ step: this.globalStep, kind: 'run_end', reason: `run finished after ${this.sftState.step} SFT and ${this.grpoState.step} GRPO steps`, values: { sft_steps: this.sftState.step, grpo_steps: this.grpoState.step, skipped_steps: this.skippedTotal, recoveries: this.recoveries, elapsed_s: this.elapsed } });
        await this.checkpoint(this.curriculumState?.stage === 2 ? 'rl_stage2' : 'final');
        return false;
      }
      const cur = this.curriculum();
      if (cur.pendingMine) {
        this.progress('mining', { mining: { done: 0, total: this.inputs.rl.length } });
        const ev = await cur.mine(this.policy!, this.inputs.tokenizer, this.grpoState.step, this.globalStep, {
          onProgress: (p) => this.progress('mining', { mining: p }),
          between: async () => {
            await this.gate();
            this.statusNow = 'mining';
          },
          chunkItems: Math.max(1, Math.floor(this.settings.generation_batch_rows / this.settings.curriculum.mine_samples)),
        });
        this.curriculumState = cur.state;
        await this.emitEvent(ev);
        this.progress('running');
        return true;
      }
      const loop = this.grpoLoop();
      const items = cur.nextItems(this.grpoState.step);
      const stage = cur.stage;
      const before = this.grpoState.step;
      const res = await loop.cycle(items, cur.numGenerations, stage);
      this.grpoState = loop.state;
      let plateau: CurriculumEvent | null = null;
      res.rows.forEach((row, i) => {
        plateau = cur.observe(before + i + 1, row.step, row.reward ?? 0, row.frac_reward_zero_std ?? 0) ?? plateau;
      });
      this.curriculumState = cur.state;
      if (res.rollouts.length) await this.cb.onRollouts?.(res.rollouts);
      await this.afterRows(res.rows);
      if (plateau) {
        await this.emitEvent(plateau);
        await this.checkpoint('rl_stage1');
      }
      return true;
    }
    return false; // phase 'done': a checkpoint of a finished run resumes to nothing more
  }

  /** stream rows, count NaN/Inf skips, take the periodic checkpoint when a multiple of checkpoint_every was crossed */
  private async afterRows(rows: MetricsRow[]): Promise<void> {
    for (const row of rows) {
      await this.cb.onMetrics?.(row);
      if (row.skipped) {
        this.consecutiveSkips++;
        this.skippedTotal++;
        if (this.consecutiveSkips >= this.settings.max_consecutive_skips)
          throw new Error(
            `${this.consecutiveSkips} steps in a row had a NaN or infinite loss or gradient (last at step ${row.step}, learning rate ${row.learning_rate.toExponential(2)}); ` +
              `each was skipped without changing the weights. Lower the learning rate or max_grad_norm and resume from the checkpoint at step ${this.lastCheckpoint?.step ?? 0}.`,
          );
      } else this.consecutiveSkips = 0;
    }
    this.progress('running');
    const every = this.settings.checkpoint_every;
    if (every > 0 && rows.length) {
      const end = this.globalStep;
      const start = end - rows.length;
      if (Math.floor(end / every) > Math.floor(start / every)) await this.checkpoint('periodic');
    }
  }

  private async emitEvent(ev: CurriculumEvent): Promise<void> {
    await this.cb.onEvent?.(ev);
  }

  // ---- loops (rebuilt from the state after a restore) ------------------------------------

  private sft: SftLoop | null = null;
  private grpo: GrpoLoop | null = null;
  private cur: CurriculumRunner | null = null;

  private sftLoop(): SftLoop {
    this.sft ??= new SftLoop(this.policy!, this.examples, this.settings.sft, { seed: this.settings.seed, padId: this.inputs.tokenizer.specials.pad, adam: this.settings.adam }, this.sftState);
    return this.sft;
  }

  private grpoLoop(): GrpoLoop {
    const s = this.settings;
    this.grpo ??= new GrpoLoop(
      this.policy!,
      this.inputs.tokenizer,
      s.grpo,
      { seed: s.seed, adam: s.adam, micro_batch_rows: s.micro_batch_rows, generation_batch_rows: s.generation_batch_rows, record_token_logprobs: s.record_token_logprobs, step_offset: this.sftState.step },
      this.reference,
      this.grpoState,
    );
    return this.grpo;
  }

  private curriculum(): CurriculumRunner {
    this.cur ??= new CurriculumRunner(this.inputs.rl, this.settings.curriculum, this.settings.grpo, this.settings.seed, this.curriculumState ?? undefined);
    return this.cur;
  }

  private resetLoops(): void {
    this.sft = null;
    this.grpo = null;
    this.cur = null;
  }

  // ---- model lifecycle ----------------------------------------------------------------------

  private async fresh(): Promise<void> {
    const cfg = this.inputs.model_config;
    this.policy = await this.deps.createModel(cfg, 'policy');
    const w = this.inputs.base_weights ?? initWeights(cfg, deriveSeed(this.settings.seed, 'init'));
    checkWeights(cfg, w);
    await this.policy.setWeights(w);
    if (this.settings.lora) {
      if (!this.policy.enableLora || !this.policy.getLoraWeights) throw new Error(`this ${this.policy.backend} model cannot train LoRA adapters`);
      await this.policy.enableLora(this.settings.lora, deriveSeed(this.settings.seed, 'lora'));
    }
    this.phase = this.settings.sft.max_steps > 0 ? 'sft' : 'grpo';
    if (this.phase === 'grpo') await this.startGrpo();
    await this.checkpoint('base');
  }

  /** the SFT → GRPO hand-over: a fresh optimizer (TRL runs them as two trainers), the frozen reference, stage 1 */
  private async startGrpo(): Promise<void> {
    this.phase = 'grpo';
    const opt = await this.policy!.getOptimizerState();
    await this.policy!.setOptimizerState({ step: 0, m: zerosLike(opt.m), v: zerosLike(opt.v) });
    if (this.settings.grpo.max_steps === 0) return; // SFT only
    if (this.settings.grpo.beta > 0) {
      this.referenceWeights = copyWeights(await this.policy!.getWeights());
      this.reference = await this.deps.createModel(this.inputs.model_config, 'reference');
      await this.reference.setWeights(this.referenceWeights);
    }
    this.grpoState = initialGrpoState();
    this.curriculumState = null;
    this.resetLoops();
    const cur = this.curriculum();
    this.curriculumState = cur.state;
    const pool = this.inputs.rl.filter((i) => this.settings.curriculum.stage1_tiers.includes(i.difficulty)).length;
    await this.emitEvent({
      step: this.globalStep,
      kind: 'stage1_start',
      reason: `GRPO stage 1 on ${this.settings.curriculum.stage1_tiers.join(' + ')} items (${pool} of ${this.inputs.rl.length}), ${cur.numGenerations} completions per prompt`,
      values: { items: pool, total_items: this.inputs.rl.length, num_generations: cur.numGenerations, prompts_per_step: this.settings.grpo.prompts_per_step },
    });
  }

  private disposeModels(): void {
    for (const m of [this.policy, this.reference]) {
      try {
        m?.dispose();
      } catch {
        /* a lost device's buffers are gone already */
      }
    }
    this.policy = null;
    this.reference = null;
    this.resetLoops();
  }

  // ---- checkpoints -----------------------------------------------------------------------------

  private async checkpoint(label: CheckpointLabel): Promise<Checkpoint> {
    const weights = await this.policy!.getWeights();
    const opt = await this.policy!.getOptimizerState();
    const tensors = new Map<string, Float32Array>();
    const shapes = new Map<string, number[]>();
    const add = (entries: Array<[string, Float32Array]>) => {
      for (const [k, v] of entries) {
        tensors.set(k, new Float32Array(v));
        shapes.set(k, [v.length]);
      }
    };
    add(prefixed(W, weights));
    if (this.settings.lora) add(prefixed(LORA, await this.policy!.getLoraWeights!()));
    add(prefixed(M, opt.m));
    add(prefixed(V, opt.v));
    if (this.referenceWeights) add(prefixed(REF, this.referenceWeights));
    const state: CheckpointState = {
      format: 'fleming-run-checkpoint',
      version: 1,
      settings: structuredClone(this.settings),
      model_config: { ...this.inputs.model_config },
      tokenizer: this.inputs.tokenizer.toJSON(),
      phase: this.phase,
      stage: this.stage,
      sft: { ...this.sftState },
      grpo: { ...this.grpoState },
      curriculum: this.curriculumState ? structuredClone(this.curriculumState) : null,
      optimizer_step: opt.step,
      rng: { seed: this.settings.seed, scheme: 'counter-hash-v1' },
      consecutive_skips: this.consecutiveSkips,
      elapsed_s: this.elapsed,
    };
    const ck: Checkpoint = {
      step: this.globalStep,
      label,
      // the phase and stage the checkpoint closes (state.phase says what comes next)
      phase: label === 'sft' || label === 'base' || this.phase === 'sft' ? 'sft' : 'grpo',
      stage: label === 'sft' || label === 'base' ? 0 : label === 'rl_stage1' ? 1 : this.stage,
      createdAt: new Date().toISOString(),
      tensors,
      shapes,
      state,
    };
    this.lastCheckpoint = ck;
    await this.cb.onCheckpoint?.(ck);
    return ck;
  }

  private async restore(ck: Checkpoint): Promise<void> {
    const st = ck.state;
    if (st?.format !== 'fleming-run-checkpoint') throw new Error('not a run checkpoint (its state has no "fleming-run-checkpoint" format mark)');
    const cfg = this.inputs.model_config;
    for (const k of Object.keys(cfg) as (keyof LlamaConfig)[])
      if (st.model_config[k] !== cfg[k]) throw new Error(`the checkpoint's model ${k} is ${String(st.model_config[k])}, this run's is ${String(cfg[k])}`);
    this.disposeModels();
    this.policy = await this.deps.createModel(cfg, 'policy');
    if (this.settings.lora) {
      // the adapters train, the base is frozen: base weights from the run's inputs, adapters from the checkpoint
      if (!this.inputs.base_weights) throw new Error('a LoRA checkpoint resumes on its base model: load the base checkpoint folder again (inputs.base_weights)');
      if (!this.policy.enableLora || !this.policy.setLoraWeights) throw new Error(`this ${this.policy.backend} model cannot train LoRA adapters`);
      checkWeights(cfg, this.inputs.base_weights);
      await this.policy.setWeights(this.inputs.base_weights);
      await this.policy.enableLora(this.settings.lora, deriveSeed(this.settings.seed, 'lora'));
      await this.policy.setLoraWeights(unprefixed(ck.tensors, LORA));
    } else {
      const weights = unprefixed(ck.tensors, W);
      checkWeights(cfg, weights);
      await this.policy.setWeights(weights);
    }
    await this.policy.setOptimizerState({ step: st.optimizer_step, m: unprefixed(ck.tensors, M), v: unprefixed(ck.tensors, V) });
    const ref = unprefixed(ck.tensors, REF);
    this.referenceWeights = ref.size ? ref : null;
    if (this.referenceWeights) {
      this.reference = await this.deps.createModel(cfg, 'reference');
      await this.reference.setWeights(this.referenceWeights);
    }
    this.phase = st.phase;
    this.sftState = { ...st.sft };
    this.grpoState = { ...st.grpo };
    this.curriculumState = st.curriculum ? structuredClone(st.curriculum) : null;
    this.consecutiveSkips = st.consecutive_skips;
    this.elapsed = st.elapsed_s;
    this.lastCheckpoint = ck;
    this.resetLoops();
  }
}

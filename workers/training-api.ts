/**
 * The typed contract between the UI and the training worker (comlink RPC). The worker owns the
 * GPU device, the model and the Run; it stores everything the run streams in IndexedDB itself
 * (storage/run-store.ts) and sends the UI small batches (at most a few per second) to draw.
 * The same worker file also serves the Learn GRPO classroom (a separate Worker instance).
 */
import type { CurriculumEvent, MetricsRow, RolloutRecord } from '../src/training/rl/types';
import type { PresetName } from '../src/training/model/config';
import type { RunProgress } from '../src/training/run/run';
import type { RunSettings } from '../src/training/run/settings';
import type { AblationResult, AblationRow, DatasetSummary, RunRecord } from '../src/storage/run-store';
import type { Difficulty } from '../src/synthesis/record';
import type { ClassroomCompletion, ClassroomSettings } from '../src/ui/learn/grpo-step';

/** What a run trains on. */
export type DataChoice =
  | {
      /** the built-in task a small model can learn (closed-book over a fixed KG region; src/training/task) */
      kind: 'kg-task';
      /** task size: "tiny" for tests and demos (seconds per step on a software GPU), "standard" */
      size: 'tiny' | 'small' | 'standard';
      seed: number;
    }
  | {
      /** curated questions from the Questions view, with their trajectories for SFT */
      kind: 'questions';
      /** accepted only, or every question not rejected */
      status: 'accepted' | 'not-rejected';
      /** share of items held out for evaluation (by a hash of the id, so it is stable) */
      heldout_share: number;
      /** BPE vocabulary size when training a tokenizer for a preset model */
      vocab_size: number;
      max_items: number;
    };

/** Where the model comes from. */
export type ModelChoice =
  | { kind: 'preset'; preset: PresetName }
  /** a Hugging Face Llama checkpoint folder picked by the user: the relevant files by name (hf/browser-files filesFromPicked) */
  | { kind: 'hf-files'; name: string; files: Array<{ name: string; file: Blob }> }
  /** downloaded in the browser from huggingface.co */
  | { kind: 'hf-hub'; model_id: string; revision?: string };

export type Backend = 'auto' | 'webgpu' | 'cpu';

export interface StartRequest {
  name: string;
  data: DataChoice;
  model: ModelChoice;
  settings: RunSettings;
  backend: Backend;
}

/** Preparing a run (data, tokenizer, model download) before its first step. */
export interface PrepareProgress {
  stage: 'data' | 'tokenizer' | 'model' | 'device' | 'checkpoint';
  message: string;
  done?: number;
  total?: number;
}

/** One batch from the worker: what changed since the last one. */
export interface StreamMessage {
  runId: string;
  metrics: MetricsRow[];
  events: CurriculumEvent[];
  /** the latest complete group per tier among the rollouts since the last message */
  groups: Partial<Record<Difficulty, RolloutRecord[]>>;
  progress: RunProgress | null;
  prepare: PrepareProgress | null;
  /** the stored run record, when it changed (status, checkpoint, held-out result) */
  run: RunRecord | null;
  /** the run stopped on an error (storage full, device lost too often …), in words */
  error: string | null;
}

export type { AblationResult, AblationRow };

export interface AblationProgress {
  row: AblationRow['row'];
  done: number;
  total: number;
}

/** Files to save: name → bytes. */
export type ExportedFiles = Array<{ name: string; bytes: Uint8Array }>;

// ---- Learn GRPO classroom ---------------------------------------------------------------------

export type ClassroomSource =
  /** a checkpoint of a stored run */
  | { kind: 'run'; runId: string; step: number }
  /** a fresh micro model trained for a few SFT steps right here, on the tiny built-in task */
  | { kind: 'warmup'; sft_steps: number; seed: number };

export interface ClassroomInfo {
  backend: 'webgpu' | 'cpu';
  device: string;
  parameters: number;
  /** prompts to pick from: id, tier, text */
  prompts: Array<{ id: string; difficulty: Difficulty; text: string; gold: string }>;
}

export interface ClassroomGroup {
  promptId: string;
  prompt: string;
  gold: string;
  completions: Array<ClassroomCompletion & { text: string }>;
}

export interface ClassroomStepResult {
  /** per-token log-probs of the same completions after the update */
  after: number[][];
  /** the trainer's own numbers for the step (trainStep result) */
  loss: number;
  grad_norm: number;
  clip_ratio: number;
  applied: boolean;
  /** updates applied on these rollouts so far */
  iteration: number;
}

export interface TrainingWorkerApi {
  /** the set a DataChoice gives: sizes, tiers, imported share (no training) */
  describeData(data: DataChoice): Promise<DatasetSummary>;
  /** create the run record and start training; resolves with the run id once it is stored */
  start(req: StartRequest, onStream: (m: StreamMessage) => void): Promise<string>;
  /** continue a paused, stopped or interrupted run from its last checkpoint */
  resumeRun(runId: string, backend: Backend, onStream: (m: StreamMessage) => void): Promise<void>;
  /** between steps */
  pause(): void;
  resume(): void;
  /** finish the step, checkpoint, stop */
  stop(): void;
  /** the Table-4 ablation from the run's stage-end checkpoints, on its held-out items */
  ablation(runId: string, onProgress: (p: AblationProgress) => void): Promise<AblationResult>;
  /** a checkpoint as a Hugging Face folder (model.safetensors, config.json, tokenizer files) */
  exportCheckpoint(runId: string, step: number): Promise<ExportedFiles>;
  /** dataset + Python reward function + GRPOConfig-style config to run the recipe under TRL / verl */
  exportScaleOut(runId: string): Promise<ExportedFiles>;

  classroomOpen(source: ClassroomSource, backend: Backend, onProgress: (p: PrepareProgress) => void): Promise<ClassroomInfo>;
  /** sample G completions of one prompt from the current policy (their log-probs under it, and under the reference) */
  classroomSample(opts: { promptId: string; G: number; temperature: number; max_completion_length: number; seed: number }): Promise<ClassroomGroup>;
  /** exactly one optimizer update on the current group with these settings, then the new log-probs */
  classroomStep(settings: ClassroomSettings & { learning_rate: number; advantages: number[] }): Promise<ClassroomStepResult>;
  /** back to the weights the classroom opened with */
  classroomReset(): Promise<void>;

  /** test-only fault injection (training/test-hooks.ts): the page calls it only when opened with ?testhooks */
  enableTestHooks(): void;
}

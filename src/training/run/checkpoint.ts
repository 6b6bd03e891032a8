/**
 * A checkpoint: everything a run needs to continue exactly where it was. Plain data: tensors by
 * name (float32) and a JSON state, so the training worker stores it in IndexedDB as is
 * (storage/run-store.ts putCheckpoint: tensors + `state`) and `checkpointToBytes` writes it as one
 * safetensors file (the JSON state in the header's __metadata__), e.g. for download.
 *
 * Tensor names: "weights/<HF name>" (always: what the model computes with, LoRA merged, so it
 * exports and evaluates as is), "adam_m/<name>" and "adam_v/<name>" (AdamW moments of the trainable
 * tensors), "ref/<HF name>" (the frozen reference policy, GRPO with beta > 0), and for a LoRA run
 * "lora/<name>" (the adapters; the frozen base is not stored again: a LoRA run resumes on its base).
 */
import { readSafetensors, writeSafetensors } from '../hf/safetensors';
import type { CurriculumState } from './curriculum-runner';
import type { LlamaConfig, Weights } from '../model/config';
import type { GrpoState } from './grpo';
import type { RunSettings } from './settings';
import type { SftState } from './sft';

/** why the checkpoint was taken; stage ends feed the Table-4 ablation (base → sft → rl_stage1 → rl_stage2) */
export type CheckpointLabel = 'base' | 'sft' | 'rl_stage1' | 'rl_stage2' | 'periodic' | 'final';

export interface CheckpointState {
  format: 'fleming-run-checkpoint';
  version: 1;
  settings: RunSettings;
  model_config: LlamaConfig;
  /** Hugging Face tokenizer.json object */
  tokenizer: Record<string, unknown>;
  /** what the run is about to do next */
  phase: 'sft' | 'grpo' | 'done';
  stage: 0 | 1 | 2;
  sft: SftState;
  grpo: GrpoState;
  curriculum: CurriculumState | null;
  /** AdamW step count (bias correction) */
  optimizer_step: number;
  /** every random draw is seeded from (seed, where), so the seed and the counters above are the whole RNG state */
  rng: { seed: number; scheme: 'counter-hash-v1' };
  /** consecutive NaN/Inf-skipped steps at this point */
  consecutive_skips: number;
  /** time spent training so far, s */
  elapsed_s: number;
}

export interface Checkpoint {
  /** run-global optimizer step (SFT steps, then GRPO steps) */
  step: number;
  label: CheckpointLabel;
  phase: 'sft' | 'grpo';
  stage: 0 | 1 | 2;
  createdAt: string;
  tensors: Map<string, Float32Array>;
  shapes: Map<string, number[]>;
  state: CheckpointState;
}

export const W = 'weights/';
export const M = 'adam_m/';
export const V = 'adam_v/';
export const REF = 'ref/';
export const LORA = 'lora/';

export function prefixed(prefix: string, w: Weights): Array<[string, Float32Array]> {
  return [...w].map(([k, v]) => [prefix + k, v]);
}

/** the tensors under one prefix, names without it */
export function unprefixed(tensors: ReadonlyMap<string, Float32Array>, prefix: string): Weights {
  const out: Weights = new Map();
  for (const [k, v] of tensors) if (k.startsWith(prefix)) out.set(k.slice(prefix.length), v);
  return out;
}

const META_KEY = 'fleming_run_checkpoint';

/**
 * The checkpoint as one safetensors file: every tensor (F32, its shape), and in __metadata__ the
 * JSON of step, label, phase, stage, createdAt and state. Readable by any safetensors reader.
 */
export function checkpointToBytes(ck: Checkpoint): Uint8Array {
  const meta = { step: ck.step, label: ck.label, phase: ck.phase, stage: ck.stage, createdAt: ck.createdAt, state: ck.state };
  return writeSafetensors(
    [...ck.tensors].map(([name, data]) => ({ name, shape: ck.shapes.get(name) ?? [data.length], data })),
    { [META_KEY]: JSON.stringify(meta) },
  );
}

export async function checkpointFromBytes(bytes: Uint8Array | Blob, fileName = 'checkpoint.safetensors'): Promise<Checkpoint> {
  const { tensors, metadata } = await readSafetensors(bytes, fileName);
  const raw = metadata[META_KEY];
  if (!raw) throw new Error(`${fileName}: a safetensors file, but not a run checkpoint (no "${META_KEY}" entry in its __metadata__); an exported model folder is loaded with --base instead`);
  let meta: Omit<Checkpoint, 'tensors' | 'shapes'>;
  try {
    meta = JSON.parse(raw);
  } catch (e) {
    throw new Error(`${fileName}: the run state in __metadata__ is not valid JSON (${(e as Error).message})`);
  }
  if (meta.state?.format !== 'fleming-run-checkpoint') throw new Error(`${fileName}: unknown run checkpoint format ${JSON.stringify(meta.state?.format)}`);
  if (meta.state.version !== 1) throw new Error(`${fileName}: run checkpoint version ${meta.state.version} is newer than this program reads (1)`);
  const t = new Map<string, Float32Array>();
  const shapes = new Map<string, number[]>();
  for (const [name, x] of tensors) {
    t.set(name, x.data);
    shapes.set(name, x.shape);
  }
  return { ...meta, tensors: t, shapes };
}

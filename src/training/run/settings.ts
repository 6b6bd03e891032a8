/**
 * Everything a run is started with, as plain JSON (stored in every checkpoint, so a run can be
 * resumed, compared and exported). TRL names for the SFT / GRPO settings; the run-level knobs
 * (checkpoint cadence, memory chunking) are ours.
 */
import type { LoraSettings } from '../model/causal-lm';
import type { PresetName } from '../model/config';
import { DEFAULT_CURRICULUM, DEFAULT_GRPO, DEFAULT_SFT, resolveGrpoSettings, validateCurriculum, validateGrpo, validateSft } from '../rl/defaults';
import type { CurriculumSettings, GrpoSettings, SftSettings } from '../rl/types';
import { type AdamSettings, DEFAULT_ADAM } from './sft';

export type ModelSourceSettings = { kind: 'preset'; preset: PresetName } | { kind: 'hf'; name: string };

export interface RunSettings {
  seed: number;
  model: ModelSourceSettings;
  /** LoRA on a loaded base (null: full fine-tuning) */
  lora: LoraSettings | null;
  sft: SftSettings;
  grpo: GrpoSettings;
  curriculum: CurriculumSettings;
  adam: AdamSettings;
  /** a periodic checkpoint every N optimizer steps (0 = only at phase and stage ends) */
  checkpoint_every: number;
  /** stop the run after this many NaN/Inf steps in a row (each is skipped, weights unchanged) */
  max_consecutive_skips: number;
  /** rows per trainStep micro-batch in GRPO (memory knob; same loss for any value) */
  micro_batch_rows: number;
  /** rows per generate() call (memory knob for the KV cache) */
  generation_batch_rows: number;
  /** keep per-token log-probs in the rollout records (Learn GRPO, inspector) */
  record_token_logprobs: boolean;
}

export type RunSettingsInput = Partial<Omit<RunSettings, 'sft' | 'grpo' | 'curriculum' | 'adam'>> & {
  sft?: Partial<SftSettings>;
  grpo?: Partial<GrpoSettings>;
  curriculum?: Partial<CurriculumSettings>;
  adam?: Partial<AdamSettings>;
};

export function resolveRunSettings(input: RunSettingsInput = {}): RunSettings {
  return {
    seed: input.seed ?? 1,
    model: input.model ?? { kind: 'preset', preset: 'micro' },
    lora: input.lora ?? null,
    sft: { ...DEFAULT_SFT, ...input.sft },
    grpo: resolveGrpoSettings(input.grpo),
    curriculum: { ...DEFAULT_CURRICULUM, ...input.curriculum },
    adam: { ...DEFAULT_ADAM, ...input.adam },
    checkpoint_every: input.checkpoint_every ?? 50,
    max_consecutive_skips: input.max_consecutive_skips ?? 5,
    micro_batch_rows: input.micro_batch_rows ?? 64,
    generation_batch_rows: input.generation_batch_rows ?? 256,
    record_token_logprobs: input.record_token_logprobs ?? true,
  };
}

export function validateRunSettings(s: RunSettings): string[] {
  const errs = [...validateSft(s.sft), ...validateGrpo(s.grpo), ...validateCurriculum(s.curriculum)];
  if (!Number.isInteger(s.seed) || s.seed < 0) errs.push(`seed must be an integer ≥ 0, got ${JSON.stringify(s.seed)}`);
  for (const k of ['checkpoint_every'] as const) if (!Number.isInteger(s[k]) || s[k] < 0) errs.push(`${k} must be an integer ≥ 0, got ${JSON.stringify(s[k])}`);
  for (const k of ['max_consecutive_skips', 'micro_batch_rows', 'generation_batch_rows'] as const)
    if (!Number.isInteger(s[k]) || s[k] < 1) errs.push(`${k} must be a positive integer, got ${JSON.stringify(s[k])}`);
  for (const k of ['beta1', 'beta2'] as const) if (!(s.adam[k] >= 0 && s.adam[k] < 1)) errs.push(`adam.${k} must be in [0, 1), got ${JSON.stringify(s.adam[k])}`);
  if (!(s.adam.eps > 0)) errs.push(`adam.eps must be > 0, got ${JSON.stringify(s.adam.eps)}`);
  return errs;
}

export { DEFAULT_GRPO, DEFAULT_SFT, DEFAULT_CURRICULUM };

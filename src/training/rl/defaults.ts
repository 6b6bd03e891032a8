/**
 * Default settings and their validation. GRPO defaults are today's TRL GRPOConfig defaults where
 * they suit a small model trained from scratch (loss_type "dapo", beta 0, epsilon 0.2, one
 * iteration, scale_rewards "group", temperature 1, top_p 1); the learning rates are those of a
 * tiny model (TRL's 1e-6 is for billion-parameter bases). Where we differ from TRL it is said.
 */
import { SCALE_REWARDS } from '../../gpu/kernels/grpo-cpu';
import { DIFFICULTIES } from '../../synthesis/record';
import type { CurriculumSettings, GrpoSettings, SftSettings } from './types';

export const GRPO_LOSS_TYPES = ['grpo', 'dr_grpo', 'dapo', 'bnpo', 'paper', 'cispo'] as const;
export const LR_SCHEDULER_TYPES = ['cosine', 'linear', 'constant', 'constant_with_warmup'] as const;

export const DEFAULT_SFT: SftSettings = {
  max_steps: 200,
  per_device_train_batch_size: 16,
  gradient_accumulation_steps: 1,
  learning_rate: 3e-3,
  warmup_ratio: 0.05,
  lr_scheduler_type: 'cosine',
  weight_decay: 0.0,
  max_grad_norm: 1.0,
  max_length: 256,
};

export const DEFAULT_GRPO: GrpoSettings = {
  max_steps: 100,
  prompts_per_step: 8,
  num_generations: 8,
  max_completion_length: 64,
  temperature: 1.0,
  top_p: 1.0,
  learning_rate: 5e-4,
  lr_scheduler_type: 'constant',
  warmup_ratio: 0.0,
  weight_decay: 0.0,
  max_grad_norm: 1.0,
  loss_type: 'dapo',
  scale_rewards: 'group',
  beta: 0.0,
  epsilon: 0.2,
  epsilon_high: 0.2,
  num_iterations: 1,
  // TRL's default is false; DAPO's overlong filtering (true) keeps a cut-off chain from being
  // scored as if it were a finished answer, which matters when completions are short
  mask_truncated_completions: true,
  reward_weights: [1.0, 0.5],
};

export const DEFAULT_CURRICULUM: CurriculumSettings = {
  stage1_tiers: ['easy', 'moderate'],
  plateau_window: 20,
  plateau_slope: 0.002,
  plateau_zero_std: 0.8,
  stage1_max_steps: 100,
  mine_samples: 4,
  remine_every: 25,
  stage2_num_generations: 12,
  stage2_replay: 0.25,
};

/**
 * GRPO settings from a partial object: epsilon_high follows epsilon unless given (TRL: "if not
 * specified, it defaults to the same value as the lower-bound epsilon").
 */
export function resolveGrpoSettings(partial: Partial<GrpoSettings> = {}): GrpoSettings {
  const s = { ...DEFAULT_GRPO, ...partial };
  if (partial.epsilon_high === undefined) s.epsilon_high = s.epsilon;
  return s;
}

const posInt = (errs: string[], where: string, o: Record<string, unknown>, k: string) => {
  const v = o[k];
  if (!Number.isInteger(v) || (v as number) < 1) errs.push(`${where}.${k} must be a positive integer, got ${JSON.stringify(v)}`);
};
const nonNeg = (errs: string[], where: string, o: Record<string, unknown>, k: string) => {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) errs.push(`${where}.${k} must be a number ≥ 0, got ${JSON.stringify(v)}`);
};
const unit = (errs: string[], where: string, o: Record<string, unknown>, k: string) => {
  const v = o[k];
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) errs.push(`${where}.${k} must be between 0 and 1, got ${JSON.stringify(v)}`);
};
const oneOf = (errs: string[], where: string, o: Record<string, unknown>, k: string, allowed: readonly string[]) => {
  if (!allowed.includes(o[k] as string)) errs.push(`${where}.${k} must be one of ${allowed.join(', ')}, got ${JSON.stringify(o[k])}`);
};

/** Problems with SFT settings, each naming the field: [] when usable. max_steps may be 0 (no SFT). */
export function validateSft(s: SftSettings, where = 'sft'): string[] {
  const errs: string[] = [];
  const o = s as unknown as Record<string, unknown>;
  if (!Number.isInteger(s.max_steps) || s.max_steps < 0) errs.push(`${where}.max_steps must be an integer ≥ 0, got ${JSON.stringify(s.max_steps)}`);
  for (const k of ['per_device_train_batch_size', 'gradient_accumulation_steps', 'max_length']) posInt(errs, where, o, k);
  for (const k of ['learning_rate', 'weight_decay', 'max_grad_norm']) nonNeg(errs, where, o, k);
  unit(errs, where, o, 'warmup_ratio');
  oneOf(errs, where, o, 'lr_scheduler_type', LR_SCHEDULER_TYPES);
  return errs;
}

export function validateGrpo(s: GrpoSettings, where = 'grpo'): string[] {
  const errs: string[] = [];
  const o = s as unknown as Record<string, unknown>;
  if (!Number.isInteger(s.max_steps) || s.max_steps < 0) errs.push(`${where}.max_steps must be an integer ≥ 0, got ${JSON.stringify(s.max_steps)}`);
  for (const k of ['prompts_per_step', 'max_completion_length', 'num_iterations']) posInt(errs, where, o, k);
  if (!Number.isInteger(s.num_generations) || s.num_generations < 2) errs.push(`${where}.num_generations must be an integer ≥ 2 (a group needs two completions to compare), got ${JSON.stringify(s.num_generations)}`);
  for (const k of ['learning_rate', 'weight_decay', 'max_grad_norm', 'beta', 'epsilon', 'epsilon_high']) nonNeg(errs, where, o, k);
  if (typeof s.temperature !== 'number' || !(s.temperature > 0)) errs.push(`${where}.temperature must be > 0 (GRPO samples; 0 would be greedy and every group identical), got ${JSON.stringify(s.temperature)}`);
  unit(errs, where, o, 'warmup_ratio');
  if (!(s.top_p > 0 && s.top_p <= 1)) errs.push(`${where}.top_p must be in (0, 1], got ${JSON.stringify(s.top_p)}`);
  oneOf(errs, where, o, 'lr_scheduler_type', LR_SCHEDULER_TYPES);
  oneOf(errs, where, o, 'loss_type', GRPO_LOSS_TYPES);
  oneOf(errs, where, o, 'scale_rewards', SCALE_REWARDS);
  if (!Array.isArray(s.reward_weights) || s.reward_weights.length !== 2 || s.reward_weights.some((w) => typeof w !== 'number' || !Number.isFinite(w)))
    errs.push(`${where}.reward_weights must be [correctness, format] numbers, got ${JSON.stringify(s.reward_weights)}`);
  if (typeof s.mask_truncated_completions !== 'boolean') errs.push(`${where}.mask_truncated_completions must be true or false`);
  return errs;
}

export function validateCurriculum(s: CurriculumSettings, where = 'curriculum'): string[] {
  const errs: string[] = [];
  const o = s as unknown as Record<string, unknown>;
  if (!Array.isArray(s.stage1_tiers) || s.stage1_tiers.length === 0 || s.stage1_tiers.some((t) => !DIFFICULTIES.includes(t)))
    errs.push(`${where}.stage1_tiers must list tiers among ${DIFFICULTIES.join(', ')}, got ${JSON.stringify(s.stage1_tiers)}`);
  for (const k of ['plateau_window', 'mine_samples', 'remine_every']) posInt(errs, where, o, k);
  if (!Number.isInteger(s.stage1_max_steps) || s.stage1_max_steps < 0) errs.push(`${where}.stage1_max_steps must be an integer ≥ 0, got ${JSON.stringify(s.stage1_max_steps)}`);
  if (!Number.isInteger(s.stage2_num_generations) || s.stage2_num_generations < 2) errs.push(`${where}.stage2_num_generations must be an integer ≥ 2, got ${JSON.stringify(s.stage2_num_generations)}`);
  nonNeg(errs, where, o, 'plateau_slope');
  unit(errs, where, o, 'plateau_zero_std');
  unit(errs, where, o, 'stage2_replay');
  return errs;
}

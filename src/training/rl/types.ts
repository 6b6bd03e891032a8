/**
 * Settings and records of a training run, named as TRL's SFTConfig / GRPOConfig and its logged
 * metrics, so a run here reads like a TRL run and the scale-out export maps one to one.
 */
import type { LossType, ScaleRewards } from '../../gpu/kernels/grpo-cpu';
import type { Difficulty } from '../../synthesis/record';

export interface SftSettings {
  max_steps: number;
  per_device_train_batch_size: number;
  gradient_accumulation_steps: number;
  learning_rate: number;
  warmup_ratio: number;
  lr_scheduler_type: 'cosine' | 'constant_with_warmup' | 'linear';
  weight_decay: number;
  max_grad_norm: number;
  /** truncate prompt+completion to this many tokens */
  max_length: number;
}

export interface GrpoSettings {
  max_steps: number;
  /** prompts per step (TRL: per_device_train_batch_size / num_generations) */
  prompts_per_step: number;
  num_generations: number;
  max_completion_length: number;
  temperature: number;
  top_p: number;
  learning_rate: number;
  lr_scheduler_type: 'cosine' | 'constant_with_warmup' | 'linear' | 'constant';
  warmup_ratio: number;
  weight_decay: number;
  max_grad_norm: number;
  loss_type: LossType | 'bnpo' | 'cispo';
  scale_rewards: ScaleRewards;
  beta: number;
  epsilon: number;
  epsilon_high: number;
  num_iterations: number;
  mask_truncated_completions: boolean;
  /** reward = reward_weights[0]·correctness + reward_weights[1]·format */
  reward_weights: [number, number];
}

/** The paper's two-stage curriculum (§3.3) and its plateau detector. */
export interface CurriculumSettings {
  /** stage 1 draws these tiers */
  stage1_tiers: Difficulty[];
  /** moving-average window (steps) of the stage-1 reward */
  plateau_window: number;
  /** plateau when the least-squares slope of the moving average over the window is below this (reward per step) */
  plateau_slope: number;
  /** or when frac_reward_zero_std stays above this over the window */
  plateau_zero_std: number;
  /** hard cap on stage-1 steps */
  stage1_max_steps: number;
  /** stage 2: samples per item when scoring the policy on the whole training set */
  mine_samples: number;
  /** re-mine every N stage-2 steps */
  remine_every: number;
  /** num_generations in stage 2 (raised from stage 1's) */
  stage2_num_generations: number;
  /** share of each stage-2 batch drawn from items already solved (replay against forgetting) */
  stage2_replay: number;
}

export interface TierMetrics {
  reward: number;
  accuracy: number;
  format: number;
  n: number;
}

/** One row per optimizer step, TRL's metric names. */
export interface MetricsRow {
  step: number;
  phase: 'sft' | 'grpo';
  stage: 0 | 1 | 2;
  loss: number;
  learning_rate: number;
  grad_norm: number;
  num_tokens: number;
  step_time: number;
  tokens_per_s: number;
  entropy: number;
  reward?: number;
  reward_std?: number;
  frac_reward_zero_std?: number;
  'completions/mean_length'?: number;
  'completions/min_length'?: number;
  'completions/max_length'?: number;
  'completions/clipped_ratio'?: number;
  kl?: number;
  'clip_ratio/low_mean'?: number;
  'clip_ratio/high_mean'?: number;
  'clip_ratio/region_mean'?: number;
  /** SFT: share of completion tokens predicted exactly (argmax) */
  mean_token_accuracy?: number;
  per_tier?: Partial<Record<Difficulty, TierMetrics>>;
  /** NaN/Inf step skipped */
  skipped?: boolean;
}

export interface RolloutRecord {
  step: number;
  question_id: string;
  difficulty: Difficulty;
  /** index of the group in the step and of the completion in the group */
  group: number;
  index: number;
  prompt: string;
  completion: string;
  reward: number;
  correctness: number;
  format: number;
  advantage: number;
  truncated: boolean;
  /** per completion token: the token text and its share of the gradient signal (Learn GRPO, inspector) */
  tokens?: { text: string; logprob: number }[];
}

export type CurriculumEventKind = 'sft_end' | 'stage1_start' | 'plateau' | 'stage2_start' | 'remine' | 'run_end';

export interface CurriculumEvent {
  step: number;
  kind: CurriculumEventKind;
  /** plain words: "reward moving average slope 0.0004/step < 0.001 over 20 steps" */
  reason: string;
  /** the numbers behind the reason */
  values: Record<string, number>;
}

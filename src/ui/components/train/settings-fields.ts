/**
 * The run settings the Train view offers, under TRL's names (SFTConfig / GRPOConfig) and ours for
 * the curriculum, each with a one-line plain explanation. Pure data plus a setter, so the form is
 * generated and a test can check every setting the engine takes is offered.
 */
import { GRPO_LOSS_TYPES, LR_SCHEDULER_TYPES } from '../../../training/rl/defaults';
import { SCALE_REWARDS } from '../../../gpu/kernels/grpo-cpu';
import type { RunSettings } from '../../../training/run/settings';

export type FieldGroup = 'sft' | 'grpo' | 'curriculum' | 'run';

export interface FieldSpec {
  group: FieldGroup;
  key: string;
  help: string;
  kind: 'int' | 'float' | 'select' | 'bool' | 'tiers' | 'pair';
  options?: readonly string[];
  min?: number;
  max?: number;
  step?: number;
  /** shown only under "more settings" */
  advanced?: boolean;
}

export const GROUP_TITLES: Record<FieldGroup, string> = {
  sft: 'SFT cold start (TRL SFTConfig)',
  grpo: 'GRPO (TRL GRPOConfig)',
  curriculum: 'Two-stage curriculum (paper §3.3)',
  run: 'Run',
};

export const FIELDS: FieldSpec[] = [
  { group: 'sft', key: 'max_steps', kind: 'int', min: 0, help: 'Optimizer steps of supervised fine-tuning on the CoT trajectories (0 skips the cold start).' },
  { group: 'sft', key: 'per_device_train_batch_size', kind: 'int', min: 1, help: 'Examples per optimizer step.' },
  { group: 'sft', key: 'learning_rate', kind: 'float', min: 0, step: 1e-4, help: 'Peak AdamW learning rate.' },
  { group: 'sft', key: 'lr_scheduler_type', kind: 'select', options: LR_SCHEDULER_TYPES, help: 'How the learning rate moves over the steps after warm-up.', advanced: true },
  { group: 'sft', key: 'warmup_ratio', kind: 'float', min: 0, max: 1, step: 0.01, help: 'Share of the steps spent ramping the learning rate up from 0.', advanced: true },
  { group: 'sft', key: 'gradient_accumulation_steps', kind: 'int', min: 1, help: 'Micro-batches summed into one optimizer step (a bigger batch without more memory).', advanced: true },
  { group: 'sft', key: 'weight_decay', kind: 'float', min: 0, step: 0.01, help: 'AdamW decoupled weight decay.', advanced: true },
  { group: 'sft', key: 'max_grad_norm', kind: 'float', min: 0, step: 0.1, help: 'Gradients are rescaled when their total norm is above this.', advanced: true },
  { group: 'sft', key: 'max_length', kind: 'int', min: 8, help: 'Prompt + completion are cut to this many tokens.', advanced: true },

  { group: 'grpo', key: 'max_steps', kind: 'int', min: 0, help: 'GRPO optimizer steps over both stages.' },
  { group: 'grpo', key: 'num_generations', kind: 'int', min: 2, help: 'G: completions sampled per prompt; their mean reward is the baseline.' },
  { group: 'grpo', key: 'prompts_per_step', kind: 'int', min: 1, help: 'Prompts per step (TRL: per_device_train_batch_size / num_generations).' },
  { group: 'grpo', key: 'learning_rate', kind: 'float', min: 0, step: 1e-5, help: 'AdamW learning rate of the RL phase.' },
  { group: 'grpo', key: 'loss_type', kind: 'select', options: GRPO_LOSS_TYPES, help: 'How per-token terms are averaged: grpo per completion, dapo per token, dr_grpo by a constant, paper = Fleming-R1 eq. (1).' },
  { group: 'grpo', key: 'scale_rewards', kind: 'select', options: SCALE_REWARDS, help: 'Divide reward − group mean by the group std, the batch std, or nothing (the paper).' },
  { group: 'grpo', key: 'beta', kind: 'float', min: 0, step: 0.01, help: 'KL penalty toward the frozen starting policy; 0 = none (TRL default, and the paper).' },
  { group: 'grpo', key: 'epsilon', kind: 'float', min: 0, step: 0.01, help: 'Clip range: a token’s ratio π/π_old stops pulling once past 1 ± ε.' },
  { group: 'grpo', key: 'epsilon_high', kind: 'float', min: 0, step: 0.01, help: 'Upper clip bound (DAPO’s clip-higher); defaults to epsilon.', advanced: true },
  { group: 'grpo', key: 'max_completion_length', kind: 'int', min: 1, help: 'Completions stop after this many tokens (then they count as truncated).' },
  { group: 'grpo', key: 'temperature', kind: 'float', min: 0, step: 0.1, help: 'Sampling temperature of the rollouts (1 = the model’s own distribution).' },
  { group: 'grpo', key: 'top_p', kind: 'float', min: 0.01, max: 1, step: 0.05, help: 'Nucleus sampling: keep the smallest set of tokens with this much probability.', advanced: true },
  { group: 'grpo', key: 'num_iterations', kind: 'int', min: 1, help: 'Updates per batch of rollouts (μ); above 1 the ratio and clip come into play.', advanced: true },
  { group: 'grpo', key: 'mask_truncated_completions', kind: 'bool', help: 'Leave completions cut off by max_completion_length out of the loss.', advanced: true },
  { group: 'grpo', key: 'reward_weights', kind: 'pair', help: 'Reward = w₁·correctness + w₂·format (no length term, as the paper).' },
  { group: 'grpo', key: 'lr_scheduler_type', kind: 'select', options: LR_SCHEDULER_TYPES, help: 'Learning-rate schedule of the RL phase.', advanced: true },
  { group: 'grpo', key: 'warmup_ratio', kind: 'float', min: 0, max: 1, step: 0.01, help: 'Share of RL steps spent warming the learning rate up.', advanced: true },
  { group: 'grpo', key: 'weight_decay', kind: 'float', min: 0, step: 0.01, help: 'AdamW weight decay in the RL phase.', advanced: true },
  { group: 'grpo', key: 'max_grad_norm', kind: 'float', min: 0, step: 0.1, help: 'Gradient-norm clipping in the RL phase.', advanced: true },

  { group: 'curriculum', key: 'stage1_tiers', kind: 'tiers', help: 'Tiers stage 1 draws from (the paper: Easy + Moderate).' },
  { group: 'curriculum', key: 'plateau_window', kind: 'int', min: 1, help: 'Steps over which the reward’s moving average is judged flat.' },
  { group: 'curriculum', key: 'plateau_slope', kind: 'float', min: 0, step: 0.0005, help: 'Plateau when the moving average rises slower than this (reward per step).' },
  { group: 'curriculum', key: 'plateau_zero_std', kind: 'float', min: 0, max: 1, step: 0.05, help: 'Or when this share of groups had all-equal rewards over the window (reward sparsity).' },
  { group: 'curriculum', key: 'stage1_max_steps', kind: 'int', min: 0, help: 'Stage 1 ends here at the latest.' },
  { group: 'curriculum', key: 'stage2_num_generations', kind: 'int', min: 2, help: 'G in stage 2: more rollouts for the hard items, as the paper does.' },
  { group: 'curriculum', key: 'mine_samples', kind: 'int', min: 1, help: 'Completions per item when scoring the whole training set for hard-sample mining.' },
  { group: 'curriculum', key: 'remine_every', kind: 'int', min: 1, help: 'Stage 2 re-scores the set and re-ranks failures every N steps.' },
  { group: 'curriculum', key: 'stage2_replay', kind: 'float', min: 0, max: 1, step: 0.05, help: 'Share of each stage-2 batch taken from already-solved items, against forgetting.', advanced: true },

  { group: 'run', key: 'seed', kind: 'int', min: 0, help: 'Seeds initialisation, data order and sampling: same seed, same run.' },
  { group: 'run', key: 'checkpoint_every', kind: 'int', min: 0, help: 'A checkpoint every N steps (stage ends always get one); a reload resumes from the last.' },
];

type Groups = Pick<RunSettings, 'sft' | 'grpo' | 'curriculum'>;

export function fieldValue(s: RunSettings, f: FieldSpec): unknown {
  const src = f.group === 'run' ? (s as unknown as Record<string, unknown>) : (s[f.group as keyof Groups] as unknown as Record<string, unknown>);
  return src[f.key];
}

/** a copy of the settings with one field changed (epsilon_high follows epsilon while they were equal) */
export function withField(s: RunSettings, f: FieldSpec, value: unknown): RunSettings {
  const next = structuredClone(s);
  if (f.group === 'run') (next as unknown as Record<string, unknown>)[f.key] = value;
  else {
    const g = next[f.group as keyof Groups] as unknown as Record<string, unknown>;
    if (f.group === 'grpo' && f.key === 'epsilon' && next.grpo.epsilon_high === s.grpo.epsilon) g.epsilon_high = value;
    g[f.key] = value;
  }
  return next;
}

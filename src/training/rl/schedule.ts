/**
 * Learning-rate schedules with Hugging Face `get_scheduler` semantics (what TRL uses), so a run here
 * and the scale-out TRL run follow the same curve. `step` is the 0-based index of the optimizer step
 * about to be taken: HF multiplies the base rate by lr_lambda(number of scheduler steps so far), so the
 * first step of a warm-up runs at 0.
 */
export type LrSchedulerType = 'cosine' | 'linear' | 'constant' | 'constant_with_warmup';

export interface ScheduleSettings {
  learning_rate: number;
  lr_scheduler_type: LrSchedulerType;
  warmup_ratio: number;
  max_steps: number;
}

/** TrainingArguments.get_warmup_steps: ceil(max_steps · warmup_ratio) */
export function warmupSteps(s: Pick<ScheduleSettings, 'warmup_ratio' | 'max_steps'>): number {
  return Math.ceil(s.max_steps * s.warmup_ratio);
}

/** the multiplier lr_lambda(step) of transformers.optimization */
export function lrMultiplier(s: Omit<ScheduleSettings, 'learning_rate'>, step: number): number {
  const total = s.max_steps;
  const warm = warmupSteps(s);
  const type = s.lr_scheduler_type;
  if (type === 'constant') return 1;
  if (step < warm) return step / Math.max(1, warm);
  if (type === 'constant_with_warmup') return 1;
  if (type === 'linear') return Math.max(0, (total - step) / Math.max(1, total - warm));
  // cosine with num_cycles = 0.5: from 1 down to 0 over the steps after warm-up
  const progress = (step - warm) / Math.max(1, total - warm);
  return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
}

export function learningRate(s: ScheduleSettings, step: number): number {
  return s.learning_rate * lrMultiplier(s, step);
}

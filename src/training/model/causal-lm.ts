/**
 * What the trainer needs from a model, implemented twice with the same maths: the CPU
 * reference (cpu-model.ts, float64 accumulations, slow, the ground truth in tests) and the
 * GPU model (gpu-model.ts, WGSL kernels from src/gpu, one command encoder per step). The
 * trainer, evaluation and the Learn GRPO view are written against this interface only.
 *
 * Layout conventions: a batch is B rows of T token ids, right-padded (pad positions carry
 * any id; they only ever sit after the real tokens of a row, so causal attention makes them
 * harmless). `targets[b*T + t]` is the id predicted at position t (normally ids[b*T+t+1]),
 * −1 where no loss/log-prob is wanted. Log-probs are returned per position in the same [B, T].
 */
import type { LossType } from '../../gpu/kernels/grpo-cpu';
import type { LlamaConfig, Weights } from './config';

export interface TokenBatch {
  B: number;
  T: number;
  /** [B*T] token ids */
  ids: Int32Array;
  /** [B*T] target id per position, −1 = ignore */
  targets: Int32Array;
}

/** SFT: mean next-token cross-entropy over positions whose target ≥ 0 (the completion tokens). */
export interface SftObjective {
  kind: 'sft';
}

/**
 * GRPO (TRL GRPOTrainer semantics, see gpu/kernels/grpo-cpu.ts): per-token clipped surrogate with
 * optional k3 KL to a reference policy, aggregated by loss_type. Rows are completions; the mask is
 * targets ≥ 0 (completion tokens, minus truncated completions when mask_truncated_completions).
 */
export interface GrpoObjective {
  kind: 'grpo';
  /** [B] one advantage per row */
  advantages: Float32Array;
  /** [B*T] log-probs of the policy that sampled the rollouts (num_iterations > 1), or null = detached current (ratio 1) */
  oldLogprobs: Float32Array | null;
  /** [B*T] reference-policy log-probs, required when beta > 0 */
  refLogprobs: Float32Array | null;
  loss_type: LossType;
  epsilon_low: number;
  epsilon_high: number;
  beta: number;
  /** dr_grpo's constant normaliser */
  max_completion_length: number;
  /**
   * the sampling temperature: TRL computes the policy's log-probs (and entropies) from logits /
   * temperature, so old/ref log-probs must come from `logprobs(batch, temperature)` too. Default 1.
   */
  temperature?: number;
}

export type Objective = SftObjective | GrpoObjective;

export interface OptimizerSettings {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weight_decay: number;
  /** clip_grad_norm_ max_norm; ≤ 0 disables clipping (the norm is still reported) */
  max_grad_norm: number;
}

export interface StepResult {
  /** the aggregated objective (SFT: mean CE; GRPO: the loss_type aggregate) */
  loss: number;
  /** total gradient L2 norm before clipping */
  grad_norm: number;
  /** mean per-token entropy of the policy over the masked tokens */
  entropy: number;
  /** GRPO: mean k3 KL over masked tokens (0 when beta = 0 and no reference) */
  kl: number;
  /** GRPO: share of masked tokens whose ratio was clipped (low, high, region = either) */
  clip_ratio: { low_mean: number; high_mean: number; region_mean: number };
  /** tokens that carried loss */
  num_tokens: number;
  /** share of loss tokens whose argmax prediction is the target (TRL SFT's mean_token_accuracy) */
  mean_token_accuracy: number;
  /** false when the loss or the gradient was NaN/Inf: the update was skipped, weights unchanged */
  applied: boolean;
}

export interface GenerateOptions {
  /** stop a row after this many new tokens */
  max_new_tokens: number;
  /** 0 = greedy */
  temperature: number;
  top_p: number;
  /** generation stops for a row once it emits one of these ids (the id is kept in the output) */
  stop_ids: number[];
  /** uniform draws come from this seeded generator (src/synthesis/rng or training/rng): same seed, same completions */
  seed: number;
}

export interface Generation {
  /** new tokens per prompt row, stop id included when reached */
  tokens: number[][];
  /** true when the row hit max_new_tokens without a stop id (TRL: clipped / truncated) */
  truncated: boolean[];
}

/** LoRA on the attention and MLP projections: W' = W + (alpha/r)·B·A, base frozen. */
export interface LoraSettings {
  r: number;
  alpha: number;
  /** e.g. ["q_proj","v_proj"] or all seven projections */
  target_modules: string[];
}

export interface CausalLM {
  readonly config: LlamaConfig;
  readonly backend: 'cpu' | 'webgpu';
  /** logits [B*T, vocab] for every position (the `npm run logits` CLI, parity tests) */
  logits(ids: Int32Array, B: number, T: number): Promise<Float32Array>;
  /** log π(target | prefix) per position from logits / temperature (default 1), 0 where target < 0; no gradient, no weight change */
  logprobs(batch: TokenBatch, temperature?: number): Promise<Float32Array>;
  /**
   * One optimizer step: forward, objective, backward over every micro-batch (gradients
   * accumulate, each micro-batch's objective scaled by its share), clip, AdamW with `lr`.
   * The whole step is recorded into one command encoder on the GPU; only the metrics are read back.
   */
  trainStep(microBatches: Array<{ batch: TokenBatch; objective: Objective }>, opt: OptimizerSettings): Promise<StepResult>;
  /** Sample continuations of each prompt with a KV cache (prompts may differ in length). */
  generate(prompts: number[][], opts: GenerateOptions): Promise<Generation>;
  /**
   * current weights by HF name: with LoRA on, base + (alpha/r)·B·A merged (export), or with
   * `{ merged: false }` the frozen base alone (a LoRA checkpoint: base + getLoraWeights resumes exactly)
   */
  getWeights(opts?: { merged?: boolean }): Promise<Weights>;
  /** replace every weight (the base weights when LoRA is on; the adapters stay) */
  setWeights(w: Weights): Promise<void>;
  /**
   * AdamW moments by HF name and the step count, for the trainable tensors only. With LoRA on,
   * those are the adapters, named as PEFT does without its prefix: "model.layers.0.self_attn.q_proj.lora_A.weight"
   * ([r, in]) and "….lora_B.weight" ([out, r]) (see model/lora.ts).
   */
  getOptimizerState(): Promise<{ step: number; m: Weights; v: Weights }>;
  setOptimizerState(s: { step: number; m: Weights; v: Weights }): Promise<void>;
  /** switch to LoRA fine-tuning (adapters zero-initialised in B, so the model is unchanged until trained) */
  enableLora?(l: LoraSettings, seed: number): Promise<void>;
  /** the LoRA adapters by name (empty map when LoRA is off): checkpoints keep them to resume a LoRA run exactly */
  getLoraWeights?(): Promise<Weights>;
  /** restore adapters saved by getLoraWeights (LoRA must be enabled with the same settings) */
  setLoraWeights?(w: Weights): Promise<void>;
  /** GPU memory or JS heap held by weights, optimizer state and activations, in bytes */
  memoryBytes(): number;
  /** free GPU buffers */
  dispose(): void;
}

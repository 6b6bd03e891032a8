/**
 * The SFT (cold-start) loop: next-token cross-entropy on the completion tokens given the prompt,
 * AdamW with the HF learning-rate schedule, grad-norm clipping, gradient accumulation as
 * micro-batches of one trainStep. One call to step() = one optimizer step = one MetricsRow.
 * All it carries between steps is SftState (step, epoch, position in the epoch, tokens seen), and
 * the data order is a function of (seed, epoch), so a checkpointed state resumes the same batches.
 */
import type { CausalLM, OptimizerSettings } from '../model/causal-lm';
import { learningRate } from '../rl/schedule';
import type { MetricsRow, SftSettings } from '../rl/types';
import { bucketedEpoch, type EncodedExample, sftBatch } from './sft-data';

export interface AdamSettings {
  beta1: number;
  beta2: number;
  eps: number;
}
/** torch.optim.AdamW / HF TrainingArguments defaults */
export const DEFAULT_ADAM: AdamSettings = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };

export interface SftState {
  /** optimizer steps taken */
  step: number;
  epoch: number;
  /** next micro-batch of the epoch's plan */
  cursor: number;
  /** non-pad input tokens processed so far (TRL's num_tokens) */
  tokens_seen: number;
}

export const initialSftState = (): SftState => ({ step: 0, epoch: 0, cursor: 0, tokens_seen: 0 });

export class SftLoop {
  private plan: number[][] = [];
  private planEpoch = -1;

  constructor(
    private readonly model: CausalLM,
    private readonly examples: readonly EncodedExample[],
    readonly settings: SftSettings,
    private readonly opts: { seed: number; padId: number; adam?: AdamSettings },
    private st: SftState = initialSftState(),
  ) {
    if (!examples.length) throw new Error('SFT has no examples: no question has a selected trajectory that fits max_length');
  }

  get state(): SftState {
    return { ...this.st };
  }

  get done(): boolean {
    return this.st.step >= this.settings.max_steps;
  }

  private epochPlan(epoch: number): number[][] {
    if (this.planEpoch !== epoch) {
      this.plan = bucketedEpoch(
        this.examples.map((e) => e.ids.length),
        this.settings.per_device_train_batch_size,
        this.opts.seed,
        epoch,
      );
      this.planEpoch = epoch;
    }
    return this.plan;
  }

  /** the next gradient_accumulation_steps micro-batches, moving the cursor (wraps into the next epoch) */
  private take(): EncodedExample[][] {
    const out: EncodedExample[][] = [];
    for (let i = 0; i < this.settings.gradient_accumulation_steps; i++) {
      let plan = this.epochPlan(this.st.epoch);
      if (this.st.cursor >= plan.length) {
        this.st.epoch++;
        this.st.cursor = 0;
        plan = this.epochPlan(this.st.epoch);
      }
      out.push(plan[this.st.cursor++]!.map((j) => this.examples[j]!));
    }
    return out;
  }

  async step(): Promise<MetricsRow> {
    const s = this.settings;
    const t0 = performance.now();
    const groups = this.take();
    const batches = groups.map((rows) => sftBatch(rows, this.opts.padId));
    const adam = this.opts.adam ?? DEFAULT_ADAM;
    const lr = learningRate(s, this.st.step);
    const opt: OptimizerSettings = { lr, beta1: adam.beta1, beta2: adam.beta2, eps: adam.eps, weight_decay: s.weight_decay, max_grad_norm: s.max_grad_norm };
    const res = await this.model.trainStep(
      batches.map((batch) => ({ batch, objective: { kind: 'sft' as const } })),
      opt,
    );
    const tokens = groups.reduce((sum, rows) => sum + rows.reduce((n, r) => n + r.ids.length - 1, 0), 0);
    this.st.tokens_seen += tokens;
    this.st.step++;
    const step_time = (performance.now() - t0) / 1000;
    return {
      step: this.st.step,
      phase: 'sft',
      stage: 0,
      loss: res.loss,
      learning_rate: lr,
      grad_norm: res.grad_norm,
      num_tokens: this.st.tokens_seen,
      step_time,
      tokens_per_s: tokens / Math.max(1e-9, step_time),
      entropy: res.entropy,
      mean_token_accuracy: res.mean_token_accuracy,
      ...(res.applied ? {} : { skipped: true }),
    };
  }
}

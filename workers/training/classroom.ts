/**
 * The Learn GRPO classroom in the worker: a live micro model (GPU when there is one, else the CPU
 * reference model, which is fast enough at this size), one prompt, G sampled completions with
 * their per-token log-probs under the policy and the frozen reference, and exactly one optimizer
 * update on demand with the settings and advantages the page shows, followed by the new log-probs
 * of the same completions. The model comes from a stored run's checkpoint, or is warmed up here
 * with a few SFT steps on the tiny built-in task.
 */
import { getRunData, readCheckpoint } from '../../src/storage/run-store';
import type { QuestionRecord } from '../../src/synthesis/record';
import type { CausalLM } from '../../src/training/model/causal-lm';
import { parameterCount, presetConfig, type LlamaConfig, type Weights } from '../../src/training/model/config';
import { initWeights } from '../../src/training/model/init';
import { unprefixed, W } from '../../src/training/run/checkpoint';
import { completionText } from '../../src/training/run/grpo';
import { plainTask } from '../../src/training/run/items';
import { completionSlot, rolloutBatch } from '../../src/training/rl/rollout-batch';
import { encodeSftExample } from '../../src/training/run/sft-data';
import { SftLoop } from '../../src/training/run/sft';
import { resolveRunSettings } from '../../src/training/run/settings';
import { deriveSeed } from '../../src/training/run/seeds';
import type { Tokenizer } from '../../src/training/tokenizer/types';
import type { Backend, ClassroomGroup, ClassroomInfo, ClassroomSource, ClassroomStepResult, PrepareProgress } from '../training-api';
import type { ClassroomSettings } from '../../src/ui/learn/grpo-step';
import { defaultGraphOnce } from '../worker-resources';
import { prepareData } from './data';
import { modelFactory } from './models';
import { buildInputs, checkpointTokenizer, toCheckpoint, workerDb } from './run-host';

interface Sampled {
  item: QuestionRecord;
  promptIds: number[];
  temperature: number;
  completions: Array<{ ids: number[]; truncated: boolean }>;
  /** log-probs at sampling time (π_old) and under the reference, per completion token */
  old: number[][];
  ref: number[][];
  iteration: number;
}

const PROMPTS_PER_TIER = 12;

export class Classroom {
  private policy: CausalLM | null = null;
  private reference: CausalLM | null = null;
  private tok: Tokenizer | null = null;
  private opening: Weights | null = null;
  private items = new Map<string, QuestionRecord>();
  private group: Sampled | null = null;
  private info: ClassroomInfo | null = null;

  async open(source: ClassroomSource, backend: Backend, onProgress: (p: PrepareProgress) => void): Promise<ClassroomInfo> {
    this.dispose();
    const factory = await modelFactory(backend === 'auto' ? 'auto' : backend);
    let config: LlamaConfig;
    let weights: Weights;
    let items: QuestionRecord[];
    if (source.kind === 'run') {
      const db = await workerDb();
      onProgress({ stage: 'checkpoint', message: `loading the checkpoint at step ${source.step}…` });
      const ck = await readCheckpoint(db, source.runId, source.step);
      const state = toCheckpoint(ck.meta, ck.tensors, ck.shapes).state;
      this.tok = checkpointTokenizer(state);
      config = state.model_config;
      weights = unprefixed(ck.tensors, W);
      const data = await getRunData(db, source.runId);
      items = [...data.train, ...data.heldout];
    } else {
      onProgress({ stage: 'data', message: 'building the tiny closed-book task…' });
      const data = await prepareData({ kind: 'kg-task', size: 'tiny', seed: source.seed }, { db: workerDb, graph: defaultGraphOnce }, onProgress);
      const settings = resolveRunSettings({ seed: source.seed, model: { kind: 'preset', preset: 'micro' }, sft: { max_steps: source.sft_steps, per_device_train_batch_size: 16, learning_rate: 1e-2, warmup_ratio: 0.05, max_length: 64 } });
      onProgress({ stage: 'tokenizer', message: 'training the tokenizer…' });
      const built = buildInputs(data, settings, {});
      this.tok = built.tokenizer;
      config = presetConfig('micro', built.tokenizer.vocabSize);
      const model = await factory.create(config);
      await model.setWeights(initWeights(config, deriveSeed(source.seed, 'init')));
      const examples = built.inputs.sft.map((e) => encodeSftExample(built.tokenizer, e, settings.sft.max_length)).filter((e) => e !== null);
      const loop = new SftLoop(model, examples, settings.sft, { seed: source.seed, padId: built.tokenizer.specials.pad, adam: settings.adam });
      for (let i = 0; i < source.sft_steps; i++) {
        await loop.step();
        onProgress({ stage: 'model', message: `warming up: SFT step ${i + 1} of ${source.sft_steps}`, done: i + 1, total: source.sft_steps });
      }
      weights = await model.getWeights();
      model.dispose();
      items = [...data.train, ...data.heldout];
    }
    this.opening = weights;
    this.policy = await factory.create(config);
    await this.policy.setWeights(weights);
    this.reference = await factory.create(config);
    await this.reference.setWeights(weights);
    // a few prompts per tier, training items first (where a warmed-up model gets some right), then held-out ones
    const prompts: QuestionRecord[] = [];
    for (const tier of ['easy', 'moderate', 'difficult'] as const) prompts.push(...items.filter((q) => q.difficulty === tier).slice(0, PROMPTS_PER_TIER));
    this.items = new Map(prompts.map((q) => [q.id, q]));
    this.info = {
      backend: factory.backend,
      device: factory.device,
      parameters: parameterCount(config),
      prompts: prompts.map((q) => ({ id: q.id, difficulty: q.difficulty, text: plainTask.promptText(q), gold: `${q.answer_idx}. ${q.answer}` })),
    };
    return this.info;
  }

  private need(): { policy: CausalLM; reference: CausalLM; tok: Tokenizer } {
    if (!this.policy || !this.reference || !this.tok) throw new Error('open a model first');
    return { policy: this.policy, reference: this.reference, tok: this.tok };
  }

  /** per completion, its tokens' log-probs under a model (from logits / temperature, as TRL) */
  private async completionLogprobs(model: CausalLM, promptIds: number[], completions: Sampled['completions'], temperature: number): Promise<number[][]> {
    const rows = completions.map((c) => ({ prompt: promptIds, completion: c.ids, masked: false }));
    const batch = rolloutBatch(rows, this.tok!.specials.pad);
    const lp = await model.logprobs(batch, temperature);
    return completions.map((c, b) => c.ids.map((_, j) => lp[b * batch.T + completionSlot(promptIds.length, j)]!));
  }

  async sample(opts: { promptId: string; G: number; temperature: number; max_completion_length: number; seed: number }): Promise<ClassroomGroup> {
    const { policy, reference, tok } = this.need();
    const item = this.items.get(opts.promptId);
    if (!item) throw new Error(`no prompt ${opts.promptId} in this classroom`);
    if (!Number.isInteger(opts.G) || opts.G < 2 || opts.G > 32) throw new Error(`G must be from 2 to 32, got ${opts.G}`);
    const promptIds = plainTask.promptIds(item, tok);
    const room = policy.config.max_position_embeddings - promptIds.length;
    const gen = await policy.generate(
      Array.from({ length: opts.G }, () => promptIds),
      { max_new_tokens: Math.max(1, Math.min(opts.max_completion_length, room)), temperature: opts.temperature, top_p: 1, stop_ids: [tok.specials.eos], seed: opts.seed },
    );
    const completions = gen.tokens.map((ids, i) => ({ ids, truncated: gen.truncated[i]! }));
    const old = await this.completionLogprobs(policy, promptIds, completions, opts.temperature);
    const ref = await this.completionLogprobs(reference, promptIds, completions, opts.temperature);
    this.group = { item, promptIds, temperature: opts.temperature, completions, old, ref, iteration: 0 };
    return {
      promptId: item.id,
      prompt: plainTask.promptText(item),
      gold: `${item.answer_idx}. ${item.answer}`,
      completions: completions.map((c, i) => {
        const text = completionText(tok, c.ids);
        const s = plainTask.score(item, text);
        return {
          text,
          tokens: c.ids.map((id) => tok.decode([id])),
          logp: old[i]!,
          oldLogp: old[i]!,
          refLogp: ref[i]!,
          correctness: s.correctness,
          format: s.format,
          truncated: c.truncated,
        };
      }),
    };
  }

  async step(s: ClassroomSettings & { learning_rate: number; advantages: number[] }): Promise<ClassroomStepResult> {
    const { policy, tok } = this.need();
    const g = this.group;
    if (!g) throw new Error('sample a group first');
    if (s.advantages.length !== g.completions.length) throw new Error(`${s.advantages.length} advantages for ${g.completions.length} completions`);
    const rows = g.completions.map((c) => ({ prompt: g.promptIds, completion: c.ids, masked: s.mask_truncated_completions && c.truncated }));
    const batch = rolloutBatch(rows, tok.specials.pad);
    const at = (per: number[][]) => {
      const out = new Float32Array(batch.B * batch.T);
      per.forEach((lp, b) => lp.forEach((v, j) => (out[b * batch.T + completionSlot(g.promptIds.length, j)] = v)));
      return out;
    };
    const res = await policy.trainStep(
      [
        {
          batch,
          objective: {
            kind: 'grpo',
            advantages: Float32Array.from(s.advantages),
            // the sampling policy's log-probs: ratio 1 on the first update, then the clip can bite
            oldLogprobs: at(g.old),
            refLogprobs: s.beta > 0 ? at(g.ref) : null,
            loss_type: s.loss_type,
            epsilon_low: s.epsilon,
            epsilon_high: s.epsilon_high,
            beta: s.beta,
            max_completion_length: s.max_completion_length,
            temperature: g.temperature,
          },
        },
      ],
      // no gradient clipping: the update is exactly AdamW on this gradient
      { lr: s.learning_rate, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0, max_grad_norm: 0 },
    );
    g.iteration++;
    const after = await this.completionLogprobs(policy, g.promptIds, g.completions, g.temperature);
    return { after, loss: res.loss, grad_norm: res.grad_norm, clip_ratio: res.clip_ratio.region_mean, applied: res.applied, iteration: g.iteration };
  }

  async reset(): Promise<void> {
    const { policy } = this.need();
    if (!this.opening) return;
    await policy.setWeights(this.opening);
    const st = await policy.getOptimizerState();
    const zeros = (w: Weights) => new Map([...w].map(([k, v]) => [k, new Float32Array(v.length)]));
    await policy.setOptimizerState({ step: 0, m: zeros(st.m), v: zeros(st.v) });
    this.group = null;
  }

  dispose(): void {
    for (const m of [this.policy, this.reference]) {
      try {
        m?.dispose();
      } catch {
        /* gone */
      }
    }
    this.policy = null;
    this.reference = null;
    this.group = null;
  }
}

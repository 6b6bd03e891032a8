/**
 * The CPU reference model against the definitions it claims: finite differences of its own
 * loss for every parameter family (GQA, tied and untied heads, SFT and GRPO objectives, LoRA),
 * cached generation against re-running the whole sequence, the loss against the kernel-level
 * references (cross-entropy, TRL's GRPO formulas), micro-batch aggregation, AdamW's first step
 * worked out by hand, NaN/Inf steps skipped, and the contract's error messages.
 */
import { describe, expect, it } from 'vitest';
import { grpoLossCpu, LOSS_TYPES, tokenWeights, type LossType } from '../../gpu/kernels/grpo-cpu';
import { crossEntropyCpu } from '../../gpu/kernels/logsoftmax-cpu';
import { randomArray, seededRandom } from '../../gpu/kernels/testing';
import type { GrpoObjective, TokenBatch } from './causal-lm';
import { parameterSpecs, type LlamaConfig, type Weights } from './config';
import { CpuModel, createCpuModel } from './cpu-model';
import { initWeights, INIT_STD } from './init';
import type { MicroBatch } from './objective';

/** GQA (4 query heads on 2 kv heads), untied head, awkward sizes */
const GQA: LlamaConfig = { vocab_size: 13, hidden_size: 12, intermediate_size: 10, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 4, max_position_embeddings: 32, rms_norm_eps: 1e-5, rope_theta: 10000, tie_word_embeddings: false };
const TIED: LlamaConfig = { ...GQA, num_key_value_heads: 2, tie_word_embeddings: true, num_hidden_layers: 1, head_dim: 6, num_attention_heads: 2, hidden_size: 10 };

/** weights big enough that every path carries signal (std 0.02 makes attention nearly uniform) */
function bigWeights(c: LlamaConfig, seed: number): Weights {
  const w = initWeights(c, seed);
  let s = seed;
  for (const spec of parameterSpecs(c)) {
    const t = w.get(spec.name)!;
    const r = randomArray(t.length, ++s * 7919, spec.init === 'ones' ? 0.3 : 0.5, spec.init === 'ones' ? 1 : 0);
    t.set(r);
  }
  return w;
}

function batch(c: LlamaConfig, B: number, T: number, seed: number, promptLen = 2): TokenBatch {
  const r = seededRandom(seed);
  const ids = Int32Array.from({ length: B * T }, () => Math.floor(r() * c.vocab_size));
  const targets = new Int32Array(B * T).fill(-1);
  for (let b = 0; b < B; b++) {
    // a right-padded row: loss on positions promptLen−1 .. len−2, len varying per row
    const len = T - (b % 3);
    for (let t = promptLen - 1; t < len - 1; t++) targets[b * T + t] = ids[b * T + t + 1]!;
  }
  return { B, T, ids, targets };
}

function grpoObjective(b: TokenBatch, loss_type: LossType, seed: number, beta = 0.04): GrpoObjective {
  const r = seededRandom(seed);
  return {
    kind: 'grpo',
    advantages: Float32Array.from({ length: b.B }, () => r() * 3 - 1.5),
    oldLogprobs: Float32Array.from({ length: b.B * b.T }, () => -1.5 - r() * 2),
    refLogprobs: Float32Array.from({ length: b.B * b.T }, () => -1.5 - r() * 2),
    loss_type,
    epsilon_low: 0.2,
    epsilon_high: loss_type === 'cispo' ? 1.1 : 0.28,
    beta,
    max_completion_length: 8,
    temperature: 0.9,
  };
}

/**
 * Central differences of the step loss in a few coordinates of one tensor, against the
 * analytic gradient. The perturbation actually stored (float32) is used as the step.
 */
function fdTensor(model: CpuModel, mbs: MicroBatch[], name: string, picks: number, seed: number, lora = false) {
  const grads = model.gradients(mbs).grads.get(name)!;
  const get = async () => (lora ? model.getLoraWeights() : model.getWeights({ merged: false }));
  const set = (w: Weights) => (lora ? model.setLoraWeights(w) : model.setWeights(w));
  const r = seededRandom(seed);
  const out: Array<{ i: number; fd: number; an: number }> = [];
  return (async () => {
    const w = await get();
    const t = w.get(name)!;
    for (let p = 0; p < picks; p++) {
      const i = Math.floor(r() * t.length);
      const orig = t[i]!;
      const h = 1e-3 * Math.max(1, Math.abs(orig));
      t[i] = orig + h;
      const up = t[i]!;
      await set(w);
      const lp = model.gradients(mbs).loss;
      t[i] = orig - h;
      const dn = t[i]!;
      await set(w);
      const lm = model.gradients(mbs).loss;
      t[i] = orig;
      await set(w);
      out.push({ i, fd: (lp - lm) / (up - dn), an: grads[i]! });
    }
    return out;
  })();
}

function expectClose(rows: Array<{ i: number; fd: number; an: number }>, what: string, atol = 2e-5, rtol = 2e-3) {
  for (const { i, fd, an } of rows) expect(Math.abs(fd - an), `${what}[${i}]: fd ${fd} vs analytic ${an}`).toBeLessThanOrEqual(atol + rtol * Math.abs(an));
}

const families = (c: LlamaConfig) => parameterSpecs(c).filter((s) => !s.name.includes('layers.') || s.name.includes('layers.0.') || s.name.includes('layers.1.self_attn.k'));

describe('CPU reference model: gradients by finite differences', () => {
  for (const [cname, c] of [['GQA, untied head', GQA], ['tied head, 1 layer', TIED]] as const) {
    it(`SFT cross-entropy, every parameter family (${cname})`, async () => {
      const model = createCpuModel(c, bigWeights(c, 3));
      const b = batch(c, 3, 7, 5);
      const mbs: MicroBatch[] = [{ batch: b, objective: { kind: 'sft' } }];
      for (const s of families(c)) expectClose(await fdTensor(model, mbs, s.name, 4, s.name.length), s.name);
    });
  }

  for (const lt of ['grpo', 'dapo', 'cispo', 'paper'] as const) {
    it(`GRPO loss_type=${lt} with old and reference log-probs, β > 0, two micro-batches (GQA, untied)`, async () => {
      const model = createCpuModel(GQA, bigWeights(GQA, 4));
      const b1 = batch(GQA, 2, 6, 8, 3);
      const b2 = batch(GQA, 3, 6, 9, 2);
      const mbs: MicroBatch[] = [
        { batch: b1, objective: grpoObjective(b1, lt, 10) },
        { batch: b2, objective: grpoObjective(b2, lt, 11) },
      ];
      // cispo's IS weight min(ρ, ε_high) is detached, so its gradient is not the derivative of the
      // loss value, except where the weight is constant: old log-probs far below make every ρ > ε_high
      if (lt === 'cispo') for (const mb of mbs) (mb.objective as GrpoObjective).oldLogprobs!.fill(-40);
      for (const name of ['model.embed_tokens.weight', 'model.layers.0.self_attn.q_proj.weight', 'model.layers.1.self_attn.v_proj.weight', 'model.layers.0.mlp.up_proj.weight', 'model.norm.weight', 'lm_head.weight']) {
        expectClose(await fdTensor(model, mbs, name, 3, name.length + lt.length), `${lt} ${name}`);
      }
    });
  }

  it('LoRA adapters (A and B) on q_proj and down_proj', async () => {
    const model = createCpuModel(GQA, bigWeights(GQA, 6));
    await model.enableLora({ r: 2, alpha: 4, target_modules: ['q_proj', 'down_proj'] }, 1);
    // B starts at zero; give it values so both adapter gradients are non-trivial
    const lw = await model.getLoraWeights();
    let s = 0;
    for (const [k, t] of lw) if (k.includes('lora_B')) t.set(randomArray(t.length, ++s, 0.3));
    await model.setLoraWeights(lw);
    const b = batch(GQA, 2, 6, 12);
    const mbs: MicroBatch[] = [{ batch: b, objective: { kind: 'sft' } }];
    expect(model.trainableNames().sort()).toEqual([...lw.keys()].sort());
    for (const name of ['model.layers.0.self_attn.q_proj.lora_A.weight', 'model.layers.0.self_attn.q_proj.lora_B.weight', 'model.layers.1.mlp.down_proj.lora_A.weight', 'model.layers.1.mlp.down_proj.lora_B.weight']) {
      expectClose(await fdTensor(model, mbs, name, 3, name.length, true), name);
    }
  });
});

describe('CPU reference model: generation with a KV cache', () => {
  for (const temperature of [0, 1.2]) {
    it(`gives the same tokens and bit-identical logits as re-running the whole sequence (temperature ${temperature}, prompts of different lengths)`, async () => {
      const model = createCpuModel(GQA, bigWeights(GQA, 7));
      const prompts = [[1, 2, 3], [4], [5, 6, 7, 8, 9, 10], [11, 12]];
      const seen: Array<{ row: number; step: number; logits: Float64Array }> = [];
      const gen = await model.generateTraced(prompts, { max_new_tokens: 6, temperature, top_p: 0.9, stop_ids: [0], seed: 42 }, (row, step, logits) => seen.push({ row, step, logits: logits.slice() }));
      expect(seen.length).toBeGreaterThan(8);
      for (const { row, step, logits } of seen) {
        const seq = [...prompts[row]!, ...gen.tokens[row]!.slice(0, step)];
        const full = await model.logits(Int32Array.from(seq), 1, seq.length);
        expect(full.subarray((seq.length - 1) * GQA.vocab_size)).toEqual(Float32Array.from(logits));
      }
      for (let b = 0; b < prompts.length; b++) {
        const t = gen.tokens[b]!;
        expect(t.length).toBeLessThanOrEqual(6);
        // a row ends at a stop id (kept) or at max_new_tokens (truncated), never both
        expect(gen.truncated[b]).toBe(t.length === 6 && t[5] !== 0);
        if (!gen.truncated[b]) expect(t[t.length - 1]).toBe(0);
      }
      // same seed, same completions; the draws of one row do not depend on the other rows
      expect(await model.generate(prompts, { max_new_tokens: 6, temperature, top_p: 0.9, stop_ids: [0], seed: 42 })).toEqual(gen);
    });
  }

  it('greedy decoding picks the argmax of the full forward at every step', async () => {
    const model = createCpuModel(TIED, bigWeights(TIED, 8));
    const gen = await model.generate([[3, 1]], { max_new_tokens: 5, temperature: 0, top_p: 1, stop_ids: [], seed: 1 });
    const seq = [3, 1];
    for (const tok of gen.tokens[0]!) {
      const lg = await model.logits(Int32Array.from(seq), 1, seq.length);
      const last = Array.from(lg.subarray((seq.length - 1) * TIED.vocab_size));
      expect(tok).toBe(last.indexOf(Math.max(...last)));
      seq.push(tok);
    }
    expect(gen.truncated).toEqual([true]);
  });

  it('rejects an empty prompt and a too-long generation with the reason', async () => {
    const model = createCpuModel(TIED, { seed: 1 });
    await expect(model.generate([[1], []], { max_new_tokens: 2, temperature: 0, top_p: 1, stop_ids: [], seed: 1 })).rejects.toThrow(/prompt 1 is empty/);
    await expect(model.generate([[1, 2]], { max_new_tokens: 31, temperature: 0, top_p: 1, stop_ids: [], seed: 1 })).rejects.toThrow(/max_position_embeddings = 32/);
    await expect(model.generate([[1, 99]], { max_new_tokens: 1, temperature: 0, top_p: 1, stop_ids: [], seed: 1 })).rejects.toThrow(/prompt 0\[1\] = 99 is outside the vocabulary/);
  });
});

describe('CPU reference model: objectives and the optimizer step', () => {
  it('the SFT loss is the mean cross-entropy of logits() over target tokens; logprobs() are log-softmax at the temperature', async () => {
    const model = createCpuModel(GQA, bigWeights(GQA, 9));
    const b = batch(GQA, 3, 7, 13);
    const logits = await model.logits(b.ids, b.B, b.T);
    const ce = crossEntropyCpu(logits, b.targets, b.B * b.T, GQA.vocab_size);
    const r = model.gradients([{ batch: b, objective: { kind: 'sft' } }]);
    expect(r.loss).toBeCloseTo(ce.loss, 6);
    const lp = await model.logprobs(b, 2);
    const V = GQA.vocab_size;
    for (let i = 0; i < b.B * b.T; i++) {
      if (b.targets[i]! < 0) {
        expect(lp[i]).toBe(0);
        continue;
      }
      const row = Array.from(logits.subarray(i * V, (i + 1) * V), (z) => z / 2);
      const lse = Math.log(row.reduce((s, z) => s + Math.exp(z), 0));
      expect(lp[i]).toBeCloseTo(row[b.targets[i]!]! - lse, 5);
    }
  });

  for (const lt of LOSS_TYPES) {
    it(`GRPO loss_type=${lt} on one micro-batch equals grpoLossCpu (TRL's formulas) on the model's log-probs`, async () => {
      const model = createCpuModel(GQA, bigWeights(GQA, 10));
      const b = batch(GQA, 4, 6, 14);
      const o = grpoObjective(b, lt, 15);
      const logp = await model.logprobs(b, o.temperature);
      const mask = Float32Array.from(b.targets, (t) => (t >= 0 ? 1 : 0));
      const c = { n: b.B, t: b.T, epsilon_low: o.epsilon_low, epsilon_high: o.epsilon_high, beta: o.beta, loss_type: lt, max_completion_length: o.max_completion_length };
      const want = grpoLossCpu({ logp, old_logp: o.oldLogprobs!, ref_logp: o.refLogprobs!, advantages: o.advantages, mask }, c);
      const got = model.gradients([{ batch: b, objective: o }]);
      expect(got.loss).toBeCloseTo(want.loss, 5);
      expect(tokenWeights(mask, c).some((w) => w > 0)).toBe(true);
    });
  }

  it('micro-batches: gradients of two halves equal those of the whole batch (sft, grpo, dr_grpo, paper, dapo, cispo); bnpo is the mean of the halves\' bnpo', async () => {
    const model = createCpuModel(GQA, bigWeights(GQA, 11));
    const whole = batch(GQA, 4, 6, 16);
    const half = (b: TokenBatch, from: number): TokenBatch => ({ B: 2, T: b.T, ids: b.ids.slice(from * b.T, (from + 2) * b.T), targets: b.targets.slice(from * b.T, (from + 2) * b.T) });
    const [h1, h2] = [half(whole, 0), half(whole, 2)];
    const split = (o: GrpoObjective, from: number): GrpoObjective => ({ ...o, advantages: o.advantages.slice(from, from + 2), oldLogprobs: o.oldLogprobs!.slice(from * 6, (from + 2) * 6), refLogprobs: o.refLogprobs!.slice(from * 6, (from + 2) * 6) });
    const name = 'model.layers.0.self_attn.k_proj.weight';
    const sft = { kind: 'sft' } as const;
    const a = model.gradients([{ batch: whole, objective: sft }]);
    const s = model.gradients([{ batch: h1, objective: sft }, { batch: h2, objective: sft }]);
    expect(s.loss).toBeCloseTo(a.loss, 10);
    expect(maxDiff(s.grads.get(name)!, a.grads.get(name)!)).toBeLessThan(1e-10);
    for (const lt of LOSS_TYPES) {
      const o = grpoObjective(whole, lt, 17);
      const one = model.gradients([{ batch: whole, objective: o }]);
      const two = model.gradients([{ batch: h1, objective: split(o, 0) }, { batch: h2, objective: split(o, 2) }]);
      if (lt === 'bnpo') {
        const p1 = model.gradients([{ batch: h1, objective: split(o, 0) }]);
        const p2 = model.gradients([{ batch: h2, objective: split(o, 2) }]);
        expect(two.loss).toBeCloseTo((p1.loss + p2.loss) / 2, 10);
      } else {
        expect(two.loss, lt).toBeCloseTo(one.loss, 10);
        expect(maxDiff(two.grads.get(name)!, one.grads.get(name)!), lt).toBeLessThan(1e-10);
      }
    }
  });

  it('the first AdamW step moves every weight by lr against its gradient sign; norm weights are not decayed', async () => {
    const model = createCpuModel(TIED, bigWeights(TIED, 12));
    const b = batch(TIED, 2, 6, 18);
    const mbs: MicroBatch[] = [{ batch: b, objective: { kind: 'sft' } }];
    const before = await model.getWeights();
    const g = model.gradients(mbs).grads;
    const lr = 1e-2;
    const wd = 0.5;
    const r = await model.trainStep(mbs, { lr, beta1: 0.9, beta2: 0.999, eps: 1e-12, weight_decay: wd, max_grad_norm: 0 });
    expect(r.applied).toBe(true);
    let ss = 0;
    for (const t of g.values()) for (const x of t) ss += x * x;
    expect(r.grad_norm).toBeCloseTo(Math.sqrt(ss), 10);
    const after = await model.getWeights();
    for (const name of ['model.embed_tokens.weight', 'model.layers.0.input_layernorm.weight', 'model.layers.0.mlp.gate_proj.weight']) {
      const decay = name.includes('norm') ? 0 : wd;
      const p0 = before.get(name)!;
      const p1 = after.get(name)!;
      const gr = g.get(name)!;
      for (let i = 0; i < p0.length; i += 7) {
        if (Math.abs(gr[i]!) < 1e-9) continue;
        expect(p1[i]!, `${name}[${i}]`).toBeCloseTo(p0[i]! * (1 - lr * decay) - lr * Math.sign(gr[i]!), 5);
      }
    }
    const st = await model.getOptimizerState();
    expect(st.step).toBe(1);
  });

  it('clip_grad_norm_: the first moment after one step is (1−β1)·g·min(1, max/(norm+1e-6))', async () => {
    const b = batch(GQA, 2, 6, 19);
    const mbs: MicroBatch[] = [{ batch: b, objective: { kind: 'sft' } }];
    const opt = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0, max_grad_norm: 0.05 };
    const mNorm = async (m: CpuModel) => {
      let ss = 0;
      for (const t of (await m.getOptimizerState()).m.values()) for (const x of t) ss += x * x;
      return Math.sqrt(ss);
    };
    const clipped = createCpuModel(GQA, bigWeights(GQA, 13));
    const r = await clipped.trainStep(mbs, opt);
    expect(r.grad_norm).toBeGreaterThan(0.5);
    expect(await mNorm(clipped)).toBeCloseTo((0.1 * 0.05 * r.grad_norm) / (r.grad_norm + 1e-6), 7);
    const free = createCpuModel(GQA, bigWeights(GQA, 13));
    const r2 = await free.trainStep(mbs, { ...opt, max_grad_norm: 0 });
    expect(r2.grad_norm).toBe(r.grad_norm);
    expect(await mNorm(free)).toBeCloseTo(0.1 * r.grad_norm, 6);
  });

  it('a step whose loss is not finite is skipped: applied=false, weights and optimizer state unchanged', async () => {
    const model = createCpuModel(GQA, bigWeights(GQA, 14));
    const b = batch(GQA, 2, 6, 20);
    const o = grpoObjective(b, 'dapo', 21);
    o.advantages[0] = -1;
    // an old log-prob of −∞ (a token the sampler could not have drawn): ratio ∞, loss +∞ with A < 0
    const first = b.targets.findIndex((t) => t >= 0);
    o.oldLogprobs![first] = -Infinity;
    const before = await model.getWeights();
    const r = await model.trainStep([{ batch: b, objective: o }], { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0, max_grad_norm: 1 });
    expect(r.applied).toBe(false);
    expect(await model.getWeights()).toEqual(before);
    expect((await model.getOptimizerState()).step).toBe(0);
  });

  it('SFT steps on a fixed batch lower the loss and raise token accuracy', async () => {
    const model = createCpuModel(GQA, { seed: 1 });
    const b = batch(GQA, 4, 8, 22);
    const mbs: MicroBatch[] = [{ batch: b, objective: { kind: 'sft' } }];
    const opt = { lr: 3e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.01, max_grad_norm: 1 };
    const first = await model.trainStep(mbs, opt);
    let last = first;
    for (let i = 0; i < 40; i++) last = await model.trainStep(mbs, opt);
    expect(first.loss).toBeGreaterThan(Math.log(GQA.vocab_size) - 0.2);
    expect(last.loss).toBeLessThan(first.loss * 0.5);
    expect(last.mean_token_accuracy).toBeGreaterThan(first.mean_token_accuracy);
    expect(last.num_tokens).toBe(first.num_tokens);
  });

  it('GRPO metrics: clip ratios by TRL\'s definitions, k3 KL and entropy over the masked tokens', async () => {
    const model = createCpuModel(GQA, bigWeights(GQA, 15));
    const b = batch(GQA, 4, 6, 23);
    const o = grpoObjective(b, 'grpo', 24, 0.1);
    const logp = await model.logprobs(b, o.temperature);
    let n = 0;
    let lo = 0;
    let hi = 0;
    let kl = 0;
    for (let i = 0; i < b.B * b.T; i++) {
      if (b.targets[i]! < 0) continue;
      n++;
      const rho = Math.exp(logp[i]! - o.oldLogprobs![i]!);
      const a = o.advantages[Math.floor(i / b.T)]!;
      if (rho < 0.8 && a < 0) lo++;
      if (rho > 1.28 && a > 0) hi++;
      const d = o.refLogprobs![i]! - logp[i]!;
      kl += Math.exp(d) - d - 1;
    }
    const m = model.gradients([{ batch: b, objective: o }]).metrics;
    expect(m.num_tokens).toBe(n);
    expect(m.clip_ratio.low_mean).toBeCloseTo(lo / n, 12);
    expect(m.clip_ratio.high_mean).toBeCloseTo(hi / n, 12);
    expect(m.clip_ratio.region_mean).toBeCloseTo((lo + hi) / n, 12);
    expect(lo + hi).toBeGreaterThan(0);
    expect(m.kl).toBeCloseTo(kl / n, 5);
    expect(m.entropy).toBeGreaterThan(0);
    expect(m.entropy).toBeLessThanOrEqual(Math.log(GQA.vocab_size));
  });

  it('rejects malformed batches and objectives with the field and position', async () => {
    const model = createCpuModel(GQA, { seed: 1 });
    const b = batch(GQA, 2, 4, 25);
    const bad = { ...b, targets: Int32Array.from(b.targets, (t, i) => (i === 5 ? 13 : t)) };
    await expect(model.trainStep([{ batch: bad, objective: { kind: 'sft' } }], { lr: 1, beta1: 0.9, beta2: 0.9, eps: 1e-8, weight_decay: 0, max_grad_norm: 1 })).rejects.toThrow(/micro-batch 0: targets\[5\] \(row 1, position 1\) = 13 is outside \[-1, 13\)/);
    const o = { ...grpoObjective(b, 'grpo', 1, 0.1), refLogprobs: null };
    await expect(model.trainStep([{ batch: b, objective: o }], { lr: 1, beta1: 0.9, beta2: 0.9, eps: 1e-8, weight_decay: 0, max_grad_norm: 1 })).rejects.toThrow(/beta = 0.1 needs refLogprobs/);
    await expect(model.logits(Int32Array.from([1, 2, 3]), 2, 2)).rejects.toThrow(/ids has 3 values, expected B·T = 4/);
  });
});

describe('CPU reference model: weights, LoRA and state', () => {
  it('seeded init: same seed same weights; std 0.02, residual projections scaled by 1/√(2·layers), norms ones', () => {
    const c: LlamaConfig = { ...GQA, hidden_size: 64, intermediate_size: 96, num_attention_heads: 4, head_dim: 16 };
    const a = initWeights(c, 5);
    expect(initWeights(c, 5)).toEqual(a);
    expect(initWeights(c, 6).get('model.embed_tokens.weight')).not.toEqual(a.get('model.embed_tokens.weight'));
    const std = (t: Float32Array) => Math.sqrt(t.reduce((s, x) => s + x * x, 0) / t.length);
    expect(std(a.get('model.layers.0.mlp.gate_proj.weight')!)).toBeCloseTo(INIT_STD, 3);
    expect(std(a.get('model.layers.1.mlp.down_proj.weight')!)).toBeCloseTo(INIT_STD / 2, 3);
    expect(std(a.get('model.layers.0.self_attn.o_proj.weight')!)).toBeCloseTo(INIT_STD / 2, 3);
    expect([...new Set(a.get('model.norm.weight'))]).toEqual([1]);
  });

  it('LoRA: the model is unchanged until trained; training moves only the adapters; merged weights = base + (α/r)·B·A', async () => {
    const model = createCpuModel(GQA, bigWeights(GQA, 16));
    const b = batch(GQA, 2, 6, 26);
    const base = await model.getWeights();
    const before = await model.logits(b.ids, b.B, b.T);
    await model.enableLora({ r: 2, alpha: 8, target_modules: ['v_proj', 'gate_proj'] }, 3);
    expect(await model.logits(b.ids, b.B, b.T)).toEqual(before);
    const opt = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0, max_grad_norm: 1 };
    for (let i = 0; i < 2; i++) await model.trainStep([{ batch: b, objective: { kind: 'sft' } }], opt);
    expect(await model.getWeights({ merged: false })).toEqual(base);
    const merged = await model.getWeights();
    const lw = await model.getLoraWeights();
    for (const [name, t] of merged) {
      const targeted = /(v_proj|gate_proj)\.weight$/.test(name);
      expect(t.some((x, i) => x !== base.get(name)![i]), name).toBe(targeted);
    }
    const A = lw.get('model.layers.1.self_attn.v_proj.lora_A.weight')!;
    const B = lw.get('model.layers.1.self_attn.v_proj.lora_B.weight')!;
    const W = base.get('model.layers.1.self_attn.v_proj.weight')!;
    const M = merged.get('model.layers.1.self_attn.v_proj.weight')!;
    const [out, inn] = [8, 12];
    for (let o = 0; o < out; o++)
      for (let i = 0; i < inn; i++) expect(M[o * inn + i]!).toBeCloseTo(W[o * inn + i]! + 4 * (B[o * 2]! * A[i]! + B[o * 2 + 1]! * A[inn + i]!), 6);
    const st = await model.getOptimizerState();
    expect([...st.m.keys()].sort()).toEqual([...lw.keys()].sort());
    await expect(model.enableLora({ r: 2, alpha: 8, target_modules: ['qkv'] }, 1)).rejects.toThrow(/"qkv"/);
  });

  it('weights and optimizer state round-trip: a restored model takes the identical next step', async () => {
    const b = batch(GQA, 2, 6, 27);
    const mbs: MicroBatch[] = [{ batch: b, objective: { kind: 'sft' } }];
    const opt = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.1, max_grad_norm: 1 };
    const a = createCpuModel(GQA, { seed: 2 });
    await a.trainStep(mbs, opt);
    const w = await a.getWeights();
    const st = await a.getOptimizerState();
    const c = createCpuModel(GQA, w);
    await c.setOptimizerState(st);
    await a.trainStep(mbs, opt);
    await c.trainStep(mbs, opt);
    expect(await c.getWeights()).toEqual(await a.getWeights());
    await expect(c.setOptimizerState({ ...st, m: new Map() })).rejects.toThrow(/no m for model.embed_tokens.weight/);
    await expect(c.setWeights(new Map([['model.norm.weight', new Float32Array(3)]]))).rejects.toThrow(/missing model.embed_tokens.weight/);
  });
});

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * LoRA adapters (Hu et al. 2021, PEFT conventions): for a targeted projection W [out, in],
 * W' = W + (alpha/r)·B·A with A [r, in] (kaiming-uniform, PEFT's default: U(±1/√in)) and
 * B [out, r] zeros, so the model is unchanged until trained; the base stays frozen.
 * Names follow PEFT's state dict without its "base_model.model." prefix.
 */
import { Rng } from '../../synthesis/rng';
import { parameterSpecs, type LlamaConfig, type Weights } from './config';
import type { LoraSettings } from './causal-lm';

export const LORA_MODULES = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;

export interface LoraTarget {
  /** the base weight, e.g. "model.layers.0.self_attn.q_proj.weight" */
  base: string;
  a: string;
  b: string;
  out: number;
  in: number;
}

export function loraTargets(config: LlamaConfig, l: LoraSettings): LoraTarget[] {
  const bad = l.target_modules.filter((m) => !(LORA_MODULES as readonly string[]).includes(m));
  if (bad.length) throw new Error(`LoRA target_modules ${JSON.stringify(bad)} are not projections of this model (choose from ${LORA_MODULES.join(', ')})`);
  if (!Number.isInteger(l.r) || l.r < 1) throw new Error(`LoRA r must be a positive integer, got ${l.r}`);
  if (!(l.alpha > 0)) throw new Error(`LoRA alpha must be > 0, got ${l.alpha}`);
  const out: LoraTarget[] = [];
  for (const s of parameterSpecs(config)) {
    const m = /^(.*\.(\w+_proj))\.weight$/.exec(s.name);
    if (!m || !l.target_modules.includes(m[2]!)) continue;
    out.push({ base: s.name, a: `${m[1]}.lora_A.weight`, b: `${m[1]}.lora_B.weight`, out: s.shape[0]!, in: s.shape[1]! });
  }
  return out;
}

export const loraScale = (l: LoraSettings) => l.alpha / l.r;

export function initLora(targets: LoraTarget[], r: number, seed: number): Weights {
  const rng = new Rng(seed);
  const w: Weights = new Map();
  for (const t of targets) {
    const bound = 1 / Math.sqrt(t.in);
    const sub = new Rng(rng.fork());
    w.set(t.a, Float32Array.from({ length: r * t.in }, () => (sub.next() * 2 - 1) * bound));
    w.set(t.b, new Float32Array(t.out * r));
  }
  return w;
}

/** W + scale·B·A (float64 sums, rounded once). */
export function mergeLora(base: Float32Array, a: Float32Array, b: Float32Array, t: LoraTarget, r: number, scale: number): Float32Array {
  const out = new Float32Array(base.length);
  for (let o = 0; o < t.out; o++)
    for (let i = 0; i < t.in; i++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += b[o * r + k]! * a[k * t.in + i]!;
      out[o * t.in + i] = base[o * t.in + i]! + scale * s;
    }
  return out;
}

/**
 * Seeded initialisation shared by the CPU and GPU models, so the same seed gives the same
 * weights on both: normal(0, 0.02) for matrices (GPT-2 / nanoGPT), with the projections that
 * write into the residual stream (o_proj, down_proj) scaled by 1/√(2·layers) so the residual's
 * variance does not grow with depth; RMSNorm weights are ones.
 */
import { Rng } from '../../synthesis/rng';
import { numel, parameterSpecs, validateConfig, type LlamaConfig, type Weights } from './config';

export const INIT_STD = 0.02;

/** Standard normal draws (Box–Muller on the seeded generator; float64, rounded once to float32). */
export function normalFill(out: Float32Array, rng: Rng, std: number): Float32Array {
  for (let i = 0; i < out.length; i += 2) {
    const u1 = 1 - rng.next(); // (0, 1]: log stays finite
    const u2 = rng.next();
    const r = Math.sqrt(-2 * Math.log(u1)) * std;
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

export function isResidualProjection(name: string): boolean {
  return name.endsWith('self_attn.o_proj.weight') || name.endsWith('mlp.down_proj.weight');
}

/** Fresh weights for `config`, a pure function of the seed (each tensor draws from its own forked stream). */
export function initWeights(config: LlamaConfig, seed: number): Weights {
  const errs = validateConfig(config);
  if (errs.length) throw new Error(`invalid model config: ${errs.join('; ')}`);
  const rng = new Rng(seed);
  const w: Weights = new Map();
  const residualStd = INIT_STD / Math.sqrt(2 * config.num_hidden_layers);
  for (const spec of parameterSpecs(config)) {
    const t = new Float32Array(numel(spec.shape));
    const sub = new Rng(rng.fork()); // adding a tensor later does not shift the others' draws
    if (spec.init === 'ones') t.fill(1);
    else normalFill(t, sub, isResidualProjection(spec.name) ? residualStd : INIT_STD);
    w.set(spec.name, t);
  }
  return w;
}

/** Check a weight map against the config: every tensor present with the right size; names what is wrong. */
export function checkWeights(config: LlamaConfig, w: Weights): void {
  const problems: string[] = [];
  for (const spec of parameterSpecs(config)) {
    const t = w.get(spec.name);
    if (!t) problems.push(`missing ${spec.name} [${spec.shape.join(', ')}]`);
    else if (t.length !== numel(spec.shape)) problems.push(`${spec.name} has ${t.length} values, expected [${spec.shape.join(', ')}] = ${numel(spec.shape)}`);
  }
  if (problems.length) throw new Error(`weights do not fit the model config: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; … (${problems.length} problems)` : ''}`);
}

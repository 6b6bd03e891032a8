/** CPU references (float64) for the element-wise kernels: SwiGLU, RoPE, embedding, grad-norm clipping. */
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function swigluForwardCpu(g: ArrayLike<number>, u: ArrayLike<number>): Float32Array {
  return Float32Array.from({ length: g.length }, (_, i) => g[i]! * sigmoid(g[i]!) * u[i]!);
}

export function swigluBackwardCpu(g: ArrayLike<number>, u: ArrayLike<number>, dh: ArrayLike<number>) {
  const n = g.length;
  const dg = new Float32Array(n);
  const du = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const s = sigmoid(g[i]!);
    dg[i] = dh[i]! * u[i]! * s * (1 + g[i]! * (1 - s));
    du[i] = dh[i]! * g[i]! * s;
  }
  return { dg, du };
}

export interface RopeShape {
  rows: number;
  t: number;
  d: number;
  offset?: number;
  theta?: number;
}

/** Rotate-half RoPE (Hugging Face Llama) on [rows, t, d]; sign −1 applies the inverse (the backward). */
export function ropeCpu(x: ArrayLike<number>, s: RopeShape, sign = 1): Float32Array {
  const { rows, t, d } = s;
  const half = d / 2;
  const theta = s.theta ?? 10000;
  const y = new Float32Array(rows * t * d);
  for (let r = 0; r < rows; r++)
    for (let p = 0; p < t; p++) {
      const base = (r * t + p) * d;
      for (let j = 0; j < half; j++) {
        const ang = (p + (s.offset ?? 0)) * theta ** ((-2 * j) / d);
        const c = Math.cos(ang);
        const sn = Math.sin(ang) * sign;
        const a = x[base + j]!;
        const b = x[base + j + half]!;
        y[base + j] = a * c - b * sn;
        y[base + j + half] = b * c + a * sn;
      }
    }
  return y;
}

export function embeddingGatherCpu(table: ArrayLike<number>, ids: ArrayLike<number>, d: number): Float32Array {
  const out = new Float32Array(ids.length * d);
  for (let i = 0; i < ids.length; i++) for (let j = 0; j < d; j++) out[i * d + j] = table[ids[i]! * d + j]!;
  return out;
}

export function embeddingScatterAddCpu(dout: ArrayLike<number>, ids: ArrayLike<number>, vocab: number, d: number): Float32Array {
  const acc = new Float64Array(vocab * d);
  for (let i = 0; i < ids.length; i++) {
    if (!(ids[i]! >= 0 && ids[i]! < vocab)) continue; // the kernels skip ids outside the table
    for (let j = 0; j < d; j++) acc[ids[i]! * d + j]! += dout[i * d + j]!;
  }
  return Float32Array.from(acc);
}

/** torch.nn.utils.clip_grad_norm_: total L2 norm over all tensors and the coefficient min(1, max/(norm+1e-6)). */
export function gradNormCpu(grads: ArrayLike<number>[], maxNorm: number): { norm: number; coef: number } {
  let ss = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) ss += g[i]! ** 2;
  const norm = Math.sqrt(ss);
  return { norm, coef: Math.min(1, maxNorm / (norm + 1e-6)) };
}

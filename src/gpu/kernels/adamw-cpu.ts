/** CPU reference for one AdamW step, exactly torch.optim.AdamW's single-tensor update (float64). */
export interface AdamwConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weight_decay: number;
  /** 1-based step count after this update */
  step: number;
}

export function adamwCpu(param: ArrayLike<number>, grad: ArrayLike<number>, m: ArrayLike<number>, v: ArrayLike<number>, c: AdamwConfig, gradScale = 1) {
  const n = param.length;
  const p2 = new Float32Array(n);
  const m2 = new Float32Array(n);
  const v2 = new Float32Array(n);
  const bc1 = 1 - c.beta1 ** c.step;
  const bc2Sqrt = Math.sqrt(1 - c.beta2 ** c.step);
  for (let i = 0; i < n; i++) {
    const g = grad[i]! * gradScale;
    const x = param[i]! * (1 - c.lr * c.weight_decay);
    const mi = c.beta1 * m[i]! + (1 - c.beta1) * g;
    const vi = c.beta2 * v[i]! + (1 - c.beta2) * g * g;
    m2[i] = mi;
    v2[i] = vi;
    p2[i] = x - (c.lr / bc1) * (mi / (Math.sqrt(vi) / bc2Sqrt + c.eps));
  }
  return { param: p2, m: m2, v: v2 };
}

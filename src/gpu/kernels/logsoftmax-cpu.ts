/**
 * CPU references (float64) for per-token log-probs (log-softmax + target gather) and
 * cross-entropy. A negative target marks a row with no target (prompt / padding): logp 0,
 * no gradient, and not counted in the cross-entropy mean.
 */
function rowLse(logits: ArrayLike<number>, r: number, v: number): number {
  let mx = -Infinity;
  for (let j = 0; j < v; j++) mx = Math.max(mx, logits[r * v + j]!);
  let s = 0;
  for (let j = 0; j < v; j++) s += Math.exp(logits[r * v + j]! - mx);
  return mx + Math.log(s);
}

export function tokenLogprobsCpu(logits: ArrayLike<number>, targets: ArrayLike<number>, n: number, v: number): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const t = targets[r]!;
    out[r] = t < 0 ? 0 : logits[r * v + t]! - rowLse(logits, r, v);
  }
  return out;
}

/** dlogits = dlogp · (onehot(target) − softmax) per row */
export function tokenLogprobsBackwardCpu(logits: ArrayLike<number>, targets: ArrayLike<number>, dlogp: ArrayLike<number>, n: number, v: number): Float32Array {
  const out = new Float32Array(n * v);
  for (let r = 0; r < n; r++) {
    const t = targets[r]!;
    if (t < 0) continue;
    const lse = rowLse(logits, r, v);
    for (let j = 0; j < v; j++) out[r * v + j] = dlogp[r]! * ((j === t ? 1 : 0) - Math.exp(logits[r * v + j]! - lse));
  }
  return out;
}

/** mean over rows with a target of −log softmax(logits)[target], and its gradient */
export function crossEntropyCpu(logits: ArrayLike<number>, targets: ArrayLike<number>, n: number, v: number) {
  let count = 0;
  for (let r = 0; r < n; r++) if (targets[r]! >= 0) count++;
  const lp = tokenLogprobsCpu(logits, targets, n, v);
  let sum = 0;
  for (let r = 0; r < n; r++) sum += lp[r]!;
  const scale = count > 0 ? 1 / count : 0;
  const dlogp = new Float64Array(n).fill(-scale);
  return { loss: -sum * scale, dlogits: tokenLogprobsBackwardCpu(logits, targets, dlogp, n, v) };
}

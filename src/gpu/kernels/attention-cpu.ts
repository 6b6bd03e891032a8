/**
 * CPU reference for multi-head attention on [b, h, t, d] (scale 1/√d), float64 throughout:
 * the plain softmax(QKᵀ·scale + causal mask)·V formulation, materialising the t×t scores
 * the GPU kernel avoids, and its backward.
 */
export interface AttentionShape {
  b: number;
  h: number;
  t: number;
  d: number;
  causal: boolean;
}

function probs(q: ArrayLike<number>, k: ArrayLike<number>, base: number, s: AttentionShape): Float64Array {
  const { t, d } = s;
  const scale = 1 / Math.sqrt(d);
  const P = new Float64Array(t * t);
  for (let i = 0; i < t; i++) {
    const jmax = s.causal ? i + 1 : t;
    let mx = -Infinity;
    for (let j = 0; j < jmax; j++) {
      let dot = 0;
      for (let e = 0; e < d; e++) dot += q[base + i * d + e]! * k[base + j * d + e]!;
      P[i * t + j] = dot * scale;
      mx = Math.max(mx, dot * scale);
    }
    let sum = 0;
    for (let j = 0; j < jmax; j++) sum += P[i * t + j] = Math.exp(P[i * t + j]! - mx);
    for (let j = 0; j < jmax; j++) P[i * t + j]! /= sum;
  }
  return P;
}

export function attentionForwardCpu(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, s: AttentionShape): Float32Array {
  const { b, h, t, d } = s;
  const o = new Float32Array(b * h * t * d);
  for (let z = 0; z < b * h; z++) {
    const base = z * t * d;
    const P = probs(q, k, base, s);
    for (let i = 0; i < t; i++)
      for (let e = 0; e < d; e++) {
        let acc = 0;
        for (let j = 0; j < t; j++) acc += P[i * t + j]! * v[base + j * d + e]!;
        o[base + i * d + e] = acc;
      }
  }
  return o;
}

export function attentionBackwardCpu(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, dout: ArrayLike<number>, s: AttentionShape) {
  const { b, h, t, d } = s;
  const scale = 1 / Math.sqrt(d);
  const n = b * h * t * d;
  const dq = new Float32Array(n);
  const dk = new Float32Array(n);
  const dv = new Float32Array(n);
  for (let z = 0; z < b * h; z++) {
    const base = z * t * d;
    const P = probs(q, k, base, s);
    const dP = new Float64Array(t * t);
    for (let i = 0; i < t; i++)
      for (let j = 0; j < t; j++) {
        let acc = 0;
        for (let e = 0; e < d; e++) acc += dout[base + i * d + e]! * v[base + j * d + e]!;
        dP[i * t + j] = acc;
      }
    const dS = new Float64Array(t * t);
    for (let i = 0; i < t; i++) {
      let rowDot = 0;
      for (let j = 0; j < t; j++) rowDot += P[i * t + j]! * dP[i * t + j]!;
      for (let j = 0; j < t; j++) dS[i * t + j] = P[i * t + j]! * (dP[i * t + j]! - rowDot) * scale;
    }
    for (let i = 0; i < t; i++)
      for (let e = 0; e < d; e++) {
        let aq = 0;
        let ak = 0;
        let av = 0;
        for (let j = 0; j < t; j++) {
          aq += dS[i * t + j]! * k[base + j * d + e]!;
          ak += dS[j * t + i]! * q[base + j * d + e]!;
          av += P[j * t + i]! * dout[base + j * d + e]!;
        }
        dq[base + i * d + e] = aq;
        dk[base + i * d + e] = ak;
        dv[base + i * d + e] = av;
      }
  }
  return { dq, dk, dv };
}

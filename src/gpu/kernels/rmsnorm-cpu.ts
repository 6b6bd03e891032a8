/** CPU reference for RMSNorm over rows of length d (float64): y = x·w/√(mean(x²)+eps), and its backward. */
export function rmsnormForwardCpu(x: ArrayLike<number>, w: ArrayLike<number>, n: number, d: number, eps: number): Float32Array {
  const y = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    let ss = 0;
    for (let j = 0; j < d; j++) ss += x[r * d + j]! ** 2;
    const rstd = 1 / Math.sqrt(ss / d + eps);
    for (let j = 0; j < d; j++) y[r * d + j] = x[r * d + j]! * rstd * w[j]!;
  }
  return y;
}

export function rmsnormBackwardCpu(x: ArrayLike<number>, w: ArrayLike<number>, dy: ArrayLike<number>, n: number, d: number, eps: number) {
  const dx = new Float32Array(n * d);
  const dw = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    let ss = 0;
    for (let j = 0; j < d; j++) ss += x[r * d + j]! ** 2;
    const rstd = 1 / Math.sqrt(ss / d + eps);
    let dot = 0;
    for (let j = 0; j < d; j++) dot += dy[r * d + j]! * w[j]! * x[r * d + j]!;
    for (let j = 0; j < d; j++) {
      dx[r * d + j] = rstd * w[j]! * dy[r * d + j]! - (x[r * d + j]! * rstd ** 3 * dot) / d;
      dw[j]! += dy[r * d + j]! * x[r * d + j]! * rstd;
    }
  }
  return { dx, dw: Float32Array.from(dw) };
}

/** CPU reference for matmul: float64 accumulation, same operand layouts as the kernel. */
export interface MatmulShape {
  m: number;
  n: number;
  k: number;
  /** independent products stacked along the first axis (default 1) */
  batch?: number;
  /** A is stored k×m */
  transA?: boolean;
  /** B is stored n×k */
  transB?: boolean;
  /** overrides the generated label in error messages and step listings */
  label?: string;
}

/** c = alpha·op(a)·op(b) + beta·c0 (c0 defaults to zeros). */
export function matmulCpu(a: ArrayLike<number>, b: ArrayLike<number>, s: MatmulShape & { alpha?: number; beta?: number }, c0?: ArrayLike<number>): Float32Array {
  const { m, n, k } = s;
  const batch = s.batch ?? 1;
  const c = new Float32Array(batch * m * n);
  const row = new Float64Array(n);
  for (let z = 0; z < batch; z++) {
    const ao = z * m * k;
    const bo = z * k * n;
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const av = s.transA ? a[ao + p * m + i]! : a[ao + i * k + p]!;
        if (av === 0) continue;
        if (s.transB) for (let j = 0; j < n; j++) row[j]! += av * b[bo + j * k + p]!;
        else for (let j = 0; j < n; j++) row[j]! += av * b[bo + p * n + j]!;
      }
      const alpha = s.alpha ?? 1;
      const beta = s.beta ?? 0;
      for (let j = 0; j < n; j++) c[z * m * n + i * n + j] = alpha * row[j]! + (beta !== 0 && c0 ? beta * c0[z * m * n + i * n + j]! : 0);
    }
  }
  return c;
}

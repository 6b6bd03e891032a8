/** Test helpers shared by the kernel tests (Node and browser): seeded inputs and error measures. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    // xorshift32: reproducible inputs without a dependency
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

export function randomArray(n: number, seed: number, scale = 1, offset = 0): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale + offset);
}

/** max |got − want| / max(max |want|, floor): the relative error the tolerances are stated in */
export function relError(got: ArrayLike<number>, want: ArrayLike<number>, floor = 1e-6): number {
  if (got.length !== want.length) return Infinity;
  let err = 0;
  let mag = floor;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    if (!(d <= err)) err = Number.isNaN(d) ? Infinity : d;
    mag = Math.max(mag, Math.abs(want[i]!));
  }
  return err / mag;
}

/**
 * Central finite differences of the scalar L(x) at `count` coordinates of x, compared with
 * the analytic gradient: returns the worst |fd − analytic| − (atol + rtol·|analytic|) (≤ 0 passes).
 */
export function fdCheck(x: Float64Array, loss: (x: Float64Array) => number, analytic: ArrayLike<number>, opts: { count?: number; h?: number; atol?: number; rtol?: number; seed?: number } = {}): { worst: number; checked: number } {
  const { count = 12, h = 1e-3, atol = 1e-4, rtol = 1e-2 } = opts;
  const r = seededRandom(opts.seed ?? 7);
  let worst = -Infinity;
  const picks = x.length <= count ? Array.from(x.keys()) : Array.from({ length: count }, () => Math.floor(r() * x.length));
  for (const i of picks) {
    const orig = x[i]!;
    x[i] = orig + h;
    const lp = loss(x);
    x[i] = orig - h;
    const lm = loss(x);
    x[i] = orig;
    const fd = (lp - lm) / (2 * h);
    worst = Math.max(worst, Math.abs(fd - analytic[i]!) - (atol + rtol * Math.abs(analytic[i]!)));
  }
  return { worst, checked: picks.length };
}

export const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

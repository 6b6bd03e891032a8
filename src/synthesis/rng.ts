/**
 * Seeded pseudo-random numbers (sfc32, seeded through splitmix32), so a seed fully
 * determines a synthesis run on every platform; Math.random is never used here.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** uniform in [0, 1) */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** uniform integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: ArrayLike<T>): T {
    return xs[this.int(xs.length)]!;
  }

  /** In-place Fisher–Yates on the first `k` slots: after it, xs[0..k) is a uniform sample. */
  shufflePrefix<T>(xs: T[], k = xs.length): T[] {
    const n = xs.length;
    for (let i = 0; i < Math.min(k, n - 1); i++) {
      const j = i + this.int(n - i);
      const t = xs[i]!;
      xs[i] = xs[j]!;
      xs[j] = t;
    }
    return xs;
  }

  /** A derived seed, so sub-streams (e.g. the uniform comparison run) do not share draws. */
  fork(): number {
    return this.nextU32();
  }
}

/**
 * Draws indices with probability ∝ weights, by binary search over the cumulative sum:
 * O(n) to build, O(log n) per draw, no allocation per draw.
 */
export class WeightedSampler {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(weights: ArrayLike<number>) {
    this.cumulative = new Float64Array(weights.length);
    let s = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (!(w >= 0)) throw new Error(`weight ${i} is ${w}: weights must be finite and ≥ 0`);
      s += w;
      this.cumulative[i] = s;
    }
    this.total = s;
  }

  get size(): number {
    return this.cumulative.length;
  }

  draw(rng: Rng): number {
    const target = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Long-tail priority weight: (degree + 1)^(−α); α = 0 is uniform. */
export function longTailWeight(degree: number, alpha: number): number {
  return alpha === 0 ? 1 : Math.pow(degree + 1, -alpha);
}

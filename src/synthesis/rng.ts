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
    return firstAbove(this.cumulative, rng.next() * this.total);
  }
}

/** Long-tail priority weight: (degree + 1)^(−α); α = 0 is uniform. */
export function longTailWeight(degree: number, alpha: number): number {
  return alpha === 0 ? 1 : Math.pow(degree + 1, -alpha);
}

/**
 * A weighted sampler from which indices can be taken out (an answer that keeps failing):
 * draws ∝ weights among the indices still in, by rejection while little weight is out and a
 * rebuild of the cumulative sums when half of it is. Deterministic for a seed.
 */
export class ShrinkingSampler {
  private weights: Float64Array;
  private removed: Uint8Array;
  private cumulative: Float64Array;
  private index: Uint32Array;
  private total = 0;
  private removedWeight = 0;
  private live: number;

  constructor(weights: ArrayLike<number>) {
    this.weights = Float64Array.from(weights);
    for (let i = 0; i < this.weights.length; i++) if (!(this.weights[i]! >= 0)) throw new Error(`weight ${i} is ${this.weights[i]}: weights must be finite and ≥ 0`);
    this.removed = new Uint8Array(this.weights.length);
    this.cumulative = new Float64Array(0);
    this.index = new Uint32Array(0);
    this.live = this.weights.length;
    this.rebuild();
  }

  /** indices still in */
  get size(): number {
    return this.live;
  }

  private rebuild(): void {
    let n = 0;
    for (let i = 0; i < this.weights.length; i++) if (!this.removed[i] && this.weights[i]! > 0) n++;
    this.cumulative = new Float64Array(n);
    this.index = new Uint32Array(n);
    let s = 0;
    for (let i = 0, k = 0; i < this.weights.length; i++) {
      if (this.removed[i] || !(this.weights[i]! > 0)) continue;
      s += this.weights[i]!;
      this.cumulative[k] = s;
      this.index[k++] = i;
    }
    this.total = s;
    this.removedWeight = 0;
  }

  /** take index i out of the draw */
  remove(i: number): void {
    if (this.removed[i]) return;
    this.removed[i] = 1;
    this.live--;
    this.removedWeight += this.weights[i]!;
    if (this.removedWeight > this.total / 2) this.rebuild();
  }

  /** an index still in, ∝ its weight; -1 when none is left */
  draw(rng: Rng): number {
    if (this.live === 0 || this.cumulative.length === 0) return -1;
    for (;;) {
      const i = this.index[firstAbove(this.cumulative, rng.next() * this.total)]!;
      if (!this.removed[i]) return i;
    }
  }
}

/** the first index whose cumulative weight exceeds target (binary search; the last index if none does) */
function firstAbove(cumulative: ArrayLike<number>, target: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

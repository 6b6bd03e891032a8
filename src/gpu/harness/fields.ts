/** Field readers for harness JSON: each failure names the op, the field and what was wrong. */
export class HarnessInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HarnessInputError';
  }
}

export type Json = Record<string, unknown>;

export class Fields {
  constructor(
    private readonly op: string,
    private readonly input: Json,
  ) {}

  private fail(field: string, what: string): never {
    throw new HarnessInputError(`${this.op}: field "${field}" ${what}`);
  }

  int(field: string, min = 1): number {
    const v = this.input[field];
    if (v === undefined) this.fail(field, 'is missing');
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) this.fail(field, `must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    return v;
  }

  num(field: string, opts: { min?: number; max?: number; fallback?: number } = {}): number {
    const v = this.input[field] ?? opts.fallback;
    if (v === undefined) this.fail(field, 'is missing');
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(field, `must be a finite number, got ${JSON.stringify(v)}`);
    if (opts.min !== undefined && v < opts.min) this.fail(field, `must be ≥ ${opts.min}, got ${v}`);
    if (opts.max !== undefined && v > opts.max) this.fail(field, `must be ≤ ${opts.max}, got ${v}`);
    return v;
  }

  bool(field: string, fallback?: boolean): boolean {
    const v = this.input[field] ?? fallback;
    if (typeof v !== 'boolean') this.fail(field, v === undefined ? 'is missing' : `must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  choice<T extends string>(field: string, options: readonly T[], fallback?: T): T {
    const v = this.input[field] ?? fallback;
    if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
      this.fail(field, `must be one of ${options.map((o) => `"${o}"`).join(', ')}, got ${JSON.stringify(v)}`);
    }
    return v as T;
  }

  /** Length of an array field whose length is free (it sets the length of the others). */
  length(field: string): number {
    const v = this.input[field];
    if (v === undefined) this.fail(field, 'is missing');
    if (!Array.isArray(v)) this.fail(field, `must be an array of numbers, got ${typeof v}`);
    return v.length;
  }

  has(field: string): boolean {
    return this.input[field] !== undefined;
  }

  /** An array of `length` finite numbers (`why` explains the expected length, e.g. "m·k = 17·65"). */
  floats(field: string, length: number, why: string): Float32Array {
    const v = this.input[field];
    if (v === undefined) this.fail(field, 'is missing');
    if (!Array.isArray(v)) this.fail(field, `must be an array of numbers, got ${typeof v}`);
    if (v.length !== length) this.fail(field, `has ${v.length} elements, expected ${length} (${why})`);
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      const x = v[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) this.fail(field, `element ${i} is ${JSON.stringify(x)}, not a finite number`);
      out[i] = x;
    }
    return out;
  }

  ints(field: string, length: number, why: string, min: number, max: number): Int32Array {
    const f = this.floats(field, length, why);
    const out = new Int32Array(length);
    for (let i = 0; i < length; i++) {
      const x = f[i]!;
      if (!Number.isInteger(x) || x < min || x > max) this.fail(field, `element ${i} is ${x}, expected an integer in [${min}, ${max}]`);
      out[i] = x;
    }
    return out;
  }
}

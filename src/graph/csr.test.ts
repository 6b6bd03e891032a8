import { describe, expect, it } from 'vitest';
import { buildCsr, csrDegree } from './csr';

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('buildCsr', () => {
  it('lists every edge under its source, in input order, with its edge id', () => {
    const rnd = lcg(7);
    const n = 37;
    const m = 501;
    const from = Uint32Array.from({ length: m }, () => Math.floor(rnd() * n));
    const to = Uint32Array.from({ length: m }, () => Math.floor(rnd() * n));
    const csr = buildCsr(n, from, to);
    const naive: number[][] = Array.from({ length: n }, () => []);
    for (let e = 0; e < m; e++) naive[from[e]!]!.push(e);
    for (let v = 0; v < n; v++) {
      expect(csrDegree(csr, v)).toBe(naive[v]!.length);
      const ids = Array.from(csr.edgeIds.subarray(csr.offsets[v]!, csr.offsets[v + 1]!));
      expect(ids).toEqual(naive[v]);
      expect(Array.from(csr.targets.subarray(csr.offsets[v]!, csr.offsets[v + 1]!))).toEqual(ids.map((e) => to[e]));
    }
  });

  it('handles isolated nodes and an empty edge list', () => {
    const csr = buildCsr(3, new Uint32Array(0), new Uint32Array(0));
    expect(Array.from(csr.offsets)).toEqual([0, 0, 0, 0]);
  });
});

import { describe, expect, it } from 'vitest';
import { embedScatterCsr } from './lm-norm';

describe('embedScatterCsr (positions grouped by token id for the embedding scatter)', () => {
  it('lists the distinct ids ascending, each with its positions ascending, and leaves out ids outside the table', () => {
    const { data, distinct } = embedScatterCsr([2, 0, 2, 5, -1, 2, 0, 3], 4);
    expect(distinct).toBe(3);
    expect([...data.subarray(0, 4)]).toEqual([0, 2, 5, 6]); // offsets
    expect([...data.subarray(4, 7)]).toEqual([0, 2, 3]); // ids
    expect([...data.subarray(7)]).toEqual([1, 6, 0, 2, 5, 7]); // 0 → 1, 6; 2 → 0, 2, 5; 3 → 7
  });

  it('is empty when no id is in the table', () => {
    expect(embedScatterCsr([9, -2], 3)).toEqual({ data: Uint32Array.from([0]), distinct: 0 });
    expect(embedScatterCsr([], 2)).toEqual({ data: Uint32Array.from([0]), distinct: 0 });
  });
});

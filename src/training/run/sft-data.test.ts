import { describe, expect, it } from 'vitest';
import { bucketedEpoch, sftBatch } from './sft-data';

describe('SFT rows', () => {
  it('loss on completion + EOS only, ids = row without its last token', () => {
    // BOS=0 prompt 5 6 | completion 7 8 EOS=1
    const b = sftBatch([{ id: 'a', difficulty: 'easy', ids: [0, 5, 6, 7, 8, 1], promptLength: 3, truncated: false }, { id: 'b', difficulty: 'easy', ids: [0, 5, 9, 1], promptLength: 2, truncated: false }], 2);
    expect([b.B, b.T]).toEqual([2, 5]);
    expect([...b.ids.slice(0, 5)]).toEqual([0, 5, 6, 7, 8]);
    expect([...b.targets.slice(0, 5)]).toEqual([-1, -1, 7, 8, 1]);
    expect([...b.ids.slice(5)]).toEqual([0, 5, 9, 2, 2]);
    expect([...b.targets.slice(5)]).toEqual([-1, 9, 1, -1, -1]);
  });
});

describe('length-bucketed epochs', () => {
  const lengths = Array.from({ length: 200 }, (_, i) => 5 + ((i * 37) % 90));
  it('cover every example once per epoch, seeded, different per epoch', () => {
    const e0 = bucketedEpoch(lengths, 8, 7, 0);
    expect(e0.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    expect(bucketedEpoch(lengths, 8, 7, 0)).toEqual(e0);
    expect(bucketedEpoch(lengths, 8, 7, 1)).not.toEqual(e0);
    expect(bucketedEpoch(lengths, 8, 8, 0)).not.toEqual(e0);
  });
  it('hold rows of similar length: far less padding than a plain shuffle', () => {
    const pad = (batches: number[][]) => batches.reduce((s, b) => s + b.length * Math.max(...b.map((i) => lengths[i]!)) - b.reduce((t, i) => t + lengths[i]!, 0), 0);
    const bucketed = pad(bucketedEpoch(lengths, 8, 7, 0));
    const plain = pad(bucketedEpoch(lengths, 8, 7, 0, 1)); // a chunk of one batch: no sorting across batches
    expect(bucketed).toBeLessThan(plain / 3);
  });
});

import { describe, expect, it } from 'vitest';
import { mixDatasets } from './mix';
import type { Difficulty, QuestionRecord } from './record';

const make = (source: string, tiers: Record<Difficulty, number>): QuestionRecord[] =>
  (Object.entries(tiers) as [Difficulty, number][]).flatMap(([d, k]) =>
    Array.from({ length: k }, (_, i) => ({ id: `${source}-${d}-${i}`, question: 'q', options: { A: 'a', B: 'b', C: 'c' }, answer_idx: 'A', answer: 'a', difficulty: d, type: 't', source, status: 'pending' as const })),
  );

describe('mixing synthetic and imported items', () => {
  const syn = make('synthetic', { easy: 300, moderate: 300, difficult: 300 });
  const imp = make('medqa', { easy: 50, moderate: 200, difficult: 30 });

  it('keeps the chosen share in every difficulty tier', () => {
    const { records, report } = mixDatasets(syn, imp, { importedShare: 0.2, seed: 1 });
    for (const d of ['easy', 'moderate', 'difficult'] as const) {
      const tier = records.filter((r) => r.difficulty === d);
      const share = tier.filter((r) => r.source === 'medqa').length / tier.length;
      expect(share, d).toBeCloseTo(0.2, 1);
      expect(report.perDifficulty[d].imported + report.perDifficulty[d].synthetic).toBe(tier.length);
    }
    expect(report.importedShare).toBeCloseTo(0.2, 2);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
  });

  it('scales to a requested size, is deterministic for a seed, and rejects a bad share', () => {
    const a = mixDatasets(syn, imp, { importedShare: 0.3, n: 200, seed: 5 });
    const b = mixDatasets(syn, imp, { importedShare: 0.3, n: 200, seed: 5 });
    expect(a.records.length).toBeGreaterThanOrEqual(198);
    expect(a.records.length).toBeLessThanOrEqual(202);
    expect(a.records.map((r) => r.id)).toEqual(b.records.map((r) => r.id));
    expect(mixDatasets(syn, imp, { importedShare: 0, seed: 1 }).records.every((r) => r.source === 'synthetic')).toBe(true);
    expect(() => mixDatasets(syn, imp, { importedShare: 1.5, seed: 1 })).toThrow(/between 0 and 1/);
  });
});

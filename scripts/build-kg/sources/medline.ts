/** Disease-disease "resembles" from MEDLINE topic co-occurrence, with a strict enrichment threshold. */
import { datasetBit } from '../../../src/graph/attribution';
import { bump, srcPath, type BuildContext } from '../context';
import { readTsv } from '../tsv';
import { ensureDisease } from './common';

/** Threshold: observed/expected >= 3, >= 10 co-occurring articles, Fisher p <= 1e-6. */
export const RESEMBLES_THRESHOLD = { minEnrichment: 3, minCooccurrence: 10, maxP: 1e-6 } as const;

export function passesResemblesThreshold(enrichment: number, cooccurrence: number, p: number): boolean {
  return enrichment >= RESEMBLES_THRESHOLD.minEnrichment && cooccurrence >= RESEMBLES_THRESHOLD.minCooccurrence && p <= RESEMBLES_THRESHOLD.maxP;
}

export function loadMedline(ctx: BuildContext): void {
  const bit = datasetBit('medline_cooccurrence');
  for (const r of readTsv(srcPath(ctx, 'medline-cooccurrence', 'disease-disease-cooccurrence.tsv'))) {
    if (!passesResemblesThreshold(Number(r.enrichment), Number(r.cooccurrence), Number(r.p_fisher))) continue;
    const a = ensureDisease(ctx, r.doid_code_0 ?? '', r.doid_name_0 ?? '', bit);
    const b = ensureDisease(ctx, r.doid_code_1 ?? '', r.doid_name_1 ?? '', bit);
    if (ctx.edges.add('resembles', a, b, bit)) bump(ctx, 'medline_resembles_kept');
  }
}

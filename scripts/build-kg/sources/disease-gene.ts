/** Disease-gene associations from Hetionet's DaG-association.tsv, licence-filtered per row. */
import { datasetBit } from '../../../src/graph/attribution';
import { bump, srcPath, type BuildContext } from '../context';
import { readTsv } from '../tsv';
import { ensureDisease } from './common';

/**
 * Keep a row only if it is asserted by a permissive source (DISEASES, CC BY 4.0; GWAS
 * Catalog) and its own licence column is not ODbL. Rows backed only by DisGeNET (ODbL)
 * and/or DOAF (no licence) are dropped.
 */
export function keepDaGRow(sources: string, licence: string): boolean {
  if (/odbl/i.test(licence)) return false;
  const s = sources.split('|');
  return s.includes('DISEASES') || s.includes('GWAS Catalog');
}

export function loadDiseaseGene(ctx: BuildContext): void {
  const bit = datasetBit('diseases_gwas');
  for (const r of readTsv(srcPath(ctx, 'hetionet', 'DaG-association.tsv'))) {
    if (!keepDaGRow(r.sources ?? '', r.license ?? '')) {
      bump(ctx, /odbl/i.test(r.license ?? '') ? 'dag_dropped_odbl' : 'dag_dropped_no_permissive_source');
      continue;
    }
    const disease = ensureDisease(ctx, r.doid_id ?? '', r.doid_name ?? '', bit);
    const geneId = `NCBIGene:${r.entrez_gene_id ?? ''}`;
    let gene = ctx.reg.get(geneId)?.id;
    if (!gene && r.entrez_gene_id && r.gene_symbol) gene = ctx.reg.upsert('gene', geneId, r.gene_symbol, bit).id;
    if (ctx.edges.add('associates', disease, gene, bit)) bump(ctx, 'dag_kept');
    else bump(ctx, 'dag_unresolved');
  }
}

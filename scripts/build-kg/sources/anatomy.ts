/** Anatomy: Uberon 2015 names (lookup table) and the Hetionet slim with UBERON<->MeSH mappings (nodes). */
import { datasetBit } from '../../../src/graph/attribution';
import { normName } from '../normalize';
import { srcPath, type BuildContext } from '../context';
import { readTsv } from '../tsv';
import { preferredAnatomyName } from './anatomy-hierarchy';

export function loadUberon(ctx: BuildContext): void {
  const bit = datasetBit('uberon');
  for (const r of readTsv(srcPath(ctx, 'uberon-2015', 'terms.tsv'))) {
    const id = r.uberon_id ?? '';
    const name = r.uberon_name ?? '';
    if (!id.startsWith('UBERON:') || !name) continue;
    ctx.lookup.uberonNames.set(id, name);
    const k = normName(name);
    if (!ctx.lookup.uberonByName.has(k)) ctx.lookup.uberonByName.set(k, id);
  }
  for (const r of readTsv(srcPath(ctx, 'uberon-2015', 'hetio-slim.tsv'))) {
    const id = r.uberon_id ?? '';
    if (!id.startsWith('UBERON:')) continue;
    const uberonName = r.uberon_name ?? '';
    const e = ctx.reg.upsert('anatomy', id, preferredAnatomyName(uberonName, r.mesh_name || undefined), bit);
    ctx.reg.addSynonym(e, uberonName);
    if (r.mesh_id) {
      ctx.reg.addXref(e, `MESH:${r.mesh_id}`);
      e.datasets |= datasetBit('mesh_2015');
    }
    if (r.bto_id) ctx.reg.addXref(e, r.bto_id);
  }
}

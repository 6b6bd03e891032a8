/** PharmacotherapyDB (DOID + DrugBank) and LabeledIn (RxNorm + UMLS CUI) indications. */
import { datasetBit } from '../../../src/graph/attribution';
import { bump, srcPath, type BuildContext } from '../context';
import { readTsv } from '../tsv';
import { normName, uninvert } from '../normalize';
import { ensureDisease } from './common';

export const PHARMACOTHERAPYDB_CATEGORY: Record<string, string> = {
  DM: 'treats',
  SYM: 'palliates',
  NOT: 'not_indicated_for',
};

/** Drug for a DrugBank id: DrugCentral node via xref, else by name, else own DrugBank node. */
function drugForDrugBank(ctx: BuildContext, drugbank: string, name: string, bits: number, statPrefix: string): string {
  const db = `DrugBank:${drugbank}`;
  const hit = ctx.reg.resolve('drug', { xrefs: [db], names: [name] });
  if (hit) {
    const e = ctx.reg.get(hit.id)!;
    ctx.reg.addXref(e, db);
    e.datasets |= bits;
    bump(ctx, `${statPrefix}_drug_joined_by_${hit.via === 'xref' ? 'drugbank' : 'name'}`);
    return hit.id;
  }
  bump(ctx, `${statPrefix}_drug_own_node`);
  ctx.reg.upsert('drug', db, name, bits);
  return db;
}

/**
 * Is a PharmacotherapyDB row agreed on well enough to stand alone? Fewer than two of the
 * three curators, or (for an indication, DM/SYM) fewer than two of the source resources,
 * is low agreement: irbesartan "treats" type 2 diabetes (1 curator; the resources meant
 * diabetic nephropathy), orlistat type 2 diabetes (1 resource). For NOT rows the resources
 * count the sources that listed the pair as an indication the curators then refused, so only
 * the curators count.
 */
export function pharmacotherapyDbAgreed(category: string, curators: number, resources: number): boolean {
  if (!(curators >= 2)) return false;
  return category === 'NOT' || resources >= 2;
}

export function loadPharmacotherapyDb(ctx: BuildContext): void {
  const bit = datasetBit('pharmacotherapydb');
  const low = datasetBit('pharmacotherapydb_low_agreement');
  for (const r of readTsv(srcPath(ctx, 'pharmacotherapydb', 'indications.tsv'))) {
    const type = PHARMACOTHERAPYDB_CATEGORY[r.category ?? ''];
    if (!type || !r.drugbank_id) continue;
    const agreed = pharmacotherapyDbAgreed(r.category ?? '', Number(r.n_curators), Number(r.n_resources));
    // the nodes are PharmacotherapyDB's either way; only the edge says how well the row is agreed on
    const rowBit = agreed ? bit : low;
    const drug = drugForDrugBank(ctx, r.drugbank_id, r.drug ?? '', bit, 'pharmacotherapydb');
    const disease = ensureDisease(ctx, r.doid_id ?? '', r.disease ?? '', bit);
    if (!ctx.edges.add(type, drug, disease, rowBit)) bump(ctx, 'pharmacotherapydb_unresolved');
    else if (!agreed) bump(ctx, `pharmacotherapydb_low_agreement_${type}`);
  }
}

export function loadLabeledIn(ctx: BuildContext): void {
  for (const r of readTsv(srcPath(ctx, 'labeledin', 'indications.tsv'))) {
    // rows only the crowd annotated are kept apart: a label sentence about a complication
    // ("diabetic nephropathy in hypertensive patients with type 2 diabetes") read as an indication
    const bit = Number(r.expert) > 0 ? datasetBit('labeledin') : datasetBit('labeledin_crowd');
    const drugHit = ctx.reg.resolve('drug', { xrefs: [`RxNorm:${r.rxnorm_id ?? ''}`], names: [r.rxnorm_name ?? ''] });
    const meshName = r.disease_mesh_name ?? '';
    const inv = uninvert(meshName);
    const mesh = ctx.lookup.meshByName.get(normName(meshName));
    const xrefs = [`UMLS:${r.disease_cui ?? ''}`, ...(mesh ? [mesh] : [])];
    const disHit = ctx.reg.resolve('disease', { xrefs, names: inv ? [meshName, inv] : [meshName] });
    if (drugHit) bump(ctx, `labeledin_drug_joined_by_${drugHit.via === 'xref' ? 'rxnorm' : 'name'}`);
    else bump(ctx, 'labeledin_drug_unmatched');
    if (disHit) bump(ctx, `labeledin_disease_joined_by_${disHit.via === 'xref' ? 'umls_or_mesh' : 'name'}`);
    else bump(ctx, 'labeledin_disease_unmatched');
    if (drugHit && disHit && ctx.edges.add('treats', drugHit.id, disHit.id, bit)) {
      ctx.reg.get(drugHit.id)!.datasets |= datasetBit('labeledin');
      ctx.reg.get(disHit.id)!.datasets |= datasetBit('labeledin');
    }
  }
}

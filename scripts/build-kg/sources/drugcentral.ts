/** DrugCentral 2016: drugs + identifiers, pharmacologic classes, target genes, indications. */
import { datasetBit } from '../../../src/graph/attribution';
import { bump, srcPath, type BuildContext } from '../context';
import { readTsv } from '../tsv';
import { ensureDrugCentral } from './common';
import { normName } from '../normalize';

/** identifiers.tsv ID_TYPE -> CURIE (types not listed are not kept). */
export function drugCentralXref(idType: string, value: string): string | undefined {
  if (!value) return undefined;
  switch (idType) {
    case 'DRUGBANK_ID':
      return `DrugBank:${value}`;
    case 'RXNORM':
      return `RxNorm:${value}`;
    case 'UMLSCUI':
      return `UMLS:${value}`;
    case 'CHEBI':
      return value.startsWith('CHEBI:') ? value : `CHEBI:${value}`;
    case 'MESH_DESCRIPTOR_UI':
    case 'MESH_SUPPLEMENTAL_RECORD_UI':
      return `MESH:${value}`;
    case 'ChEMBL_ID':
      return `ChEMBL:${value}`;
    case 'UNII':
      return `UNII:${value}`;
    default:
      return undefined;
  }
}

export function loadDrugCentralIdentifiers(ctx: BuildContext): void {
  for (const r of readTsv(srcPath(ctx, 'drugcentral-2016', 'identifiers.tsv'))) {
    const id = ensureDrugCentral(ctx, r.DRUG_ID ?? '', r.DRUG_NAME ?? '');
    const x = drugCentralXref(r.ID_TYPE ?? '', r.IDENTIFIER ?? '');
    if (id && x) ctx.reg.addXref(ctx.reg.get(id)!, x);
  }
  bump(ctx, 'drugs_drugcentral', ctx.reg.ofType('drug').length);
}

/** Class CURIE from a pharm_class row. */
export function pharmClassId(source: string, classId: string): string | undefined {
  if (!classId) return undefined;
  if (source === 'MeSH') return `MESH:${classId}`;
  if (source === 'FDA') return `NDFRT:${classId}`;
  if (source === 'CHEBI') return classId.startsWith('CHEBI:') ? classId : `CHEBI:${classId}`;
  return undefined;
}

export function loadDrugCentralRelations(ctx: BuildContext): void {
  const bit = datasetBit('drugcentral');
  for (const r of readTsv(srcPath(ctx, 'drugcentral-2016', 'pharm_class.tsv'))) {
    const drug = ensureDrugCentral(ctx, r.DRUG_ID ?? '', r.DRUG_NAME ?? '');
    const cls = pharmClassId(r.SOURCE ?? '', r.CLASS_SOURCE_ID ?? '');
    if (!drug || !cls || !r.CLASS) continue;
    const e = ctx.reg.upsert('pharmacologic_class', cls, ctx.reg.get(cls)?.name ?? r.CLASS, bit);
    if (r.SOURCE === 'MeSH') e.datasets |= datasetBit('mesh_2015');
    ctx.edges.add('in_class', drug, cls, bit);
  }

  for (const r of readTsv(srcPath(ctx, 'drugcentral-2016', 'drug_target.tsv'))) {
    const drug = ensureDrugCentral(ctx, r.DRUG_ID ?? '', r.DRUG_NAME ?? '');
    for (const sym of (r.GENE ?? '').split('|')) {
      if (!sym) continue;
      const gene = ctx.lookup.geneBySymbol.get(sym.trim().toUpperCase());
      if (ctx.edges.add('targets', drug, gene, bit)) bump(ctx, 'targets_gene_joined_by_symbol');
      else bump(ctx, 'targets_gene_symbol_unmatched');
    }
  }

  for (const r of readTsv(srcPath(ctx, 'drugcentral-2016', 'drug_indication.tsv'))) {
    const drug = ensureDrugCentral(ctx, r.DRUG_ID ?? '', r.DRUG_NAME ?? '');
    let disease: string | undefined;
    let via = 'unmatched';
    if (r.DOID && ctx.reg.get(r.DOID)?.type === 'disease') {
      disease = r.DOID;
      via = 'doid';
    } else if (r.UMLS_CUI && (disease = ctx.reg.byXref('disease', `UMLS:${r.UMLS_CUI}`))) {
      via = 'umls';
    } else if (r.SNOMEDCT_CUI && (disease = ctx.reg.byXref('disease', `SNOMEDCT:${r.SNOMEDCT_CUI}`))) {
      via = 'snomed';
    } else if (r.INDICATION_FDB && (disease = ctx.reg.byName('disease', r.INDICATION_FDB))) {
      via = 'name';
    } else {
      const mesh = ctx.lookup.meshByName.get(normName(r.INDICATION_FDB ?? ''));
      if (mesh && (disease = ctx.reg.byXref('disease', mesh))) via = 'mesh_name';
    }
    if (disease && ctx.edges.add('treats', drug, disease, bit)) {
      bump(ctx, `drugcentral_indications_disease_via_${via}`);
      continue;
    }
    // indications that are symptoms (cough, nasal congestion, pain …): drug relieves symptom
    const symptom =
      (r.UMLS_CUI ? ctx.reg.byXref('symptom', `UMLS:${r.UMLS_CUI}`) : undefined) ?? ctx.reg.byName('symptom', r.INDICATION_FDB ?? '');
    if (symptom && ctx.edges.add('treats_symptom', drug, symptom, bit)) bump(ctx, 'drugcentral_indications_symptom');
    else bump(ctx, 'drugcentral_indications_unmatched');
  }
}

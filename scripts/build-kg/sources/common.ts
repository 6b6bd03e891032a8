/** Helpers that create-or-find nodes of one type from an identifier. */
import { datasetBit } from '../../../src/graph/attribution';
import { bump, srcPath, type BuildContext } from '../context';
import { readTsv } from '../tsv';

const facetRows = new WeakMap<BuildContext, Record<string, string>[]>();
/** DO's facets.tsv.gz rows (facets, definitions), read once per build: three loaders use them */
export function doFacetRows(ctx: BuildContext): Record<string, string>[] {
  let rows = facetRows.get(ctx);
  if (!rows) facetRows.set(ctx, (rows = readTsv(srcPath(ctx, 'disease-ontology', 'facets.tsv.gz'))));
  return rows;
}

/** A disease by DOID: existing node, else one named from DO 2015 or the caller's name. */
export function ensureDisease(ctx: BuildContext, doid: string, fallbackName: string, bits: number): string | undefined {
  if (!/^DOID:\d+$/.test(doid)) return undefined;
  const e = ctx.reg.get(doid);
  if (e) {
    if (e.type !== 'disease') return undefined;
    e.datasets |= bits;
    return doid;
  }
  const old = ctx.lookup.do2015Names.get(doid);
  const name = old ?? fallbackName;
  if (!name || /^obsolete\b/i.test(name)) return undefined; // a retired term: its rows are not carried over
  bump(ctx, 'diseases_created_not_in_current_DO');
  ctx.reg.upsert('disease', doid, name, bits | (old ? datasetBit('disease_ontology_2015') : 0));
  return doid;
}

export function ensureAnatomy(ctx: BuildContext, uberon: string, bits: number, fallbackName = ''): string | undefined {
  if (!/^UBERON:\d+$/.test(uberon)) return undefined;
  const e = ctx.reg.get(uberon);
  if (e) {
    e.datasets |= bits;
    return uberon;
  }
  const name = ctx.lookup.uberonNames.get(uberon) ?? fallbackName;
  if (!name) return undefined;
  ctx.reg.upsert('anatomy', uberon, name, bits | datasetBit('uberon'));
  return uberon;
}

export function ensurePathogen(ctx: BuildContext, taxon: string, bits: number): string | undefined {
  const e = ctx.reg.get(taxon);
  if (e) {
    e.datasets |= bits;
    return taxon;
  }
  const name = ctx.lookup.taxonNames.get(taxon);
  if (!name) return undefined;
  ctx.reg.upsert('pathogen', taxon, name, bits);
  return taxon;
}

/** A DrugCentral drug by numeric id (created with the given name if new). */
export function ensureDrugCentral(ctx: BuildContext, drugId: string, name: string): string | undefined {
  if (!/^\d+$/.test(drugId)) return undefined;
  const id = `DrugCentral:${drugId}`;
  const e = ctx.reg.get(id);
  if (e) {
    e.datasets |= datasetBit('drugcentral');
    return id;
  }
  if (!name) return undefined;
  ctx.reg.upsert('drug', id, name, datasetBit('drugcentral'));
  return id;
}

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

/** FDA class kinds that are not pharmacologic classes: physiologic effects ("Increased Diuresis") and chemical groupings ("Boron Compounds"). */
const NON_CLASS_KINDS = new Set(['PE', 'Chemical/Ingredient']);
/**
 * Mechanisms that describe a drug-interaction liability, not what the drug is for: inhibition
 * or induction of drug-metabolising enzymes (CYP1A/2x/3A, UGT) and drug transporters (P-gp,
 * BCRP, OAT/OATP/OCT, MATE). CYP17A1 (abiraterone's target) is a therapeutic mechanism and stays.
 */
const INTERACTION_CLASS =
  /^(Cytochrome P450 (1A|2[A-E]|3A)\w* (Inhibitors?|Inducers?)|P-Glycoprotein \w+|Breast Cancer Resistance Protein \w+|Organic (Anion|Cation) Transport.*|Multidrug and Toxin Extrusion.*|UGT\w+ Inhibitors?|UDP Glucuronosyltransferases \w+)$/;
/** ChEBI roles that are not therapeutic classes (uses, provenance or chemistry: "prodrug", "food colouring", "insecticide" …). */
const NON_THERAPEUTIC_ROLE =
  /prodrug|allergen|nutraceutical|orphan drug|agrochemical|solvent|insecticide|pesticide|acaricide|herbicide|fungicide|rodenticide|avicide|molluscicide|insect|food|dye|fluoro|refrigerant|detergent|biomarker|reagent|indicator|plasticiser|fertilizer|fragrance|flavouring|sweetening|propellant|excipient|MALDI|mordant|curing agent|tracer|probe|plant activator|raising agent|flour|diagnostic agent|radioopaque|enzyme mimic|pyrethroid|sterilant|coccidiostat|protective agent/i;

/** MeSH pharmacologic actions that are uses of a chemical outside therapy ("Pharmaceutic Aids", "Rodenticides", "Cross-Linking Reagents" …). */
const NON_THERAPEUTIC_ACTION =
  /^(Pharmaceutic Aids|Excipients|Pharmaceutical Vehicles|Solvents|Reagents|Cross-Linking Reagents|Indicators and Reagents|Food Additives|Food Preservatives|Flavoring Agents|Sweetening Agents|Coloring Agents|Preservatives, Pharmaceutical|Rodenticides|Pesticides|Insecticides|Herbicides|Fungicides, Industrial|Acaricides|Molluscacides|Chemosterilants|Insect Repellents|Pesticide Synergists|Environmental Pollutants|Carcinogens|Mutagens|Teratogens|Poisons|Toxins, Biological|Chemical Warfare Agents|Noxae|Irritants|Allergens|Haptens|Biomarkers|Fluorescent Dyes|Coloring Agents|Dyes|Contrast Media|Radiopharmaceuticals|Diagnostic Uses of Chemicals|Tissue Fixatives|Plasticizers|Detergents|Surface-Active Agents|Emulsifying Agents|Antioxidants|Free Radical Scavengers|Protective Agents|Membrane Transport Modulators|Physiological Effects of Drugs|Molecular Mechanisms of Pharmacological Action)$/;

/** Is a pharm_class.tsv row a pharmacologic class a clinician would name (kept as in_class)? */
export function isPharmacologicClassRow(type: string, source: string, className: string): boolean {
  if (NON_CLASS_KINDS.has(type)) return false;
  if (source === 'FDA' && INTERACTION_CLASS.test(className)) return false;
  if (source === 'CHEBI' && NON_THERAPEUTIC_ROLE.test(className)) return false;
  if (source === 'MeSH' && (NON_THERAPEUTIC_ACTION.test(className) || /^Cytochrome P-450 .*(Inhibitors|Inducers)$/.test(className))) return false;
  return true;
}

export function loadDrugCentralRelations(ctx: BuildContext): void {
  const bit = datasetBit('drugcentral');
  for (const r of readTsv(srcPath(ctx, 'drugcentral-2016', 'pharm_class.tsv'))) {
    const drug = ensureDrugCentral(ctx, r.DRUG_ID ?? '', r.DRUG_NAME ?? '');
    const cls = pharmClassId(r.SOURCE ?? '', r.CLASS_SOURCE_ID ?? '');
    if (!drug || !cls || !r.CLASS) continue;
    if (!isPharmacologicClassRow(r.TYPE ?? '', r.SOURCE ?? '', r.CLASS)) {
      ctx.lookup.droppedClasses.add(cls);
      bump(ctx, 'drugcentral_class_rows_not_a_pharmacologic_class');
      continue;
    }
    const e = ctx.reg.upsert('pharmacologic_class', cls, ctx.reg.get(cls)?.name ?? r.CLASS, bit);
    if (r.SOURCE === 'MeSH') e.datasets |= datasetBit('mesh_2015');
    ctx.edges.add('in_class', drug, cls, bit);
  }

  // a row naming several genes ("POLA1|POLD1|POLE") gives the complex or family, not which member: its own bit (edge trust needs another source)
  const multiBit = datasetBit('drugcentral_multi_gene');
  for (const r of readTsv(srcPath(ctx, 'drugcentral-2016', 'drug_target.tsv'))) {
    const drug = ensureDrugCentral(ctx, r.DRUG_ID ?? '', r.DRUG_NAME ?? '');
    const symbols = (r.GENE ?? '').split('|').filter((x) => x.trim());
    const rowBit = symbols.length > 1 ? multiBit : bit;
    for (const sym of symbols) {
      const gene = ctx.lookup.geneBySymbol.get(sym.trim().toUpperCase());
      if (ctx.edges.add('targets', drug, gene, rowBit)) bump(ctx, symbols.length > 1 ? 'targets_gene_from_multi_gene_row' : 'targets_gene_joined_by_symbol');
      else bump(ctx, 'targets_gene_symbol_unmatched');
    }
  }

  const prevention = datasetBit('drugcentral_prevention');
  for (const r of readTsv(srcPath(ctx, 'drugcentral-2016', 'drug_indication.tsv'))) {
    const drug = ensureDrugCentral(ctx, r.DRUG_ID ?? '', r.DRUG_NAME ?? '');
    // prevention / risk reduction is not treatment (raloxifene: "Prevention of Breast Carcinoma"):
    // a treats edge with its own bit, so synthesis never calls the drug a treatment on this row
    const prevented = preventedCondition(r.INDICATION_FDB ?? '');
    if (prevented !== null) {
      // the condition by its name, hyphens joined ("Post-Menopausal" → "postmenopausal"), else by dropping
      // leading qualifiers ("Post-Menopausal Osteoporosis" → "Osteoporosis"): a prevention mark on the parent
      // is the cautious reading
      const byName = (name: string) => ctx.reg.byName('disease', name) ?? ctx.reg.byName('disease', name.replace(/-/g, '')) ?? ctx.reg.byXref('disease', ctx.lookup.meshByName.get(normName(name)) ?? '');
      let target = r.DOID && ctx.reg.get(r.DOID)?.type === 'disease' ? r.DOID : undefined;
      const words = prevented.split(/\s+/);
      for (let k = 0; !target && k < words.length; k++) target = byName(words.slice(k).join(' '));
      bump(ctx, ctx.edges.add('treats', drug, target, prevention) ? 'drugcentral_prevention_rows' : 'drugcentral_prevention_unmatched');
      continue;
    }
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

/**
 * The condition an indication row prevents ("Prevention of Breast Carcinoma" → "Breast
 * Carcinoma", "Influenza Prevention" → "Influenza", "Post-Exposure Anthrax Prevention" →
 * "Anthrax"), or null when the row is not about prevention, prophylaxis or risk reduction.
 */
export function preventedCondition(indication: string): string | null {
  if (!/\b(prevent(ion|ive)?|prophyla(xis|ctic)|risk reduction|reduc(e|tion) (of )?(the )?risk)\b/i.test(indication)) return null;
  return indication
    .replace(/\b(primary|secondary|post-exposure|prevention of|prevent|prevention|prophylaxis of|prophylaxis|prophylactic|risk reduction of|risk reduction|reduction of (the )?risk of|reduce (the )?risk of)\b/gi, ' ')
    .replace(/\b(after|following|in|during|with|due to)\b.*$/i, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

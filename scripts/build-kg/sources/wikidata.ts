/**
 * Wikidata 2020 disease extract (names only, no "Info" prose): specialties, treatment
 * drugs, symptoms and causes. Diseases join existing nodes by a unique normalised name;
 * unmatched diseases with at least one fact become "WD:Q…" nodes.
 */
import { datasetBit } from '../../../src/graph/attribution';
import { normName, slug } from '../normalize';
import { bump, srcPath, type BuildContext } from '../context';
import { readText } from '../tsv';
import { ensurePathogen } from './common';
import { causeAllowed } from './disease-ontology';

export interface WikidataRecord {
  DiseaseURI: string;
  Disease: string;
  HealthSpecialty: string[];
  TreatmentDrugs: string[];
  Cause: string[];
  Symptons: string[];
}

export function parseWikidataLines(text: string): WikidataRecord[] {
  const out: WikidataRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const o = JSON.parse(line) as Partial<WikidataRecord>;
    const arr = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : []);
    out.push({
      DiseaseURI: o.DiseaseURI ?? '',
      Disease: o.Disease ?? '',
      HealthSpecialty: arr(o.HealthSpecialty),
      TreatmentDrugs: arr(o.TreatmentDrugs),
      Cause: arr(o.Cause),
      Symptons: arr(o.Symptons),
    });
  }
  return out;
}

/** A finding is named by a noun phrase; a clause ("memory loss that disrupts daily life") is a description, not a name. */
export function isFindingName(s: string): boolean {
  const words = s.trim().split(/\s+/);
  if (words.length > 5 || /\b(that|which|when|if|may|can|such as|e\.g)\b/i.test(s)) return false;
  // a condition named as a symptom ("poisoning", "bacterial infection", "heart disease") is not a finding
  return !/\b(poisoning|infections?|diseases?|syndromes?|disorders?|cancer|carcinoma|tumou?rs?|death)\b/i.test(s);
}

export function wikidataQid(uri: string): string | undefined {
  const m = /\/(Q\d+)$/.exec(uri);
  return m ? `WD:${m[1]}` : undefined;
}

export function applyWikidata(ctx: BuildContext, records: readonly WikidataRecord[]): void {
  const bit = datasetBit('wikidata');
  for (const rec of records) {
    const qid = wikidataQid(rec.DiseaseURI);
    if (!qid || !rec.Disease || normName(rec.Disease) === '' || /^obsolete\b/i.test(rec.Disease)) continue;
    const hasFacts = rec.HealthSpecialty.length + rec.TreatmentDrugs.length + rec.Cause.length + rec.Symptons.length > 0;
    const hit = ctx.reg.resolve('disease', { xrefs: [qid], names: [rec.Disease] });
    let disease: string;
    if (hit) {
      disease = hit.id;
      const e = ctx.reg.get(disease)!;
      ctx.reg.addXref(e, qid);
      e.datasets |= bit;
      bump(ctx, `wikidata_disease_joined_by_${hit.via}`);
    } else if (hasFacts) {
      disease = ctx.reg.upsert('disease', qid, rec.Disease, bit).id;
      bump(ctx, 'wikidata_disease_own_node');
    } else {
      bump(ctx, 'wikidata_disease_skipped_no_facts');
      continue;
    }

    for (const s of rec.HealthSpecialty) {
      const id = `SPECIALTY:${slug(s)}`;
      if (id === 'SPECIALTY:') continue;
      ctx.reg.upsert('specialty', id, ctx.reg.get(id)?.name ?? s, bit);
      ctx.edges.add('in_specialty', disease, id, bit);
    }
    for (const d of rec.TreatmentDrugs) {
      const drug = ctx.reg.byName('drug', d);
      if (drug && ctx.edges.add('treats', drug, disease, bit)) {
        ctx.reg.get(drug)!.datasets |= bit;
        bump(ctx, 'wikidata_drug_joined_by_name');
      } else bump(ctx, 'wikidata_drug_unmatched');
    }
    for (const s of rec.Symptons) {
      if (!isFindingName(s)) {
        bump(ctx, 'wikidata_symptom_not_a_name');
        continue;
      }
      let sym = ctx.reg.byName('symptom', s);
      if (sym) bump(ctx, 'wikidata_symptom_joined_by_name');
      else if (ctx.reg.byName('disease', s)) {
        // "dementia", "pneumonia", "cardiomyopathy": a disease listed as a symptom is a comorbidity or complication, not a finding
        bump(ctx, 'wikidata_symptom_is_a_disease');
        continue;
      } else {
        const id = `WD-SYMPTOM:${slug(s)}`;
        if (id === 'WD-SYMPTOM:') continue;
        sym = ctx.reg.upsert('symptom', id, s, bit).id;
        bump(ctx, 'wikidata_symptom_own_node');
      }
      ctx.reg.get(sym)!.datasets |= bit;
      ctx.edges.add('presents', disease, sym, bit);
    }
    for (const c of rec.Cause) {
      const taxon = ctx.reg.byName('pathogen', c) ?? ctx.lookup.taxonByName.get(normName(c));
      const p = taxon && !ctx.lookup.vectorTaxa.has(taxon) && causeAllowed(ctx, disease, taxon) ? ensurePathogen(ctx, taxon, bit) : undefined;
      if (p && ctx.edges.add('caused_by', disease, p, bit)) bump(ctx, 'wikidata_cause_joined_pathogen');
      else bump(ctx, 'wikidata_cause_unmatched');
    }
  }
}

export function loadWikidata(ctx: BuildContext): void {
  applyWikidata(ctx, parseWikidataLines(readText(srcPath(ctx, 'wikidata-2020', 'WikiDiseaseData.jl'))));
}

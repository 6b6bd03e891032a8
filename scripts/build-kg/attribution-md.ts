/** Render public/ATTRIBUTION.md from src/graph/attribution.ts (so file, app and doc agree). */
import { DATASETS, DATASET_USAGE, LICENCE_NOTES, WIKIDATA_EXTRACT_MIT_NOTICE } from '../../src/graph/attribution';
import { HETIONET_DROP } from './sources/hetionet';
import { RESEMBLES_THRESHOLD } from './sources/medline';

export function renderAttributionMarkdown(): string {
  const L: string[] = [];
  L.push('# Data attribution — bundled knowledge graph (`public/kg/default-graph.json.gz`)', '');
  L.push(
    'The default graph is built by `npm run build:kg` (scripts/build-kg) from the source files listed in `shared/kg/MANIFEST.txt`. ' +
      'It contains facts only — identifiers, names, synonyms, node types and typed, directed relations, each edge tagged with the datasets that assert it. ' +
      'No definitions, comments or other prose were copied from any source.',
    '',
  );
  L.push('## Sources', '');
  DATASETS.forEach((d, i) => {
    L.push(`### ${i + 1}. ${d.name}`, '');
    L.push(`- **Licence:** ${d.licence}`);
    L.push(`- **Credit:** ${d.attribution}`);
    if (d.url) L.push(`- **Source:** ${d.url}`);
    const used = DATASET_USAGE[d.id];
    if (used) L.push(`- **Used:** ${used}`);
    L.push(`- **Bit in \`datasets\` masks:** ${i} (dataset id \`${d.id}\`)`, '');
  });
  L.push('## Modifications (all sources)', '');
  L.push(
    '- Entities were merged across sources by identifier: DOID is the disease key (DO xrefs map UMLS/MeSH/ICD/OMIM/SNOMED CT to DOIDs); DrugCentral ids are the drug key (identifiers.tsv maps DrugBank, RxNorm and UMLS ids); UBERON ids for anatomy; NCBIGene ids for genes; SYMP ids for symptoms.',
    '- Where no identifier joins, names were matched after normalisation (Unicode folding, lower case, apostrophes removed, punctuation/whitespace collapsed, simple plural stripping, MeSH "X, Y" names also read as "Y X"); a name joins only when it identifies exactly one entity. This is how MeSH symptoms join the Symptom Ontology and how Wikidata diseases, drugs and symptoms join.',
    '- Unmatched Wikidata diseases that carry at least one fact became `WD:Q…` disease nodes; unmatched Wikidata symptoms became `WD-SYMPTOM:<name>` nodes; specialties are `SPECIALTY:<name>` nodes. Unmatched Wikidata drug and cause names were dropped.',
    '- Duplicate edges from several datasets were merged into one edge whose dataset bitmask is the OR of its sources; is_a and resembles self-loops were removed; resembles is stored once per unordered pair.',
    `- MEDLINE co-occurrence "resembles" threshold: enrichment >= ${RESEMBLES_THRESHOLD.minEnrichment}, co-occurrence >= ${RESEMBLES_THRESHOLD.minCooccurrence} articles, Fisher p <= ${RESEMBLES_THRESHOLD.maxP}.`,
    '- DO facets (inferred, ancestors included) were reduced to the most specific anatomy / symptom / organism terms per disease (a term is dropped when a narrower term of the same disease exists; terms covering more than 10% of annotated diseases are never emitted) and tagged with their own dataset bit (`disease_ontology_facets`), apart from DO\'s own axioms. Organisms become `caused_by` only for diseases under "disease by infectious agent" (DOID:0050117) that DO names no cause for.',
    '- Findings from DO definitions (`disease_ontology_definitions`): in each curated definition, only the clauses that state the disease\'s features ("characterized by", "has_symptom", "symptoms include", "manifests with", "presents with", up to the next DO relation or an "associated with" / "may lead to") were read; chunks with a negation or a normal state were skipped; a phrase became a presents edge only when it is exactly the name or an exact synonym of a Symptom Ontology or MeSH finding (plus a short table of the definitions\' own wording, "hypotonia" for "Muscle Hypotonia"), and a one-word finding only when no other word turns it into another concept ("night blindness").',
    '- Causes: organisms named as vectors or hosts ("transmitted by") and any arthropod or vertebrate (by the MeSH 2015 organism tree of the taxon or its genus) are never a cause, except an arthropod for a disease under "parasitic ectoparasitic infectious disease" (scabies, myiasis).',
    '- Clinical findings only: MeSH symptom descriptors are kept when filed under C23.888 "Signs and Symptoms" and not a category heading, a body measurement ("Body Weight", "Birth Weight") or a named disease or syndrome; Symptom Ontology groupings ("nervous system symptom") are never the target of presents; Wikidata symptoms that name a disease, a condition or a clause are left out. MeSH names are shown un-inverted ("Abdomen, Acute" as "Acute Abdomen").',
    '- Anatomy hierarchy: anatomy_is_a from the Uberon subclass axioms of the DO Uberon import, anatomy_part_of from the MeSH 2015 anatomy tree (A01–A10, A14, A15, A17), both shortened to the nearest ancestors that are graph nodes. Where the Uberon label is ontology jargon ("female gonad", "pes"), the MeSH heading is the display name and the Uberon label a synonym.',
    '- Pharmacologic classes: FDA physiologic effects and chemical/ingredient groupings, drug-interaction mechanisms (CYP450, P-glycoprotein, transporter inhibition or induction), non-therapeutic MeSH actions ("Pharmaceutic Aids", "Rodenticides") and ChEBI roles ("prodrug", "food colouring") are not classes here.',
    '',
  );
  L.push('## Left out for licence reasons', '');
  for (const n of LICENCE_NOTES) L.push(`- ${n}`);
  L.push('', 'Hetionet metaedges not used, with the reason:', '');
  L.push('| metaedge | reason |', '| --- | --- |');
  for (const [k, v] of Object.entries(HETIONET_DROP)) L.push(`| ${k} | ${v} |`);
  L.push('');
  L.push(
    'Note: the Hetionet compilation itself is released as CC0, but its per-source licence table (dhimmel/integrate licenses/README.md) lists sources that are non-commercial, share-alike, ODbL, restricted or unlicensed; for a strictly permissive build those metaedges were excluded rather than relying on the compilation waiver.',
    '',
  );
  L.push('## MIT notice (Wikidata extract, sharmasharad795/Medi_Knowledge_Graph)', '', '```', WIKIDATA_EXTRACT_MIT_NOTICE, '```', '');
  return L.join('\n');
}

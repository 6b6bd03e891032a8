/**
 * Dataset attribution for the bundled knowledge graph, as typed data.
 *
 * This is the single source of dataset metadata: scripts/build-kg writes these
 * entries (in this order, so bit i of every `datasets` bitmask is DATASETS[i])
 * into public/kg/default-graph.json.gz, and the About view renders them. The
 * human-readable twin is public/ATTRIBUTION.md (written from this module too).
 */
import type { DatasetInfo } from './format';

export const DATASETS: readonly DatasetInfo[] = [
  {
    id: 'hetionet',
    name: 'Hetionet v1.0 (hetio/hetionet nodes; dhimmel/integrate edges-5k sample)',
    licence: 'CC0 1.0 (compilation); underlying sources credited separately below',
    attribution:
      'Hetionet v1.0, Himmelstein DS et al., "Systematic integration of biomedical knowledge prioritizes drugs for repurposing", eLife 2017;6:e26726. Gene nodes from NCBI Entrez Gene (public domain).',
    url: 'https://github.com/hetio/hetionet',
  },
  {
    id: 'disease_ontology',
    name: 'Human Disease Ontology (DOreports, current release)',
    licence: 'CC0 1.0',
    attribution: 'Human Disease Ontology, Schriml LM et al., Nucleic Acids Research. Disease Ontology team (disease-ontology.org).',
    url: 'https://github.com/DiseaseOntology/HumanDiseaseOntology',
  },
  {
    id: 'disease_ontology_2015',
    name: 'Disease Ontology 2015 term names and synonyms (dhimmel/disease-ontology)',
    licence: 'CC BY 3.0',
    attribution:
      'Disease Ontology (2015 release), University of Maryland School of Medicine, CC BY 3.0 (https://creativecommons.org/licenses/by/3.0/); names/synonyms as extracted by dhimmel/disease-ontology. Modified: only DOIDs, names and exact synonyms were used, normalised for matching.',
    url: 'https://github.com/dhimmel/disease-ontology',
  },
  {
    id: 'symptom_ontology',
    name: 'Symptom Ontology (symp.obo)',
    licence: 'CC0 1.0',
    attribution: 'Symptom Ontology, Disease Ontology team (DiseaseOntology/SymptomOntology).',
    url: 'https://github.com/DiseaseOntology/SymptomOntology',
  },
  {
    id: 'drugcentral',
    name: 'DrugCentral (2016 release, olegursu/drugtarget)',
    licence: 'CC BY 4.0',
    attribution:
      'DrugCentral: Ursu O, Holmes J, Knockel J, et al. "DrugCentral: online drug compendium." Nucleic Acids Research 2017;45(D1):D932-D939. CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Modified: identifiers, names, indications (mapped to DOID), pharmacologic classes and target gene symbols only; no text copied.',
    url: 'https://github.com/olegursu/drugtarget',
  },
  {
    id: 'pharmacotherapydb',
    name: 'PharmacotherapyDB v1.0 (dhimmel/indications)',
    licence: 'CC0 1.0',
    attribution: 'PharmacotherapyDB: Himmelstein DS, Khankhanian P, Hessler CS, Green AJ, Baranzini SE (2016), physician-curated indications.',
    url: 'https://github.com/dhimmel/indications',
  },
  {
    id: 'labeledin',
    name: 'LabeledIn (NCBI, via dhimmel/indications)',
    licence: 'Public domain (US Government work, NCBI)',
    attribution: 'LabeledIn: Khare R, Li J, Lu Z. "LabeledIn: cataloging labeled indications for human drugs." J Biomed Inform 2014. National Center for Biotechnology Information.',
    url: 'https://github.com/dhimmel/indications',
  },
  {
    id: 'mesh_2015',
    name: 'MeSH 2015 (U.S. National Library of Medicine, via dhimmel/mesh)',
    licence: 'NLM terms and conditions for MeSH (free use; credit NLM, state the MeSH version, note modifications)',
    attribution:
      'Medical Subject Headings (MeSH) 2015, courtesy of the U.S. National Library of Medicine. This product uses MeSH year 2015; it has been modified: only descriptor UIs and names of symptom descriptors and pharmacologic-action classes were used, and names were matched to the Symptom Ontology. NLM is not responsible for the modifications.',
    url: 'https://github.com/dhimmel/mesh',
  },
  {
    id: 'uberon',
    name: 'Uberon anatomy ontology (2015, dhimmel/uberon; and the DO Uberon import)',
    licence: 'CC BY 3.0',
    attribution:
      'Uberon: Mungall CJ et al., "Uberon, an integrative multi-species anatomy ontology", Genome Biology 2012;13:R5. CC BY 3.0 (https://creativecommons.org/licenses/by/3.0/). Modified: only UBERON ids, names and UBERON-MeSH mappings used.',
    url: 'https://github.com/dhimmel/uberon',
  },
  {
    id: 'medline_cooccurrence',
    name: 'MEDLINE disease-disease co-occurrence (dhimmel/medline)',
    licence: 'CC0 1.0 (derived from MEDLINE/MeSH, NLM)',
    attribution: 'Disease co-occurrence in MEDLINE topics, computed by Daniel Himmelstein (dhimmel/medline) from NLM MEDLINE; courtesy of the U.S. National Library of Medicine.',
    url: 'https://github.com/dhimmel/medline',
  },
  {
    id: 'wikidata',
    name: 'Wikidata disease facts (2020 extract, sharmasharad795/Medi_Knowledge_Graph)',
    licence: 'Facts from Wikidata: CC0 1.0; extract file from an MIT-licensed repository (MIT notice retained)',
    attribution:
      'Data from Wikidata (https://www.wikidata.org), CC0. Extracted by the Medi_Knowledge_Graph project: Copyright (c) 2020 Pratheek Athreya, MIT License (see ATTRIBUTION.md for the full notice). Modified: only disease URIs/names, health specialties, treatment drug names, causes and symptom names used; the "Info" descriptions were not used.',
    url: 'https://github.com/sharmasharad795/Medi_Knowledge_Graph',
  },
  {
    id: 'diseases_gwas',
    name: 'Disease-gene associations: DISEASES and GWAS Catalog rows of Hetionet DaG (dhimmel/integrate)',
    licence: 'CC BY 4.0 (DISEASES, JensenLab); GWAS Catalog under EBI terms of use',
    attribution:
      'DISEASES: Pletscher-Frankild S, Pallejà A, Tsafou K, Binder JX, Jensen LJ, "DISEASES: Text mining and data integration of disease-gene associations", Methods 2015. CC BY 4.0. NHGRI-EBI GWAS Catalog (EMBL-EBI). Compiled in Hetionet DaG-association.tsv; rows supported only by DisGeNET (ODbL) or DOAF (no licence) removed.',
    url: 'https://github.com/dhimmel/integrate',
  },
  {
    id: 'gene_ontology',
    name: 'Gene Ontology annotations (via Hetionet v1.0)',
    licence: 'CC BY 4.0',
    attribution: 'Gene Ontology Consortium, "The Gene Ontology resource", CC BY 4.0 (http://geneontology.org/docs/go-citation-policy/); gene-GO annotations as propagated in Hetionet v1.0.',
    url: 'http://geneontology.org',
  },
  {
    id: 'pathways',
    name: 'Pathways: Reactome, Pathway Interaction Database (via Pathway Commons v7) and WikiPathways (via Hetionet v1.0)',
    licence: 'Reactome CC BY 4.0; WikiPathways CC BY 3.0 / CC0; PID public domain',
    attribution: 'Reactome (reactome.org), NCI-Nature Pathway Interaction Database, WikiPathways (wikipathways.org), as integrated via Pathway Commons v7 in Hetionet v1.0.',
    url: 'https://github.com/dhimmel/pathways',
  },
  {
    // a separate bit so that edge trust can tell DO's own axioms from what a reasoner inferred from them
    id: 'disease_ontology_facets',
    name: 'Human Disease Ontology inferred facets (facets.tsv.gz)',
    licence: 'CC0 1.0',
    attribution: 'Human Disease Ontology, Schriml LM et al., Nucleic Acids Research. Inferred anatomy, symptom and organism facets per disease (DiseaseOntology/HumanDiseaseOntology src/facets.tsv.gz).',
    url: 'https://github.com/DiseaseOntology/HumanDiseaseOntology',
  },
  {
    // separate bits (appended, so earlier bits keep their meaning) so that edge trust can tell how strongly a row is supported
    id: 'pharmacotherapydb_low_agreement',
    name: 'PharmacotherapyDB v1.0 indications with low agreement (fewer than 2 curators, or for treats/palliates fewer than 2 resources)',
    licence: 'CC0 1.0',
    attribution: 'PharmacotherapyDB: Himmelstein DS, Khankhanian P, Hessler CS, Green AJ, Baranzini SE (2016), physician-curated indications.',
    url: 'https://github.com/dhimmel/indications',
  },
  {
    id: 'labeledin_crowd',
    name: 'LabeledIn indications annotated by the crowd only (no expert annotation)',
    licence: 'Public domain (US Government work, NCBI)',
    attribution: 'LabeledIn: Khare R, Li J, Lu Z. "LabeledIn: cataloging labeled indications for human drugs." J Biomed Inform 2014. National Center for Biotechnology Information.',
    url: 'https://github.com/dhimmel/indications',
  },
  {
    id: 'drugcentral_prevention',
    name: 'DrugCentral (2016) prevention and risk-reduction indications',
    licence: 'CC BY 4.0',
    attribution:
      'DrugCentral: Ursu O, Holmes J, Knockel J, et al. "DrugCentral: online drug compendium." Nucleic Acids Research 2017;45(D1):D932-D939. CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Modified: only the indication rows naming prevention, prophylaxis or risk reduction, mapped to DOID.',
    url: 'https://github.com/olegursu/drugtarget',
  },
  {
    // its own bit: a finding read from a curator's definition text, told apart from DO's axioms
    id: 'disease_ontology_definitions',
    name: 'Human Disease Ontology definitions: findings named in the curated definition text',
    licence: 'CC0 1.0',
    attribution: 'Human Disease Ontology, Schriml LM et al., Nucleic Acids Research. Findings named in DO\'s curated disease definitions (DiseaseOntology/HumanDiseaseOntology src/facets.tsv.gz, definition column), matched to Symptom Ontology and MeSH finding names.',
    url: 'https://github.com/DiseaseOntology/HumanDiseaseOntology',
  },
  {
    // its own bit: a row naming several genes says the drug acts on the complex or family, not on which member
    id: 'drugcentral_multi_gene',
    name: 'DrugCentral (2016) target rows that name several genes (a complex or a family)',
    licence: 'CC BY 4.0',
    attribution:
      'DrugCentral: Ursu O, Holmes J, Knockel J, et al. "DrugCentral: online drug compendium." Nucleic Acids Research 2017;45(D1):D932-D939. CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Modified: drug_target.tsv rows whose GENE field lists several genes, kept apart.',
    url: 'https://github.com/olegursu/drugtarget',
  },
] as const;

/** What each dataset contributed (files and fields), keyed by dataset id. */
export const DATASET_USAGE: Readonly<Record<string, string>> = {
  hetionet:
    'hetionet-v1.0-nodes.tsv (ids and names of genes, compounds, diseases, symptoms, anatomy, pharmacologic classes, GO terms, pathways); edges-5k.sif.gz sample rows of the metaedges CtD, CpD, DlA, DpS, DrD, PCiC, GpBP, GpCC, GpMF, GpPW.',
  disease_ontology:
    'HumanDO.tsv (DOIDs, names, is_a by parent name), allXREFinDO.tsv (xrefs UMLS/MeSH/ICD/OMIM/…), disease-symptom.tsv, DO-ICDO-anatomy.tsv, DO-subClassOf-anonymous.tsv ("has symptom", "disease has location", "has material basis in" organism; "transmitted by" fillers mark vectors and hosts, which are never causes), uberon_import.owl (Uberon subclass axioms between anatomy terms: anatomy_is_a).',
  disease_ontology_2015: 'term-names.tsv: names and exact synonyms (search synonyms; name matching for Wikidata/LabeledIn; names of DOIDs no longer in the current DO).',
  symptom_ontology: 'symp.obo: SYMP ids, names, EXACT synonyms, is_a, UMLS xrefs (definitions ignored).',
  drugcentral:
    'identifiers.tsv (DrugBank, RxNorm, UMLS, MeSH, ChEBI, ChEMBL, UNII ids), drug_indication.tsv (treats / relieves, mapped via DOID, UMLS, SNOMED CT or name), pharm_class.tsv (in_class: MeSH pharmacologic actions, FDA established classes and mechanisms, ChEBI therapeutic roles; FDA physiologic effects, chemical/ingredient groupings, drug-interaction mechanisms such as CYP450 or P-glycoprotein inhibition and non-therapeutic ChEBI roles are left out), drug_target.tsv (targets, by gene symbol).',
  pharmacotherapydb: 'indications.tsv: DM = treats, SYM = palliates, NOT = not_indicated_for (DOID + DrugBank).',
  labeledin: 'indications.tsv: RxNorm drug + UMLS disease pairs = treats.',
  mesh_2015:
    'symptoms.tsv (the Hetionet symptom descriptors, matched to SYMP by name; only descriptors under C23.888 "Signs and Symptoms" that are not category headings, body measurements or named diseases/syndromes are kept as findings), tree-numbers.tsv (that test, and the anatomy tree A01–A17 for anatomy_part_of), terms.tsv (descriptor names to map name-only indications and anatomy to MeSH ids), pharmacologic-action class names via DrugCentral.',
  uberon: 'terms.tsv (names), hetio-slim.tsv (UBERON-MeSH/BTO mappings); Uberon labels and subclass axioms in the DO facets and the DO Uberon import (uberon_import.owl).',
  medline_cooccurrence: 'disease-disease-cooccurrence.tsv: resembles where enrichment >= 3, co-occurrence >= 10 articles and Fisher p <= 1e-6 (pairs stored once, unordered); also the basis of Hetionet DlA/DpS/DrD.',
  wikidata: 'WikiDiseaseData.jl: disease URI/name, HealthSpecialty (in_specialty), TreatmentDrugs (treats, drugs matched by name), Symptons (presents), Cause (caused_by when it names a known organism). "Info" texts not used.',
  diseases_gwas: 'DaG-association.tsv rows supported by DISEASES or the GWAS Catalog and not licensed ODbL: associates.',
  gene_ontology: 'Hetionet GpBP/GpCC/GpMF sample edges and GO term names.',
  pathways: 'Hetionet GpPW sample edges and pathway names.',
  disease_ontology_facets:
    'facets.tsv.gz: the most specific inferred anatomy, symptom and organism terms per disease, as localizes / presents / caused_by. Inferred, so synthesis treats these edges as weak unless another dataset asserts them too. Definitions are read only for the common names they give organisms ("Omsk hemorrhagic fever virus (Orthoflavivirus omskense)"), which become the pathogen nodes\' names (the binomial kept as a synonym).',
  pharmacotherapydb_low_agreement:
    'indications.tsv rows with n_curators < 2, or (DM/SYM) n_resources < 2: the same relations as pharmacotherapydb, kept apart so that synthesis needs a second, independent source before such a row is evidence or a key (irbesartan or orlistat "treating" type 2 diabetes).',
  labeledin_crowd: 'indications.tsv rows with expert = 0 (crowd annotation only): treats, counted as a crowd statement (a drug label sentence about a complication read as an indication).',
  disease_ontology_definitions:
    'facets.tsv.gz, definition column: presents, where a definition\'s feature clause ("characterized by", "has_symptom", "symptoms include", "manifests with", "presents with", up to the next DO relation) names a Symptom Ontology or MeSH finding exactly (name or exact synonym, longest match first); chunks with a negation or a normal-state word ("without fever", "normal intelligence") are skipped, and a name that is also a disease\'s is not read as a finding.',
  drugcentral_multi_gene:
    'drug_target.tsv rows whose GENE field names several genes ("POLA1|POLD1|POLE" for gemcitabine, "PDE4A|PDE4B|PDE4C|PDE4D" for amlexanox): targets edges to each, kept apart because the row does not say which member the drug acts on; synthesis needs another source before such an edge is a key or a stated fact.',
  drugcentral_prevention:
    'drug_indication.tsv rows naming prevention, prophylaxis or risk reduction ("Prevention of Breast Carcinoma"), mapped to the disease by name: treats edges marked as prevention, so that synthesis does not call such a drug a treatment.',
};

/** Bit index of a dataset id in every `datasets` bitmask of the built graph. */
export function datasetBit(id: string): number {
  const i = DATASETS.findIndex((d) => d.id === id);
  if (i < 0) throw new Error(`unknown dataset id ${id}`);
  return 1 << i;
}

/** The MIT notice of the Wikidata extract's repository, reproduced as required. */
export const WIKIDATA_EXTRACT_MIT_NOTICE = `MIT License

Copyright (c) 2020 Pratheek Athreya

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`;

/** What was deliberately left out for licence reasons (shown in the About view). */
export const LICENCE_NOTES: readonly string[] = [
  'Only strictly permissive sources are used (public domain, CC0, CC BY, MIT notice kept); nothing non-commercial, share-alike, ODbL or unlicensed.',
  'No prose is copied: no definitions, comments or Wikidata "Info" descriptions; only identifiers, names, synonyms, types and relations.',
  'Hetionet CcSE (compound causes side effect; SIDER, CC BY-NC-SA 4.0) dropped, and Side Effect nodes not used.',
  'Hetionet CbG (compound binds gene; partly DrugBank, non-commercial) dropped; drug targets come from DrugCentral (CC BY 4.0) instead.',
  'Hetionet CrC (compound resembles compound; computed from DrugBank structures, non-commercial terms) dropped.',
  'Hetionet CdG, CuG and Gr>G (LINCS L1000; historic licence: research/academic use only, no redistribution) dropped.',
  'Hetionet AeG, AdG, AuG, DdG, DuG (Bgee and STARGEO: no licence found; AeG mixed with TISSUES) dropped.',
  'Hetionet GiG (Human Interactome Database, Incomplete Interactome, hetio-dag: no licence) and GcG (Evolutionary Rate Covariation: no licence) dropped.',
  'Hetionet DaG from edges-5k dropped in favour of DaG-association.tsv, which carries a per-row licence: rows whose licence is "ODbL 1.0" (DisGeNET) and rows supported only by DisGeNET and/or DOAF (no licence) dropped; rows supported by DISEASES (CC BY 4.0) or the GWAS Catalog kept.',
  'Kept from Hetionet: CtD, CpD (PharmacotherapyDB, CC0), DlA, DpS, DrD (MEDLINE co-occurrence, public domain), PCiC (DrugCentral, CC BY 4.0), GpBP, GpCC, GpMF (Gene Ontology, CC BY 4.0), GpPW (Reactome / PID / WikiPathways), and Entrez Gene nodes (public domain).',
];

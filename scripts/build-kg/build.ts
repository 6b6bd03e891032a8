/** The whole build as one pure-ish function: source dir in, GraphFileV1 + stats out. */
import { DATASETS } from '../../src/graph/attribution';
import type { GraphFileV1 } from '../../src/graph/format';
import { bump, createContext, type BuildContext } from './context';
import { EDGE_TYPES, NODE_TYPES } from './schema';
import { loadDiseaseOntology } from './sources/disease-ontology';
import { loadDrugCentralIdentifiers, loadDrugCentralRelations } from './sources/drugcentral';
import { loadHetionetEdges, loadHetionetNodes } from './sources/hetionet';
import { loadLabeledIn, loadPharmacotherapyDb } from './sources/indications';
import { loadDiseaseGene } from './sources/disease-gene';
import { loadMedline } from './sources/medline';
import { loadMeshSymptoms, loadMeshTerms, loadMeshTrees, loadSymptomOntology } from './sources/symptoms';
import { loadAnatomyHierarchy } from './sources/anatomy-hierarchy';
import { dropNonFindingPresents } from './sources/findings';
import { loadUberon } from './sources/anatomy';
import { loadWikidata } from './sources/wikidata';
import { loadDefinitionFindings } from './sources/definition-findings';
import { applyPathogenNames } from './sources/pathogen-names';
import { assembleGraph } from './write';

/** Class nodes that only physiologic-effect / chemical / interaction rows named (no in_class edge left) are not kept. */
function dropUnusedClasses(ctx: BuildContext): void {
  const used = new Set<string>();
  for (const key of ctx.edges.edges.get('in_class')?.keys() ?? []) used.add(key.slice(key.indexOf('\u0000') + 1));
  for (const id of ctx.lookup.droppedClasses) {
    if (!used.has(id) && ctx.reg.get(id)?.type === 'pharmacologic_class') ctx.reg.entities.delete(id);
  }
}

/**
 * Diseases of animals only (MeSH files them under C22 "Animal Diseases" and no human
 * clinical code names them: no ICD-9/10-CM, OMIM or Orphanet xref): "Aleutian mink disease",
 * "Newcastle disease". Zoonoses that people catch (Marburg virus disease, glanders) carry
 * ICD codes and stay. Removed with their edges: no question should be about them.
 */
export function dropAnimalOnlyDiseases(ctx: BuildContext): void {
  const human = /^(ICD10CM|ICD9CM|ICD10|OMIM|ORDO|Orphanet|GARD):/;
  const gone = new Set<string>();
  for (const e of ctx.reg.entities.values()) {
    if (e.type !== 'disease') continue;
    const xrefs = [...e.xrefs];
    const animal = xrefs.some((x) => x.startsWith('MESH:') && (ctx.lookup.meshTrees.get(x) ?? []).some((t) => t.startsWith('C22')));
    if (animal && !xrefs.some((x) => human.test(x))) gone.add(e.id);
  }
  for (const id of gone) ctx.reg.entities.delete(id);
  for (const m of ctx.edges.edges.values()) {
    for (const key of [...m.keys()]) {
      const [a, b] = key.split('\u0000') as [string, string];
      if (gone.has(a) || gone.has(b)) m.delete(key);
    }
  }
  bump(ctx, 'diseases_dropped_animal_only', gone.size);
}

export function buildGraph(srcDir: string): { file: GraphFileV1; ctx: BuildContext } {
  const ctx = createContext(srcDir);
  loadSymptomOntology(ctx);
  loadMeshTrees(ctx);
  loadMeshSymptoms(ctx);
  loadMeshTerms(ctx);
  loadUberon(ctx);
  loadDiseaseOntology(ctx);
  loadDrugCentralIdentifiers(ctx);
  const het = loadHetionetNodes(ctx);
  loadDrugCentralRelations(ctx);
  loadHetionetEdges(ctx, het);
  loadPharmacotherapyDb(ctx);
  loadLabeledIn(ctx);
  loadDiseaseGene(ctx);
  loadMedline(ctx);
  loadWikidata(ctx);
  loadDefinitionFindings(ctx);
  dropNonFindingPresents(ctx, ctx.lookup.nonFindingSymptoms);
  loadAnatomyHierarchy(ctx);
  dropUnusedClasses(ctx);
  dropAnimalOnlyDiseases(ctx);
  applyPathogenNames(ctx);
  const file = assembleGraph({
    entities: ctx.reg.entities.values(),
    edges: ctx.edges,
    nodeTypes: NODE_TYPES,
    edgeTypes: EDGE_TYPES,
    datasets: DATASETS,
    name: 'Fleming default medical knowledge graph',
    description:
      'Diseases, symptoms, drugs, classes, anatomy, genes, specialties and pathogens merged by identifier from Disease Ontology, Symptom Ontology, Hetionet, DrugCentral, PharmacotherapyDB, LabeledIn, MeSH 2015, Uberon, MEDLINE co-occurrence, DISEASES/GWAS and Wikidata. Facts only; see datasets for licences.',
  });
  return { file, ctx };
}

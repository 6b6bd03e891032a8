/** The whole build as one pure-ish function: source dir in, GraphFileV1 + stats out. */
import { DATASETS } from '../../src/graph/attribution';
import type { GraphFileV1 } from '../../src/graph/format';
import { createContext, type BuildContext } from './context';
import { EDGE_TYPES, NODE_TYPES } from './schema';
import { loadDiseaseOntology } from './sources/disease-ontology';
import { loadDrugCentralIdentifiers, loadDrugCentralRelations } from './sources/drugcentral';
import { loadHetionetEdges, loadHetionetNodes } from './sources/hetionet';
import { loadLabeledIn, loadPharmacotherapyDb } from './sources/indications';
import { loadDiseaseGene } from './sources/disease-gene';
import { loadMedline } from './sources/medline';
import { loadMeshSymptoms, loadMeshTerms, loadSymptomOntology } from './sources/symptoms';
import { loadUberon } from './sources/anatomy';
import { loadWikidata } from './sources/wikidata';
import { assembleGraph } from './write';

export function buildGraph(srcDir: string): { file: GraphFileV1; ctx: BuildContext } {
  const ctx = createContext(srcDir);
  loadSymptomOntology(ctx);
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

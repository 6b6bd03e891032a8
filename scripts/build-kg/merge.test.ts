import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { datasetBit } from '../../src/graph/attribution';
import { createContext } from './context';
import { EntityRegistry } from './merge/entity-registry';
import { EdgeStore } from './merge/edge-store';
import { mostSpecificFacetPairs } from './merge/facets';
import { normName, uninvert } from './normalize';
import { parseObo } from './obo';
import { EDGE_TYPES, NODE_TYPES } from './schema';
import { keepDaGRow, loadDiseaseGene } from './sources/disease-gene';
import { normaliseDoXref, parseSomeClauses } from './sources/disease-ontology';
import { loadDrugCentralIdentifiers } from './sources/drugcentral';
import { loadHetionetEdges, loadHetionetNodes } from './sources/hetionet';
import { loadPharmacotherapyDb } from './sources/indications';
import { passesResemblesThreshold } from './sources/medline';
import { applyWikidata } from './sources/wikidata';
import { parseTsv } from './tsv';
import { assembleGraph } from './write';
import { summarize } from './summary';

describe('normalisation and parsing', () => {
  it('normalises names for conservative matching', () => {
    expect(normName("Crohn's Disease")).toBe(normName('crohns disease'));
    expect(normName('Seizures')).toBe(normName('seizure'));
    expect(normName('  Abdominal   pain!')).toBe('abdominal pain');
    expect(normName('diabetes')).not.toBe(normName('diabete mellitus'));
    expect(uninvert('Pain, Abdominal')).toBe('Abdominal Pain');
    expect(uninvert('fever')).toBeUndefined();
  });

  it('reads TSV with and without quoted fields', () => {
    const rows = parseTsv('"id"\t"label"\n"DOID:1"\t"a ""b"""\nDOID:2\tc\r\n');
    expect(rows).toEqual([
      { id: 'DOID:1', label: 'a "b"' },
      { id: 'DOID:2', label: 'c' },
    ]);
  });

  it('reads OBO terms without definitions', () => {
    const t = parseObo('[Term]\nid: SYMP:1\nname: backache\ndef: "prose" []\nsynonym: "back pain" EXACT []\nis_a: SYMP:2 ! pain\n\n[Term]\nid: SYMP:3\nname: obsolete x\nis_obsolete: true\n');
    expect(t[0]).toEqual({ id: 'SYMP:1', name: 'backache', synonyms: [{ text: 'back pain', scope: 'EXACT' }], isA: ['SYMP:2'], xrefs: [], obsolete: false });
    expect(t[1]?.obsolete).toBe(true);
  });

  it('parses DO anonymous class expressions and xrefs', () => {
    expect(parseSomeClauses("'has material basis in' some 'Alphavirus chikungunya'|'has symptom' some fever")).toEqual([
      ['has material basis in', 'Alphavirus chikungunya'],
      ['has symptom', 'fever'],
    ]);
    expect(normaliseDoXref('UMLS_CUI:C0004096')).toBe('UMLS:C0004096');
    expect(normaliseDoXref('MIM:600807')).toBe('OMIM:600807');
    expect(normaliseDoXref('SNOMEDCT_US_2025_09_01:195967001')).toBe('SNOMEDCT:195967001');
  });
});

describe('entity registry', () => {
  it('joins by xref first, then by a unique name, never by an ambiguous one', () => {
    const reg = new EntityRegistry();
    const a = reg.upsert('drug', 'DrugCentral:1', 'budesonide', 1, { xrefs: ['DrugBank:DB01222'] });
    reg.upsert('drug', 'DrugCentral:2', 'salt x', 1, { xrefs: ['DrugBank:DB9'] });
    reg.upsert('drug', 'DrugCentral:3', 'salt x', 1, { xrefs: ['DrugBank:DB9'] });
    expect(reg.resolve('drug', { xrefs: ['DrugBank:DB01222'] })).toEqual({ id: 'DrugCentral:1', via: 'xref' });
    expect(reg.resolve('drug', { xrefs: ['DrugBank:DB0'], names: ['Budesonide'] })).toEqual({ id: a.id, via: 'name' });
    expect(reg.resolve('drug', { xrefs: ['DrugBank:DB9'], names: ['salt x'] })).toBeUndefined();
    // xrefs are scoped by node type
    expect(reg.resolve('disease', { xrefs: ['DrugBank:DB01222'], names: ['budesonide'] })).toBeUndefined();
  });

  it('prefers a primary-name match over a synonym match', () => {
    const reg = new EntityRegistry();
    reg.upsert('disease', 'DOID:1', 'asthma', 1);
    reg.upsert('disease', 'DOID:2', 'bronchial disease', 1, { synonyms: ['asthma'] });
    expect(reg.byName('disease', 'Asthma')).toBe('DOID:1');
  });
});

describe('edge store', () => {
  const reg = new EntityRegistry();
  reg.upsert('drug', 'D1', 'd', 1);
  reg.upsert('disease', 'X', 'x', 1);
  reg.upsert('disease', 'Y', 'y', 1);
  it('merges duplicate edges into one with OR-ed dataset bits and rejects bad edges', () => {
    const es = new EdgeStore(reg, EDGE_TYPES);
    expect(es.add('treats', 'D1', 'X', 1)).toBe(true);
    expect(es.add('treats', 'D1', 'X', 4)).toBe(true);
    expect(es.count('treats')).toBe(1);
    expect(es.edges.get('treats')?.get('D1\u0000X')).toBe(5);
    expect(es.add('treats', 'X', 'D1', 1)).toBe(false); // wrong direction / types
    expect(es.add('is_a', 'X', 'X', 1)).toBe(false); // self-loop
    expect(es.add('treats', 'D1', 'nope', 1)).toBe(false); // dangling
    expect(es.add('resembles', 'Y', 'X', 1)).toBe(true);
    expect(es.add('resembles', 'X', 'Y', 2)).toBe(true);
    expect([...es.edges.get('resembles')!]).toEqual([['X\u0000Y', 3]]);
    expect(es.rejected).toEqual({ selfLoop: 1, missingNode: 1, wrongType: 1 });
  });
});

describe('filters', () => {
  it('keeps only permissively licensed disease-gene rows', () => {
    expect(keepDaGRow('DisGeNET', 'ODbL 1.0')).toBe(false);
    expect(keepDaGRow('DOAF|DisGeNET', 'ODbL 1.0')).toBe(false);
    expect(keepDaGRow('DOAF', '')).toBe(false);
    expect(keepDaGRow('DISEASES', 'CC BY 4.0')).toBe(true);
    expect(keepDaGRow('DISEASES|DisGeNET', '')).toBe(true);
    expect(keepDaGRow('GWAS Catalog', 'CC BY 4.0')).toBe(true);
  });
  it('uses a strict MEDLINE enrichment threshold', () => {
    expect(passesResemblesThreshold(3.3, 2760, 0)).toBe(true);
    expect(passesResemblesThreshold(1.98, 451, 1e-40)).toBe(false);
    expect(passesResemblesThreshold(8, 5, 1e-9)).toBe(false);
  });
  it('reduces inferred facet closures to the most specific terms', () => {
    const pairs: [string, string][] = [
      ['d1', 'organ'], ['d1', 'lung'], ['d2', 'organ'], ['d2', 'kidney'], ['d3', 'organ'], ['d3', 'lung'],
      ...Array.from({ length: 20 }, (_, i): [string, string] => [`e${i}`, 'organ']),
      ...Array.from({ length: 20 }, (_, i): [string, string] => [`e${i}`, `t${i}`]),
    ];
    const out = mostSpecificFacetPairs(pairs, 0.5);
    expect(out.filter(([d]) => d.startsWith('d'))).toEqual([['d1', 'lung'], ['d2', 'kidney'], ['d3', 'lung']]);
    expect(out.some(([, t]) => t === 'organ')).toBe(false);
  });
});

/** Writes a tiny source tree with just the files the tested loaders read. */
function fixtureDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kg-fixture-'));
  const put = (rel: string, text: string | Buffer): void => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  put(
    'drugcentral-2016/identifiers.tsv',
    'DRUG_ID\tDRUG_NAME\tID_TYPE\tIDENTIFIER\n419\t"budesonide"\t"DRUGBANK_ID"\t"DB01222"\n419\t"budesonide"\t"RXNORM"\t"19831"\n500\t"albuterol"\t"UMLSCUI"\t"C0001927"\n',
  );
  put(
    'hetionet/hetionet-v1.0-nodes.tsv',
    'id\tname\tkind\r\nCompound::DB01222\tBudesonide\tCompound\r\nCompound::DB00000\tNovelium\tCompound\r\nDisease::DOID:2841\tasthma\tDisease\r\nGene::1\tA1BG\tGene\r\nSide Effect::C1\tRash\tSide Effect\r\n',
  );
  put(
    'hetionet/edges-5k.sif.gz',
    gzipSync('source\tmetaedge\ttarget\r\nCompound::DB01222\tCtD\tDisease::DOID:2841\r\nCompound::DB01222\tCbG\tGene::1\r\nCompound::DB01222\tCcSE\tSide Effect::C1\r\n'),
  );
  put('pharmacotherapydb/indications.tsv', 'doid_id\tdrugbank_id\tdisease\tdrug\tcategory\tn_curators\tn_resources\nDOID:2841\tDB01222\tasthma\tBudesonide\tDM\t2\t2\nDOID:2841\tDB00000\tasthma\tNovelium\tNOT\t1\t1\n');
  put(
    'hetionet/DaG-association.tsv',
    'doid_id\tdoid_name\tentrez_gene_id\tgene_symbol\tsources\tlicense\nDOID:2841\tasthma\t1\tA1BG\tDisGeNET\tODbL 1.0\nDOID:2841\tasthma\t2\tA2M\tDISEASES\tCC BY 4.0\n',
  );
  return dir;
}

describe('loaders on fixtures', () => {
  const ctx = createContext(fixtureDir());
  ctx.reg.upsert('disease', 'DOID:2841', 'asthma', datasetBit('disease_ontology'), { xrefs: ['UMLS:C0004096'] });
  loadDrugCentralIdentifiers(ctx);
  const het = loadHetionetNodes(ctx);
  loadHetionetEdges(ctx, het);
  loadPharmacotherapyDb(ctx);
  loadDiseaseGene(ctx);

  it('a drug known by DrugBank id (Hetionet, PharmacotherapyDB) and DrugCentral id is one node', () => {
    const e = ctx.reg.get('DrugCentral:419')!;
    expect(e.xrefs.has('DrugBank:DB01222')).toBe(true);
    expect(ctx.reg.get('DrugBank:DB01222')).toBeUndefined();
    expect(e.datasets & datasetBit('hetionet')).toBeTruthy();
    expect(e.datasets & datasetBit('pharmacotherapydb')).toBeTruthy();
    expect(ctx.edges.edges.get('treats')?.get('DrugCentral:419\u0000DOID:2841')).toBe(datasetBit('hetionet') | datasetBit('pharmacotherapydb'));
    expect(ctx.stats.drugs_hetionet_joined_by_drugbank).toBe(1);
  });

  it('a drug without a DrugCentral id keeps its DrugBank id', () => {
    expect(ctx.reg.get('DrugBank:DB00000')?.name).toBe('Novelium');
    expect(ctx.edges.count('not_indicated_for')).toBe(1);
  });

  it('drops CcSE, CbG and ODbL rows', () => {
    expect(ctx.stats.hetionet_dropped_CcSE).toBe(1);
    expect(ctx.stats.hetionet_dropped_CbG).toBe(1);
    expect(ctx.edges.count('targets')).toBe(0);
    expect([...ctx.reg.entities.values()].some((e) => e.name === 'Rash')).toBe(false);
    expect([...(ctx.edges.edges.get('associates')?.keys() ?? [])]).toEqual(['DOID:2841\u0000NCBIGene:2']);
    expect(ctx.stats.dag_dropped_odbl).toBe(1);
  });

  it('joins Wikidata diseases and drugs by name and creates specialties', () => {
    applyWikidata(ctx, [
      { DiseaseURI: 'http://www.wikidata.org/entity/Q35869', Disease: 'Asthma', HealthSpecialty: ['pulmonology'], TreatmentDrugs: ['Budesonide', 'unknownol'], Cause: [], Symptons: ['wheeze'] },
      { DiseaseURI: 'http://www.wikidata.org/entity/Q1', Disease: 'rare thing', HealthSpecialty: ['pulmonology'], TreatmentDrugs: [], Cause: [], Symptons: [] },
      { DiseaseURI: 'http://www.wikidata.org/entity/Q2', Disease: 'no facts', HealthSpecialty: [], TreatmentDrugs: [], Cause: [], Symptons: [] },
    ]);
    expect(ctx.reg.get('DOID:2841')?.xrefs.has('WD:Q35869')).toBe(true);
    expect(ctx.edges.edges.get('treats')?.get('DrugCentral:419\u0000DOID:2841')! & datasetBit('wikidata')).toBeTruthy();
    expect(ctx.reg.get('WD:Q1')?.type).toBe('disease');
    expect(ctx.reg.get('WD:Q2')).toBeUndefined();
    expect(ctx.edges.count('in_specialty')).toBe(2);
    expect(ctx.stats.wikidata_drug_unmatched).toBe(1);
  });

  it('assembles a sorted file without dangling edges', () => {
    const file = assembleGraph({ entities: ctx.reg.entities.values(), edges: ctx.edges, nodeTypes: NODE_TYPES, edgeTypes: EDGE_TYPES, datasets: [], name: 't' });
    const s = summarize(file);
    expect(s.danglingEdges + s.duplicateEdges + s.selfLoops + s.typeMismatches).toBe(0);
    expect(s.edges).toBe(ctx.edges.count());
    expect([...file.nodes.id.keys()].every((i) => i === 0 || file.nodes.type[i - 1]! < file.nodes.type[i]! || file.nodes.id[i - 1]! < file.nodes.id[i]!)).toBe(true);
  });
});

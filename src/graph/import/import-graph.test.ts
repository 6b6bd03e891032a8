/**
 * The importers on real-format input: each happy path, and each kind of bad input the
 * user can hand them (wrong or missing columns, truncated, unknown node, binary, a
 * 50 MB line), which must name the file, the line and the cause.
 */
import { openAsBlob, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { KnowledgeGraph } from '../knowledge-graph';
import { checkPacked } from '../packed-graph';
import { importGraph, packedStats } from './import-graph';
import { ImportCancelledError, type ImportFormat, type ImportProgress } from './import-source';

const FIX = join(import.meta.dirname, 'fixtures');
const text = (name: string, body: string | Uint8Array) => ({ name, blob: new Blob([body as BlobPart]) });
const run = (name: string, body: string | Uint8Array, format: ImportFormat) => importGraph(text(name, body), format);

describe('Hetionet JSON import', () => {
  for (const ext of ['', '.gz', '.bz2', '.xz']) {
    it(`reads mini-hetionet.json${ext}: nodes, typed edges mapped onto the app's types, sources`, async () => {
      const path = join(FIX, `mini-hetionet.json${ext}`);
      const p = await importGraph({ name: path, blob: await openAsBlob(path) }, 'hetionet');
      expect(checkPacked(p)).toBeNull();
      const s = packedStats(p);
      expect(s).toMatchObject({ nodes: 8, edges: 7 });
      expect(s.nodeTypes).toEqual({ disease: 1, drug: 2, symptom: 1, gene: 2, pharmacologic_class: 1, 'Side Effect': 1 });
      expect(s.edgeTypes).toMatchObject({ treats: 2, presents: 1, associates: 1, in_class: 1, causes: 1, regulates: 1 });
      const g = new KnowledgeGraph(p);
      const asthma = g.findById('DOID:2841');
      const treats = g.edgeTypeIndex('treats');
      expect(Array.from(g.neighbours(asthma, treats, 'in'), (i) => g.nodeName(i)).sort()).toEqual(['Budesonide', 'Salbutamol']);
      // "Pharmacologic Class includes Compound" is stored the app's way round: drug in_class class
      const salb = g.findById('DrugBank:DB01001');
      expect(g.nodeName(g.neighbours(salb, g.edgeTypeIndex('in_class'), 'out')[0]!)).toBe('beta2-Adrenergic Agonists');
      // a numeric identifier becomes an NCBI Gene CURIE, and the gene is associated with asthma
      const il10 = g.findById('NCBIGene:3586');
      expect(g.nodeName(il10)).toBe('IL10');
      expect(Array.from(g.neighbours(asthma, g.edgeTypeIndex('associates'), 'out'))).toEqual([il10]);
      // the edge's sources are the datasets of that edge
      const budesonide = [...g.neighbourEdges(g.findById('DrugBank:DB01222'))][0]!;
      const names = g.datasets.filter((_, k) => (budesonide.datasets >>> k) & 1).map((d) => d.name);
      expect(names).toEqual(expect.arrayContaining(['PharmacotherapyDB', 'DrugCentral']));
      expect(g.search('salbutamol')[0]!.name).toBe('Salbutamol');
    });
  }

  it('accepts edges listed before nodes, and "backward" edges reversed', async () => {
    const doc = {
      metaedge_tuples: [['Compound', 'Disease', 'treats', 'both']],
      edges: [{ source_id: ['Disease', 'DOID:1'], target_id: ['Compound', 'DB1'], kind: 'treats', direction: 'backward', data: {} }],
      nodes: [
        { kind: 'Disease', identifier: 'DOID:1', name: 'd', data: {} },
        { kind: 'Compound', identifier: 'DB1', name: 'c', data: {} },
      ],
    };
    const p = await run('late.json', JSON.stringify(doc), 'hetionet');
    const g = new KnowledgeGraph(p);
    expect(Array.from(g.neighbours(g.findById('DrugBank:DB1'), g.edgeTypeIndex('treats'), 'out'))).toEqual([g.findById('DOID:1')]);
  });

  it('names the line of an edge to an unknown node', async () => {
    const src = readFileSync(join(FIX, 'mini-hetionet.json'), 'utf8').replace('"target_id": ["Symptom", "D012135"]', '"target_id": ["Symptom", "D999999"]');
    const line = src.split('\n').findIndex((l) => l.includes('D999999')) + 1;
    await expect(run('bad-edge.json', src, 'hetionet')).rejects.toThrow(
      new RegExp(`^bad-edge\\.json: line ${line}: edge presents has target \\["Symptom", "D999999"\\], which is not among the nodes$`),
    );
  });

  it('refuses an edge whose kinds match no metaedge', async () => {
    const src = readFileSync(join(FIX, 'mini-hetionet.json'), 'utf8').replace('"kind": "presents"', '"kind": "cures"');
    await expect(run('meta.json', src, 'hetionet')).rejects.toThrow(/^meta\.json: line \d+: edge Disease —cures→ Symptom matches no entry of metaedge_tuples$/);
  });

  it('reports a truncated file, plain and compressed', async () => {
    const src = readFileSync(join(FIX, 'mini-hetionet.json'));
    await expect(run('cut.json', src.subarray(0, src.length - 200), 'hetionet')).rejects.toThrow(/cut\.json: line \d+: the JSON ends before its closing brackets: the file is truncated/);
    const gz = gzipSync(src);
    await expect(run('cut.json.gz', gz.subarray(0, gz.length - 30), 'hetionet')).rejects.toThrow(/cut\.json\.gz: gzip stream: cannot decompress .*truncated or corrupt/);
    const bz = readFileSync(join(FIX, 'mini-hetionet.json.bz2'));
    await expect(run('cut.json.bz2', bz.subarray(0, bz.length - 100), 'hetionet')).rejects.toThrow(/cut\.json\.bz2: bzip2 stream: cannot decompress/);
    const xz = readFileSync(join(FIX, 'mini-hetionet.json.xz'));
    await expect(run('cut.json.xz', xz.subarray(0, xz.length - 100), 'hetionet')).rejects.toThrow(/cut\.json\.xz: xz stream: cannot decompress/);
  });

  it('names the line and cause of invalid JSON and of missing fields', async () => {
    await expect(run('syntax.json', '{\n"nodes": [\n{"kind": "Gene", "identifier": 1,, "name": "x"}]}', 'hetionet')).rejects.toThrow(/syntax\.json: line 3: not valid JSON/);
    await expect(run('noid.json', '{"nodes": [\n{"kind": "Gene", "name": "x"}\n]}', 'hetionet')).rejects.toThrow(/^noid\.json: line 2: node of kind Gene without an "identifier" \(string or number; found undefined\)$/);
    await expect(run('dir.json', '{"nodes": [{"kind": "Gene", "identifier": 1}], "edges": [\n{"source_id": ["Gene", 1], "target_id": ["Gene", 1], "kind": "x", "direction": "up"}]}', 'hetionet')).rejects.toThrow(
      /dir\.json: line 2: edge direction must be "both", "forward" or "backward", found "up"/,
    );
    await expect(run('other.json', '{"format": "something else"}', 'hetionet')).rejects.toThrow(/other\.json: top level: no "nodes" array: not a Hetionet JSON file/);
  });

  it('refuses binary garbage', async () => {
    const bytes = new Uint8Array(4096);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    bytes[0] = 0x7b; // "{" so it is not refused for its first byte alone
    await expect(run('garbage.bin', bytes, 'hetionet')).rejects.toThrow(/garbage\.bin: line \d+: (bytes that are not UTF-8 text|a NUL byte)/);
  });

  it('refuses a 50 MB single line instead of buffering it', async () => {
    const big = `{"nodes": [{"kind": "Gene", "identifier": 1, "name": "${'x'.repeat(50 << 20)}"}]}`;
    await expect(run('huge.json', big, 'hetionet')).rejects.toThrow(/^huge\.json: line 1: no complete node or edge object within 16 MiB/);
  });
});

const PRIMEKG_HEADER = 'relation,display_relation,x_index,x_id,x_type,x_name,x_source,y_index,y_id,y_type,y_name,y_source';
const PRIMEKG_ROWS = [
  'indication,indication,1,DB01001,drug,Salbutamol,DrugBank,2,2841,disease,asthma,MONDO',
  'indication,indication,2,2841,disease,asthma,MONDO,1,DB01001,drug,Salbutamol,DrugBank',
  'disease_phenotype_positive,phenotype present,2,2841,disease,asthma,MONDO,3,30,effect/phenotype,"Wheezing, expiratory",HPO',
  'phenotype_phenotype,parent-child,3,30,effect/phenotype,"Wheezing, expiratory",HPO,4,31,effect/phenotype,Abnormal breath sound,HPO',
  'protein_protein,ppi,5,3586,gene/protein,IL10,NCBI,6,3565,gene/protein,IL4,NCBI',
  'protein_protein,ppi,6,3565,gene/protein,IL4,NCBI,5,3586,gene/protein,IL10,NCBI',
  'exposure_disease,linked to,7,D1,exposure,Tobacco smoke,CTD,2,2841,disease,asthma,MONDO',
];

describe('PrimeKG kg.csv import', () => {
  it('reads rows, stores each undirected edge once, maps types and keeps unknown ones', async () => {
    const p = await run('kg.csv', [PRIMEKG_HEADER, ...PRIMEKG_ROWS].join('\r\n') + '\r\n', 'primekg');
    const s = packedStats(p);
    expect(s).toMatchObject({ nodes: 7, edges: 5 });
    expect(s.nodeTypes).toEqual({ drug: 1, disease: 1, symptom: 2, gene: 2, exposure: 1 });
    expect(s.edgeTypes).toEqual({ treats: 1, presents: 1, symptom_is_a: 1, protein_protein: 1, exposure_disease: 1 });
    const g = new KnowledgeGraph(p);
    const asthma = g.findById('MONDO:2841');
    expect(g.nodeName(g.neighbours(asthma, g.edgeTypeIndex('presents'), 'out')[0]!)).toBe('Wheezing, expiratory');
    expect(g.nodeName(g.neighbours(asthma, g.edgeTypeIndex('treats'), 'in')[0]!)).toBe('Salbutamol');
  });

  it('accepts extra columns in any order (the sample adds relation_standard)', async () => {
    const header = 'relation_standard,' + PRIMEKG_HEADER;
    const p = await run('kg.csv', [header, 'drug-disease,' + PRIMEKG_ROWS[0]].join('\n'), 'primekg');
    expect(packedStats(p)).toMatchObject({ nodes: 2, edges: 1, edgeTypes: { treats: 1 } });
  });

  it('names missing columns', async () => {
    const header = PRIMEKG_HEADER.replace(',x_source', '').replace(',y_type', '');
    await expect(run('kg.csv', header + '\n', 'primekg')).rejects.toThrow('kg.csv: line 1 (header): missing PrimeKG columns x_source, y_type; found relation, display_relation');
  });

  it('names a row with the wrong number of fields', async () => {
    const rows = [PRIMEKG_HEADER, PRIMEKG_ROWS[0], 'indication,indication,1,DB01001,drug,"Salbutamol, oral",DrugBank,2,2841,disease,asthma'];
    await expect(run('kg.csv', rows.join('\n'), 'primekg')).rejects.toThrow('kg.csv: line 3: expected 12 fields, found 11');
  });

  it('keeps line numbers right across quoted newlines and doubled quotes', async () => {
    const rows = [PRIMEKG_HEADER, 'indication,indication,1,DB1,drug,"Salbutamol\n(""albuterol"")",DrugBank,2,7,disease,asthma,MONDO', PRIMEKG_ROWS[0], 'indication,indication'];
    await expect(run('kg.csv', rows.join('\n'), 'primekg')).rejects.toThrow('kg.csv: line 5: expected 12 fields, found 2');
    const p = await run('kg.csv', rows.slice(0, 3).join('\n'), 'primekg');
    const g = new KnowledgeGraph(p);
    expect(g.nodeName(g.findById('DrugBank:DB1'))).toBe('Salbutamol\n("albuterol")');
  });

  it('reports a file truncated inside a quoted field', async () => {
    const rows = [PRIMEKG_HEADER, PRIMEKG_ROWS[0], 'indication,indication,1,DB01001,drug,"Salbut'];
    await expect(run('kg.csv', rows.join('\n'), 'primekg')).rejects.toThrow('kg.csv: line 3: the file ends inside a quoted field: it is truncated');
  });

  it('refuses binary garbage and a 50 MB line', async () => {
    const bin = new Uint8Array([0x72, 0x65, 0x6c, 0x00, 0x01, 0x02, 0xff, 0xfe]);
    await expect(run('kg.bin', bin, 'primekg')).rejects.toThrow(/kg\.bin: line 1: (bytes that are not UTF-8 text|a NUL byte)/);
    const line = PRIMEKG_HEADER + '\n' + 'a,'.repeat(25 << 20);
    await expect(run('kg.csv', line, 'primekg')).rejects.toThrow('kg.csv: line 2: a single record longer than 1024 KiB without a line end');
  });
});

describe('triples import', () => {
  it('reads a header in any column order, with names and sources', async () => {
    const csv = ['relation,head,head_type,tail,tail_type,head_name,tail_name,source', 'treats,DB01001,Compound,DOID:2841,Disease,Salbutamol,asthma,PharmacotherapyDB', 'presents,DOID:2841,Disease,SYMP:1,Symptom,,wheeze,"Disease Ontology, 2015"'].join('\n');
    const p = await run('t.csv', csv, 'triples');
    expect(packedStats(p)).toEqual({ nodes: 3, edges: 2, nodeTypes: { drug: 1, disease: 1, symptom: 1 }, edgeTypes: { treats: 1, presents: 1 }, danglingEdges: 0 });
    const g = new KnowledgeGraph(p);
    expect(g.nodeName(g.findById('DOID:2841'))).toBe('asthma');
    expect(g.datasets.map((d) => d.name)).toEqual(expect.arrayContaining(['PharmacotherapyDB', 'Disease Ontology, 2015']));
  });

  it('splits a relation that joins several type pairs into one edge type per pair', async () => {
    const csv = ['head,head_type,relation,tail,tail_type', 'D1,disease,resembles,D2,disease', 'C1,drug,resembles,C2,drug', 'C1,drug,targets,G1,gene'].join('\n');
    const p = await run('t.csv', csv, 'triples');
    expect(p.header.edgeTypes.map((e) => [e.name, e.source, e.target])).toEqual([
      ['resembles', 'disease', 'disease'],
      ['resembles_drug_drug', 'drug', 'drug'],
      ['targets', 'drug', 'gene'],
    ]);
    // an app type keeps the app's labels; a kept relation reads as written
    expect(p.header.edgeTypes[2]).toMatchObject({ label: 'targets', inverseLabel: 'is targeted by' });
    expect(p.header.edgeTypes[1]).toMatchObject({ label: 'resembles', inverseLabel: 'resembles (reverse)' });
  });

  it('reads headerless head, relation, tail TSV with unknown types', async () => {
    const tsv = 'Tissue\tAdjacent_to\tBody_Space_or_Junction\nCell\tpart_of\tTissue\nCell\tpart_of\tTissue\n';
    const p = await run('umls.tsv', tsv, 'triples');
    expect(packedStats(p)).toEqual({ nodes: 3, edges: 2, nodeTypes: { unknown: 3 }, edgeTypes: { Adjacent_to: 1, part_of: 1 }, danglingEdges: 0 });
  });

  it('names wrong and missing columns', async () => {
    await expect(run('t.tsv', 'head\trelation\ttail\nA\tr\tB\n', 'triples')).rejects.toThrow('t.tsv: line 1 (header): missing columns head_type, tail_type; found head, relation, tail');
    await expect(run('t.tsv', 'A\tr\tB\tC\n', 'triples')).rejects.toThrow('t.tsv: line 1: a headerless triples file has 3 columns (head, relation, tail), found 4');
    await expect(run('t.tsv', 'A\tr\tB\nC\tr\n', 'triples')).rejects.toThrow('t.tsv: line 2: expected 3 fields, found 2');
    await expect(run('t.csv', 'head,head_type,relation,tail,tail_type\nA,drug,,B,disease\n', 'triples')).rejects.toThrow('t.csv: line 2: empty relation');
  });

  it('refuses a 50 MB single line', async () => {
    await expect(run('t.tsv', 'x'.repeat(50 << 20), 'triples')).rejects.toThrow('t.tsv: line 1: a single record longer than 1024 KiB without a line end');
  });
});

describe('import control', () => {
  it('reports bytes and rows as it reads, and can be cancelled', async () => {
    const rows = ['head\thead_type\trelation\ttail\ttail_type'];
    for (let i = 0; i < 200_000; i++) rows.push(`n${i}\tdisease\tis_a\tn${i + 1}\tdisease`);
    const body = rows.join('\n');
    const seen: ImportProgress[] = [];
    const p = await importGraph(text('big.tsv', body), 'triples', { onProgress: (x) => seen.push(x) });
    expect(p.header.edgeCount).toBe(200_000);
    const last = seen.filter((s) => s.stage === 'reading').at(-1)!;
    expect(last).toMatchObject({ bytesRead: body.length, totalBytes: body.length, rows: 200_001 });
    expect(seen.at(-1)!.stage).toBe('building');

    const ac = new AbortController();
    const cancelled = importGraph(text('big.tsv', body), 'triples', { signal: ac.signal, onProgress: () => ac.abort() });
    await expect(cancelled).rejects.toBeInstanceOf(ImportCancelledError);
  });
});

/**
 * Fuzz test of the graph importers (Hetionet JSON plain/.gz/.bz2/.xz, PrimeKG kg.csv,
 * triples TSV/CSV): random truncations, damaged and inserted bytes, random bytes, the
 * encodings files really come in, and huge fields. For every case the import either
 * succeeds with a well-formed graph or fails with a GraphFileError whose message names
 * the file, where (line N / the compressed stream) and the cause — never another
 * exception, never a hang (each case is bounded), never a message that dumps the input.
 * Cases come from a seeded generator: a failure prints the case's label and seed.
 * (Nothing is written by importGraph: saving is the caller's single transaction, checked
 * end to end in e2e/security.spec.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GraphFileError } from '../graph-file-error';
import { KnowledgeGraph } from '../knowledge-graph';
import { checkPacked, type PackedGraph } from '../packed-graph';
import { bounded, concatBytes, deleteBytes, flipBytes, FuzzRng, insertBytes, latin1, truncate, utf16, utf8, withUtf8Bom } from './fuzz-kit';
import { importGraph, packedStats } from './import-graph';
import type { ImportFormat } from './import-source';

const FIX = join(import.meta.dirname, 'fixtures');
const HETIONET = readFileSync(join(FIX, 'mini-hetionet.json'), 'utf8')
  // non-ASCII names (Latin-1 range and beyond), so encodings are really exercised
  .replace('"name": "asthma"', '"name": "asthma (Ménière-like, β2)"')
  .replace('"name": "Tremor"', '"name": "Tremor 𝛽"');
const PRIMEKG = readFileSync(join(import.meta.dirname, '../../../e2e/fixtures/mini-primekg.csv'), 'utf8').replace('Wheezing', 'Wheezing (sibilância)');
const TRIPLES_TSV = [
  'head\thead_type\trelation\ttail\ttail_type\thead_name\ttail_name\tsource',
  'DOID:50\tDisease\tpresents\tSYMP:1\tSymptom\tMénière’s disease\tvertigo\tDisease Ontology',
  'DB00001\tCompound\ttreats\tDOID:50\tDisease\tbétahistine\t\tPharmacotherapyDB',
  'DOID:51\tDisease\tresembles\tDOID:50\tDisease\tSjögren syndrome\t\t',
  'DB00002\tCompound\ttreats\tDOID:51\tDisease\t"pilocarpine, oral"\t\t"Disease Ontology, 2015"',
].join('\n');
const TRIPLES_CSV = ['Tissue,Adjacent_to,Body Space', 'Cell,part_of,Tissue', 'Cell,"part, of",Organ'].join('\r\n') + '\r\n';
/** text that Latin-1 can hold (the Latin-1 cases need it) */
const TRIPLES_LATIN = ['head\thead_type\trelation\ttail\ttail_type\thead_name\ttail_name', 'DOID:50\tDisease\tpresents\tSYMP:1\tSymptom\tMénière disease\tvertigo', 'DOID:51\tDisease\tpresents\tSYMP:1\tSymptom\tSjögren syndrome\tvertigo'].join('\n');

const fixtureBytes = (ext: string) => new Uint8Array(readFileSync(join(FIX, `mini-hetionet.json${ext}`)));

interface Base {
  label: string;
  file: string;
  format: ImportFormat;
  bytes: Uint8Array;
}
const BASES: Base[] = [
  { label: 'hetionet json', file: 'hetionet.json', format: 'hetionet', bytes: utf8(HETIONET) },
  { label: 'hetionet .gz', file: 'hetionet.json.gz', format: 'hetionet', bytes: new Uint8Array(gzipSync(utf8(HETIONET))) },
  { label: 'hetionet .bz2', file: 'hetionet.json.bz2', format: 'hetionet', bytes: fixtureBytes('.bz2') },
  { label: 'hetionet .xz', file: 'hetionet.json.xz', format: 'hetionet', bytes: fixtureBytes('.xz') },
  { label: 'primekg csv', file: 'kg.csv', format: 'primekg', bytes: utf8(PRIMEKG) },
  { label: 'triples tsv', file: 'triples.tsv', format: 'triples', bytes: utf8(TRIPLES_TSV) },
  { label: 'triples csv', file: 'triples.csv', format: 'triples', bytes: utf8(TRIPLES_CSV) },
];

/** where a message may say the problem is */
const WHERE = /^(line \d+( \(header\))?|top level|end of file|(gzip|bzip2|xz) stream|read)$/;
/** a message quotes at most a snippet of the input: longer means it is dumping the file */
const MAX_MESSAGE = 600;

type Outcome = { ok: true; p: PackedGraph } | { ok: false; error: GraphFileError };

async function attempt(file: string, bytes: Uint8Array, format: ImportFormat): Promise<Outcome> {
  try {
    const p = await bounded(importGraph({ name: file, blob: new Blob([bytes as BlobPart]) }, format), 20_000, `${format} import of ${file}`);
    return { ok: true, p };
  } catch (e) {
    if (!(e instanceof GraphFileError)) throw new Error(`not a file error: ${(e as Error)?.name}: ${(e as Error)?.message ?? String(e)}`.slice(0, 400));
    return { ok: false, error: e };
  }
}

/** the contract every case must meet; returns a problem description or null */
async function check(label: string, file: string, bytes: Uint8Array, format: ImportFormat): Promise<{ problem: string | null; outcome?: Outcome }> {
  let out: Outcome;
  try {
    out = await attempt(file, bytes, format);
  } catch (e) {
    return { problem: `${label}: ${(e as Error).message}` };
  }
  if (out.ok) {
    const bad = checkPacked(out.p);
    if (bad) return { problem: `${label}: imported, but the packed graph is malformed: ${bad}` };
    try {
      new KnowledgeGraph(out.p); // the app indexes what it imports: that must not throw either
    } catch (e) {
      return { problem: `${label}: imported, but indexing failed: ${(e as Error).message}` };
    }
    return { problem: null, outcome: out };
  }
  const { error } = out;
  if (!error.message.startsWith(`${file}: `)) return { problem: `${label}: message does not start with the file name: ${error.message.slice(0, 200)}` };
  if (!WHERE.test(error.where)) return { problem: `${label}: message does not say where: ${error.message.slice(0, 200)}` };
  if (error.cause_.trim().length < 8) return { problem: `${label}: message gives no cause: ${error.message.slice(0, 200)}` };
  if (error.message.length > MAX_MESSAGE) return { problem: `${label}: message is ${error.message.length} characters long (dumps the input): ${error.message.slice(0, 200)}…` };
  return { problem: null, outcome: out };
}

async function runAll(cases: Array<{ label: string; file: string; bytes: Uint8Array; format: ImportFormat }>): Promise<{ ok: number; refused: number }> {
  const problems: string[] = [];
  let ok = 0;
  let refused = 0;
  for (const c of cases) {
    const r = await check(c.label, c.file, c.bytes, c.format);
    if (r.problem) problems.push(r.problem);
    else if (r.outcome?.ok) ok++;
    else refused++;
  }
  expect(problems).toEqual([]);
  if (process.env.FUZZ_VERBOSE) for (const c of cases) console.log(c.label, (await attempt(c.file, c.bytes, c.format)).ok);
  return { ok, refused };
}

const full = new Map<string, ReturnType<typeof packedStats>>();
async function stats(b: Base) {
  if (!full.has(b.label)) {
    const r = await attempt(b.file, b.bytes, b.format);
    if (!r.ok) throw new Error(`base ${b.label} does not import: ${r.error.message}`);
    full.set(b.label, packedStats(r.p));
  }
  return full.get(b.label)!;
}

describe('graph importer fuzz', () => {
  it('every base file imports whole (the starting point of each mutation)', async () => {
    for (const b of BASES) expect((await stats(b)).nodes).toBeGreaterThan(0);
  });

  it('random truncations: a smaller valid graph or a clear message, never a malformed one', async () => {
    const rng = new FuzzRng(0x7e1);
    const cases = BASES.flatMap((b) =>
      Array.from({ length: 16 }, (_, i) => {
        const n = i === 0 ? 0 : i === 1 ? b.bytes.length - 1 : rng.int(b.bytes.length);
        return { label: `${b.label} cut at ${n}/${b.bytes.length}`, file: b.file, format: b.format, bytes: truncate(b.bytes, n) };
      }),
    );
    const { refused } = await runAll(cases);
    // JSON and compressed streams cut anywhere must be refused: they cannot be complete
    for (const c of cases.filter((c) => c.format === 'hetionet' && (c.file !== 'hetionet.json' || new TextDecoder().decode(c.bytes).trimEnd() !== HETIONET.trimEnd()))) {
      const r = await attempt(c.file, c.bytes, c.format);
      expect(r.ok, `${c.label} imported though truncated`).toBe(false);
    }
    expect(refused).toBeGreaterThan(cases.length / 2);
  });

  it('damaged bytes (overwritten, inserted, deleted): a valid graph or a clear message', async () => {
    const rng = new FuzzRng(0xda3a9e);
    const cases = BASES.flatMap((b) =>
      Array.from({ length: 12 }, (_, i) => {
        const kind = i % 3;
        const k = 1 + rng.int(8);
        const bytes = kind === 0 ? flipBytes(b.bytes, rng, k) : kind === 1 ? insertBytes(b.bytes, rng, k) : deleteBytes(b.bytes, rng, k);
        return { label: `${b.label} ${['overwrite', 'insert', 'delete'][kind]} ${k} (case ${i}, seed 0xda3a9e)`, file: b.file, format: b.format, bytes };
      }),
    );
    await runAll(cases);
  });

  it('random bytes, bare or behind a gzip / bzip2 / xz header: refused with a message', async () => {
    const rng = new FuzzRng(0xb17e5);
    const magic = [new Uint8Array(0), new Uint8Array([0x1f, 0x8b, 0x08, 0x00]), new Uint8Array([0x42, 0x5a, 0x68, 0x39]), new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])];
    const formats: ImportFormat[] = ['hetionet', 'primekg', 'triples'];
    const cases = Array.from({ length: 48 }, (_, i) => {
      const m = magic[i % 4]!;
      const n = [0, 1, 7, 100, 4096, 70_000][rng.int(6)]!;
      return { label: `random ${n} bytes after ${m.length}-byte header (case ${i}, seed 0xb17e5)`, file: `random-${i}.bin`, format: formats[i % 3]!, bytes: concatBytes(m, rng.bytes(n)) };
    });
    const { ok } = await runAll(cases);
    expect(ok).toBe(0);
  });

  it('UTF-8 with a BOM and UTF-16 (LE/BE, with and without a BOM, also gzipped) import exactly as UTF-8 does', async () => {
    const texts: Array<[Base, string]> = [
      [BASES[0]!, HETIONET],
      [BASES[4]!, PRIMEKG],
      [BASES[5]!, TRIPLES_TSV],
      [BASES[6]!, TRIPLES_CSV],
    ];
    for (const [b, text] of texts) {
      const want = await stats(b);
      const variants: Array<[string, Uint8Array]> = [
        ['UTF-8 BOM', withUtf8Bom(text)],
        ['UTF-16LE BOM', utf16(text, 'le', true)],
        ['UTF-16BE BOM', utf16(text, 'be', true)],
        ['UTF-16LE', utf16(text, 'le', false)],
        ['UTF-16BE', utf16(text, 'be', false)],
        ['UTF-16LE BOM gzipped', new Uint8Array(gzipSync(utf16(text, 'le', true)))],
      ];
      for (const [name, bytes] of variants) {
        const r = await attempt(b.file, bytes, b.format);
        if (!r.ok) throw new Error(`${b.label} as ${name}: ${r.error.message}`);
        expect(packedStats(r.p), `${b.label} as ${name}`).toEqual(want);
      }
    }
    // and the names come through intact, astral characters included
    const r = await attempt('h.json', utf16(HETIONET, 'be', true), 'hetionet');
    const g = new KnowledgeGraph((r as { p: PackedGraph }).p);
    expect(g.nodeName(g.findById('DOID:2841'))).toBe('asthma (Ménière-like, β2)');
    expect(g.nodeName(g.findById('UMLS:C0040822'))).toBe('Tremor 𝛽');
  });

  it('Latin-1 text is refused with a message naming the encoding and the line of the first non-UTF-8 byte', async () => {
    await expect(importGraph({ name: 'latin.tsv', blob: new Blob([latin1(TRIPLES_LATIN) as BlobPart]) }, 'triples')).rejects.toThrow(
      /^latin\.tsv: line 2: bytes that are not UTF-8 text \(byte 0xE9\): the file looks like Latin-1 \/ Windows-1252 text .*save it as UTF-8/,
    );
    const het = latin1(HETIONET.replace(', β2', '').replace(' 𝛽', ''));
    await expect(importGraph({ name: 'latin.json', blob: new Blob([het as BlobPart]) }, 'hetionet')).rejects.toThrow(/^latin\.json: line 13: bytes that are not UTF-8 text \(byte 0xE9\): the file looks like Latin-1/);
  });

  it('damaged encodings: UTF-16 cut in half a character, an unpaired surrogate, UTF-32, a BOM and nothing else', async () => {
    const odd = utf16(TRIPLES_TSV, 'le', true).slice(0, -1);
    await expect(importGraph({ name: 'odd.tsv', blob: new Blob([odd as BlobPart]) }, 'triples')).rejects.toThrow(/^odd\.tsv: line 5: the file ends in the middle of a UTF-16 character: it is truncated/);
    const lone = utf16('head,relation,tail\nA,r,\ud800B\n', 'le', true);
    await expect(importGraph({ name: 'lone.csv', blob: new Blob([lone as BlobPart]) }, 'triples')).rejects.toThrow(/^lone\.csv: line \d+: bytes that are not valid UTF-16LE text/);
    const u32 = concatBytes(new Uint8Array([0xff, 0xfe, 0, 0]), new Uint8Array(40));
    await expect(importGraph({ name: 'u32.csv', blob: new Blob([u32 as BlobPart]) }, 'triples')).rejects.toThrow(/^u32\.csv: line 1: the file is UTF-32LE text/);
    const cutUtf8 = utf8(`${TRIPLES_TSV}\nX\tDisease\tpresents\tY\tSymptom\tMé`).slice(0, -1);
    await expect(importGraph({ name: 'cut.tsv', blob: new Blob([cutUtf8 as BlobPart]) }, 'triples')).rejects.toThrow(/^cut\.tsv: line 6: the file ends in the middle of a UTF-8 character/);
    const cases = (['hetionet', 'primekg', 'triples'] as const).flatMap((format) => [
      { label: `${format} empty`, file: `empty.${format}`, format, bytes: new Uint8Array(0) },
      { label: `${format} UTF-8 BOM only`, file: `bom.${format}`, format, bytes: new Uint8Array([0xef, 0xbb, 0xbf]) },
      { label: `${format} UTF-16 BOM only`, file: `bom16.${format}`, format, bytes: new Uint8Array([0xff, 0xfe]) },
      { label: `${format} whitespace`, file: `ws.${format}`, format, bytes: utf8(' \n\r\n\t\n') },
    ]);
    const { ok } = await runAll(cases);
    expect(ok).toBe(0);
  });

  it('huge fields: a 50 MB line and a 2 MB cell are refused with a short message; a 1 MB cell imports whole', async () => {
    const fifty = new Uint8Array(50 << 20).fill(0x78); // "xxxx…" with no line end
    const header = { hetionet: '{"nodes": [{"kind": "Gene", "identifier": 1, "name": "', primekg: PRIMEKG.split('\n')[0] + '\n', triples: '' };
    const cases = (['hetionet', 'primekg', 'triples'] as const).map((format) => ({ label: `${format} 50 MB line`, file: `huge.${format}`, format, bytes: concatBytes(utf8(header[format]), fifty) }));
    // a 1.5 MB header field: the missing-column message must quote a snippet, not the field
    cases.push({ label: 'primekg 1.5 MB header field', file: 'wide.csv', format: 'primekg', bytes: utf8(`relation,${'h'.repeat(1_000_000)}\nx,y\n`) });
    cases.push({ label: 'triples 1 MB header field', file: 'wide.tsv', format: 'triples', bytes: utf8(`head\trelation\t${'t'.repeat(1_000_000)}\nx\ty\tz\n`) });
    cases.push({ label: 'triples 2 MB cell', file: 'cell2.tsv', format: 'triples', bytes: utf8(`head\thead_type\trelation\ttail\ttail_type\thead_name\nA\tdisease\tis_a\tB\tdisease\t${'n'.repeat(2_000_000)}\n`) });
    cases.push({ label: 'hetionet 1 MB-deep nesting', file: 'deep.json', format: 'hetionet', bytes: utf8(`{"nodes": [${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}]}`) });
    const { ok } = await runAll(cases);
    expect(ok, 'no huge case imports').toBe(0);

    const name = `long ${'n'.repeat(1_000_000)}`;
    const r = await attempt('cell1.tsv', utf8(`head\thead_type\trelation\ttail\ttail_type\thead_name\nA\tdisease\tis_a\tB\tdisease\t${name}\n`), 'triples');
    if (!r.ok) throw new Error(r.error.message);
    expect(new KnowledgeGraph(r.p).nodeName(new KnowledgeGraph(r.p).findById('A'))).toBe(name);
  });
});

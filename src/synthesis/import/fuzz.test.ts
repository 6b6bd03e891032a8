/**
 * Fuzz test of the public-QA import path as the app and the CLI run it: file bytes →
 * decodeTextBytes (encoding from the bytes) → importQa (MedQA, MedMCQA, PubMedQA, MMLU).
 * Random truncations, damaged bytes, random bytes, UTF-16 / UTF-8-BOM / Latin-1 files and
 * huge fields. Every case must end in exactly one of: a refusal naming file, line and
 * cause (undecodable bytes); a report of bad rows, each with its line and a short reason,
 * and nothing imported (all or nothing); or a correct import, every record well formed.
 * Never an exception from the parser, never a hang. Cases come from a seeded generator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bounded, deleteBytes, flipBytes, FuzzRng, insertBytes, latin1, truncate, utf16, utf8, withUtf8Bom } from '../../graph/import/fuzz-kit';
import { decodeTextBytes, TextEncodingError } from '../../graph/import/text-encoding';
import type { QuestionRecord } from '../record';
import { formatProblems, importQa, type ImportResult, type QaFormat } from './index';

const FIX = join(import.meta.dirname, 'fixtures');
const read = (f: string) => readFileSync(join(FIX, f), 'utf8');

const MEDQA = read('medqa-us-4opt-sample.jsonl').split('\n').slice(0, 12).join('\n') + '\n';
const MMLU = read('mmlu-anatomy-dev.csv');
const PUBMEDQA_JSON = read('pubmedqa-pqal-sample.json');
const MEDMCQA = [
  { id: 'm1', question: 'Which vitamin deficiency causes scurvy?', opa: 'Vitamin A', opb: 'Vitamin C', opc: 'Vitamin D', opd: 'Vitamin K', cop: 1, choice_type: 'single', subject_name: 'Biochemistry' },
  { id: 'm2', question: 'Drug of choice for absence seizures — «petit mal»?', opa: 'Ethosuximide', opb: 'Phenytoin', opc: 'Carbamazepine', opd: 'Phénobarbital', cop: 0, choice_type: 'single' },
  { id: 'm3', question: 'Ménière disease: triad includes all EXCEPT', opa: 'Vertigo', opb: 'Tinnitus', opc: 'Hearing loss', opd: 'Diplopia', cop: 3, choice_type: 'single' },
]
  .map((o) => JSON.stringify(o))
  .join('\n');
const PUBMEDQA_JSONL = [
  { pubid: 1, question: 'Does β-blockade reduce mortality?', context: { contexts: ['Background …', 'Résultats …'] }, long_answer: 'Yes.', final_decision: 'yes' },
  { pubid: 2, question: 'Is X linked to Y?', context: { contexts: ['…'] }, final_decision: 'maybe' },
]
  .map((o) => JSON.stringify(o))
  .join('\n');

interface Base {
  label: string;
  file: string;
  format: QaFormat;
  text: string;
}
const BASES: Base[] = [
  { label: 'medqa jsonl', file: 'medqa.jsonl', format: 'medqa', text: MEDQA },
  { label: 'medmcqa jsonl', file: 'medmcqa.jsonl', format: 'medmcqa', text: MEDMCQA },
  { label: 'pubmedqa json', file: 'ori_pqal.json', format: 'pubmedqa', text: PUBMEDQA_JSON },
  { label: 'pubmedqa jsonl', file: 'pubmedqa.jsonl', format: 'pubmedqa', text: PUBMEDQA_JSONL },
  { label: 'mmlu csv', file: 'anatomy_dev.csv', format: 'mmlu', text: MMLU },
];

const MAX_MESSAGE = 600;

type Outcome = { kind: 'refused'; error: TextEncodingError } | { kind: 'result'; result: ImportResult; lines: number };

/** the app's path: decode, then import; anything thrown other than an encoding refusal is a defect */
async function attempt(file: string, bytes: Uint8Array, format: QaFormat, skipBad = false): Promise<Outcome> {
  return bounded(
    (async (): Promise<Outcome> => {
      let text: string;
      try {
        text = decodeTextBytes(bytes, file);
      } catch (e) {
        if (e instanceof TextEncodingError) return { kind: 'refused', error: e };
        throw e;
      }
      const result = importQa(format, text, { skipBad });
      return { kind: 'result', result, lines: text.split('\n').length };
    })(),
    20_000,
    `${format} import of ${file}`,
  );
}

function recordProblem(r: QuestionRecord): string | null {
  if (typeof r.question !== 'string' || !r.question.trim()) return 'empty question';
  const letters = Object.keys(r.options);
  if (letters.length < 2) return 'fewer than 2 options';
  if (!(r.answer_idx in r.options)) return `answer ${r.answer_idx} is not an option`;
  if (r.options[r.answer_idx] !== r.answer) return 'answer text differs from the keyed option';
  if (letters.some((l) => typeof r.options[l] !== 'string' || !r.options[l]!.trim())) return 'an empty option';
  return null;
}

async function check(label: string, file: string, bytes: Uint8Array, format: QaFormat): Promise<{ problem: string | null; outcome?: Outcome }> {
  let out: Outcome;
  try {
    out = await attempt(file, bytes, format);
  } catch (e) {
    return { problem: `${label}: threw ${(e as Error)?.name}: ${String((e as Error)?.message).slice(0, 300)}` };
  }
  if (out.kind === 'refused') {
    const m = out.error.message;
    if (!new RegExp(`^${file.replace(/\./g, '\\.')}: line \\d+: .{8,}`).test(m)) return { problem: `${label}: refusal does not name file, line and cause: ${m.slice(0, 200)}` };
    if (m.length > MAX_MESSAGE) return { problem: `${label}: refusal message is ${m.length} characters` };
    return { problem: null, outcome: out };
  }
  const { result, lines } = out;
  if (result.rows !== result.records.length + result.problems.length && result.ok) return { problem: `${label}: rows ${result.rows} ≠ records ${result.records.length} + problems ${result.problems.length}` };
  if (!result.ok) {
    if (result.records.length) return { problem: `${label}: not ok, yet ${result.records.length} records would be saved (partial import)` };
    if (!result.problems.length) return { problem: `${label}: not ok and no problem reported` };
  }
  if (result.ok && result.problems.length) return { problem: `${label}: ok with problems though skipBad was not given` };
  for (const p of result.problems) {
    if (!Number.isInteger(p.line) || p.line < 1 || p.line > lines + 1) return { problem: `${label}: problem at impossible line ${p.line} (file has ${lines})` };
    if (!p.message || p.message.length > MAX_MESSAGE) return { problem: `${label}: problem message empty or ${p.message.length} characters long: ${p.message.slice(0, 120)}` };
  }
  const report = formatProblems(file, result.problems);
  if (result.problems.length && !report.startsWith(`${file}:${result.problems[0]!.line}: `)) return { problem: `${label}: report does not start with file:line: ${report.slice(0, 120)}` };
  for (const r of result.records) {
    const bad = recordProblem(r);
    if (bad) return { problem: `${label}: imported a malformed record ${r.id}: ${bad}` };
  }
  return { problem: null, outcome: out };
}

async function runAll(cases: Array<{ label: string; file: string; bytes: Uint8Array; format: QaFormat }>) {
  const problems: string[] = [];
  const tally = { imported: 0, reported: 0, refused: 0 };
  for (const c of cases) {
    const r = await check(c.label, c.file, c.bytes, c.format);
    if (r.problem) problems.push(r.problem);
    else if (r.outcome!.kind === 'refused') tally.refused++;
    else if (r.outcome!.result.ok) tally.imported++;
    else tally.reported++;
  }
  expect(problems).toEqual([]);
  if (process.env.FUZZ_VERBOSE) console.log(cases.length, tally);
  return tally;
}

const baseRecords = new Map<string, QuestionRecord[]>();
function good(b: Base): QuestionRecord[] {
  if (!baseRecords.has(b.label)) {
    const r = importQa(b.format, b.text);
    if (!r.ok) throw new Error(`base ${b.label} does not import: ${formatProblems(b.file, r.problems, 3)}`);
    baseRecords.set(b.label, r.records);
  }
  return baseRecords.get(b.label)!;
}

describe('public-QA import fuzz', () => {
  it('every base file imports whole', () => {
    for (const b of BASES) expect(good(b).length, b.label).toBeGreaterThanOrEqual(2);
  });

  it('random truncations: fewer whole rows, or the cut row reported by line and nothing imported', async () => {
    const rng = new FuzzRng(0x51ce);
    const cases = BASES.flatMap((b) => {
      const bytes = utf8(b.text);
      return Array.from({ length: 14 }, (_, i) => {
        const n = i === 0 ? 0 : i === 1 ? bytes.length - 2 : rng.int(bytes.length);
        return { label: `${b.label} cut at ${n}/${bytes.length}`, file: b.file, format: b.format, bytes: truncate(bytes, n) };
      });
    });
    const t = await runAll(cases);
    expect(t.reported + t.refused).toBeGreaterThan(cases.length / 3);
  });

  it('damaged bytes (overwritten, inserted, deleted): a clear refusal, bad rows by line, or a correct import', async () => {
    const rng = new FuzzRng(0xbadb17e);
    const cases = BASES.flatMap((b) => {
      const bytes = utf8(b.text);
      return Array.from({ length: 14 }, (_, i) => {
        const kind = i % 3;
        const k = 1 + rng.int(6);
        const out = kind === 0 ? flipBytes(bytes, rng, k) : kind === 1 ? insertBytes(bytes, rng, k) : deleteBytes(bytes, rng, k);
        return { label: `${b.label} ${['overwrite', 'insert', 'delete'][kind]} ${k} (case ${i}, seed 0xbadb17e)`, file: b.file, format: b.format, bytes: out };
      });
    });
    await runAll(cases);
  });

  it('random bytes and random printable text: never imported, always explained', async () => {
    const rng = new FuzzRng(0x0dd);
    const formats: QaFormat[] = ['medqa', 'medmcqa', 'pubmedqa', 'mmlu'];
    const cases = Array.from({ length: 40 }, (_, i) => {
      const n = [0, 1, 9, 300, 5000][rng.int(5)]!;
      // half raw bytes, half bytes folded into printable ASCII with separators (gets past the decoder)
      const raw = rng.bytes(n);
      const bytes = i % 2 ? raw : raw.map((x) => [10, 44, 34, 123, 125, 58][x % 6]! * (x < 60 ? 1 : 0) || 32 + (x % 95));
      return { label: `random ${i % 2 ? 'bytes' : 'text'} ${n} (case ${i}, seed 0x0dd)`, file: `random-${i}.txt`, format: formats[i % 4]!, bytes };
    });
    const t = await runAll(cases);
    expect(t.imported).toBe(0);
  });

  it('UTF-8 with a BOM and UTF-16 (LE/BE, with and without a BOM) import the same records as UTF-8', async () => {
    for (const b of BASES) {
      const want = good(b);
      const variants: Array<[string, Uint8Array]> = [
        ['UTF-8 BOM', withUtf8Bom(b.text)],
        ['UTF-16LE BOM', utf16(b.text, 'le', true)],
        ['UTF-16BE BOM', utf16(b.text, 'be', true)],
        ['UTF-16LE', utf16(b.text, 'le', false)],
        ['UTF-16BE', utf16(b.text, 'be', false)],
      ];
      for (const [name, bytes] of variants) {
        const out = await attempt(b.file, bytes, b.format);
        if (out.kind === 'refused') throw new Error(`${b.label} as ${name}: ${out.error.message}`);
        expect(out.result.ok, `${b.label} as ${name}: ${formatProblems(b.file, out.result.problems, 3)}`).toBe(true);
        expect(out.result.records, `${b.label} as ${name}`).toEqual(want);
      }
    }
  });

  it('Latin-1 files are refused with a message naming the encoding and the line; wrong encodings never import mojibake', async () => {
    const medmcqa = BASES[1]!;
    const text = medmcqa.text.replace('«petit mal»', 'petit mal').replace('—', '-');
    await expect(attempt('medmcqa.jsonl', latin1(text), 'medmcqa')).resolves.toMatchObject({ kind: 'refused' });
    expect(() => decodeTextBytes(latin1(text), 'medmcqa.jsonl')).toThrow(/^medmcqa\.jsonl: line 2: bytes that are not UTF-8 text \(byte 0xE9\): the file looks like Latin-1 \/ Windows-1252 text/);
    const csv = 'Quelle est la fonction du nerf phrénique ?,Motrice,Sensitive,Mixte,Aucune,C\n';
    expect(() => decodeTextBytes(latin1(`Q1,a,b,c,d,A\n${csv}`), 'fr.csv')).toThrow(/^fr\.csv: line 2: .*Latin-1/);
    // the decoded text, whatever the encoding, never holds U+FFFD replacement characters
    for (const b of BASES) {
      for (const bytes of [utf16(b.text, 'le', true), utf16(b.text, 'be', false), withUtf8Bom(b.text)]) expect(decodeTextBytes(bytes, b.file)).not.toContain('\ufffd');
    }
  });

  it('huge fields: a 50 MB line or a 1 MB question is reported by line; a 90,000-character stem imports whole', async () => {
    const big = 'x'.repeat(50 << 20);
    const t = await runAll([
      { label: 'medqa 50 MB unterminated line', file: 'big.jsonl', format: 'medqa', bytes: utf8(`{"question": "${big}`) },
      { label: 'mmlu 50 MB line without separators', file: 'big.csv', format: 'mmlu', bytes: utf8(big) },
      { label: 'pubmedqa 50 MB broken object', file: 'big.json', format: 'pubmedqa', bytes: utf8(`{"1": {"QUESTION": "${big}`) },
      { label: 'medmcqa 50 MB garbage line', file: 'big.jsonl', format: 'medmcqa', bytes: utf8(big) },
    ]);
    expect(t.imported).toBe(0);
    // a well-formed row whose question is 50 MB: reported by line (too long), nothing imported
    const huge = await attempt('huge.jsonl', utf8(`${JSON.stringify({ question: big, options: { A: 'a', B: 'b' }, answer_idx: 'A' })}\n`), 'medqa');
    expect(huge).toMatchObject({ kind: 'result', result: { ok: false, records: [], problems: [{ line: 1, reason: 'too_long' }] } });
    const mb = 'Which is right? '.repeat(65_536); // 1 MiB question
    const row = JSON.stringify({ question: mb, options: { A: 'a', B: 'b' }, answer_idx: 'B', answer: 'b' });
    const out = await attempt('mb.jsonl', utf8(`${row}\n`), 'medqa');
    expect(out.kind).toBe('result');
    const r = (out as { result: ImportResult }).result;
    expect(r.problems).toEqual([{ line: 1, reason: 'too_long', message: 'the question is 1,048,576 characters long; at most 100,000 are imported (the row is damaged, or not a question)' }]);
    // 90,000 characters (a long abstract and more) still import whole
    const long = 'A long stem. '.repeat(6_923);
    const ok = await attempt('long.jsonl', utf8(`${JSON.stringify({ question: long, options: { A: 'a', B: 'b' }, answer_idx: 'B', answer: 'b' })}\n`), 'medqa');
    expect((ok as { result: ImportResult }).result.records[0]!.question).toBe(long);
  });
});

/**
 * `npm run qa -- <command>`: public-QA import, mixing and export, with the same modules as the app.
 *   import --format medqa|medmcqa|pubmedqa|mmlu FILE --out OUT.jsonl [--skip-bad] [--cop-base 0|1]
 *   mix --synthetic A.jsonl --imported B.jsonl --share 0.3 [--n N] [--seed S] --out OUT.jsonl
 *   export --format medqa|trl|verl|card IN.jsonl --out FILE
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { datasetCard } from '../synthesis/export/dataset-card';
import { toMedqaJsonl, toTrlChatJsonl } from '../synthesis/export/formats';
import { toVerlParquet } from '../synthesis/export/verl-parquet';
import { formatProblems, importQa, isQaFormat, QA_FORMATS } from '../synthesis/import';
import { mixDatasets } from '../synthesis/mix';
import type { QuestionRecord } from '../synthesis/record';
import { numberFlag, parseFlags, UsageError } from './args';
import { loadGraphFile } from './load-graph-node';

const USAGE = `usage: npm run qa -- import --format ${QA_FORMATS.join('|')} FILE --out OUT.jsonl [--skip-bad] [--cop-base 0|1]
       npm run qa -- mix --synthetic A.jsonl --imported B.jsonl --share S [--n N] [--seed S] --out OUT.jsonl
       npm run qa -- export --format medqa|trl|verl|card IN.jsonl --out FILE
  import   read a public QA file; bad rows are listed by line and nothing is written
           unless --skip-bad is given (then the good rows are written and the bad ones counted)
  mix      build a training set with the given share of imported items, stratified by difficulty
  export   MedQA JSONL, TRL chat JSONL, verl parquet, or a dataset card (markdown)`;

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await writeFile(`${file}.partial`, data);
  await rename(`${file}.partial`, file);
}

/** our own record format, one per line; a bad line stops with its number */
async function readRecords(file: string): Promise<QuestionRecord[]> {
  const text = await readText(file);
  const out: QuestionRecord[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    if (!l.trim()) return;
    let r: QuestionRecord;
    try {
      r = JSON.parse(l);
    } catch (e) {
      throw new Error(`${file}:${i + 1}: not valid JSON (${(e as Error).message})`);
    }
    if (typeof r?.question !== 'string' || typeof r.options !== 'object' || typeof r.answer_idx !== 'string' || !r.options?.[r.answer_idx]) {
      throw new Error(`${file}:${i + 1}: not a question record (question, options, answer_idx)`);
    }
    r.difficulty ??= 'moderate';
    r.source ??= 'unknown';
    r.type ??= 'unknown';
    r.status ??= 'pending';
    out.push(r);
  });
  return out;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    console.error(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'import') {
    const { flags, positional } = parseFlags(rest, ['format', 'out', 'cop-base'], ['skip-bad']);
    const format = flags.format;
    if (!format || !isQaFormat(format)) throw new UsageError(`--format must be one of ${QA_FORMATS.join(', ')}${format ? ` (got "${format}")` : ''}`);
    if (positional.length !== 1) throw new UsageError('import needs exactly one input FILE');
    if (!flags.out) throw new UsageError('--out is required');
    const copBase = numberFlag(flags, 'cop-base', 0, (x) => x === 0 || x === 1, '0 or 1') as 0 | 1;
    const file = positional[0]!;
    const text = await readText(file);
    const result = importQa(format, text, { skipBad: flags['skip-bad'] === 'true', copBase, subject: basename(file).replace(/([-_](dev|test|val))?\.csv$/i, '') });
    if (result.problems.length) console.error(formatProblems(file, result.problems));
    if (!result.ok) {
      console.error(`${file}: ${result.problems.length} bad row(s) of ${result.rows}; nothing was written. Fix them, or pass --skip-bad to import the ${result.rows - result.problems.length} good row(s).`);
      console.log(JSON.stringify({ n: 0, skipped: result.skipped }));
      return 1;
    }
    await writeAtomic(flags.out, result.records.map((r) => JSON.stringify(r)).join('\n') + (result.records.length ? '\n' : ''));
    console.log(JSON.stringify({ n: result.records.length, skipped: result.skipped }));
    return 0;
  }
  if (command === 'mix') {
    const { flags } = parseFlags(rest, ['synthetic', 'imported', 'share', 'n', 'seed', 'out']);
    for (const req of ['synthetic', 'imported', 'share', 'out']) if (!flags[req]) throw new UsageError(`--${req} is required`);
    const share = numberFlag(flags, 'share', 0, (x) => x >= 0 && x <= 1, 'a share from 0 to 1');
    const seed = numberFlag(flags, 'seed', 1, (x) => Number.isInteger(x) && x >= 0, 'a non-negative integer');
    const n = flags.n === undefined ? undefined : numberFlag(flags, 'n', 0, (x) => Number.isInteger(x) && x > 0, 'a positive integer');
    const { records, report } = mixDatasets(await readRecords(flags.synthetic!), await readRecords(flags.imported!), { importedShare: share, seed, ...(n ? { n } : {}) });
    await writeAtomic(flags.out!, records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : ''));
    console.log(JSON.stringify(report));
    return 0;
  }
  if (command === 'export') {
    const { flags, positional } = parseFlags(rest, ['format', 'out', 'graph', 'title']);
    const format = flags.format;
    if (!format || !['medqa', 'trl', 'verl', 'card'].includes(format)) throw new UsageError(`--format must be one of medqa, trl, verl, card${format ? ` (got "${format}")` : ''}`);
    if (positional.length !== 1) throw new UsageError('export needs exactly one input FILE');
    if (!flags.out) throw new UsageError('--out is required');
    const records = await readRecords(positional[0]!);
    if (format === 'medqa') await writeAtomic(flags.out, toMedqaJsonl(records));
    else if (format === 'trl') await writeAtomic(flags.out, toTrlChatJsonl(records));
    else if (format === 'verl') await writeAtomic(flags.out, new Uint8Array(toVerlParquet(records)));
    else {
      const synthetic = records.some((r) => r.source === 'synthetic');
      const graph = synthetic ? await loadGraphFile(flags.graph) : null;
      await writeAtomic(flags.out, datasetCard({ title: flags.title ?? basename(positional[0]!), records, graphDatasets: graph?.datasets ?? [], createdAt: new Date().toISOString().slice(0, 10) }));
    }
    console.log(JSON.stringify({ n: records.length, format, out: flags.out }));
    return 0;
  }
  throw new UsageError(`unknown command "${command}"`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof UsageError ? `${e.message}\n${USAGE}` : (e as Error).message);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);

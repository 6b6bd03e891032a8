/**
 * `npm run qa -- <command>`: public-QA import, mixing and export, with the same modules as the app.
 *   import --format medqa|medmcqa|pubmedqa|mmlu FILE --out OUT.jsonl [--skip-bad] [--cop-base 0|1]
 *   mix --synthetic A.jsonl --imported B.jsonl --share 0.3 [--n N] [--seed S] --out OUT.jsonl
 *   export --format medqa|trl|verl|card IN.jsonl --out FILE
 *   verify --endpoint URL --model M [--k 5] IN.jsonl --out OUT.jsonl
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { datasetCard } from '../synthesis/export/dataset-card';
import { toMedqaJsonl, toTrlChatJsonl } from '../synthesis/export/formats';
import { toVerlParquet } from '../synthesis/export/verl-parquet';
import { decodeTextBytes } from '../graph/import/text-encoding';
import { formatProblems, importQa, isQaFormat, QA_FORMATS } from '../synthesis/import';
import { LlmVerifier, VERIFY_DEFAULTS, verifyAll } from '../synthesis/llm-verify/verifier';
import { mixDatasets } from '../synthesis/mix';
import type { QuestionRecord } from '../synthesis/record';
import { numberFlag, parseFlags, UsageError } from './args';
import { loadGraphFile } from './load-graph-node';

const USAGE = `usage: npm run qa -- import --format ${QA_FORMATS.join('|')} FILE --out OUT.jsonl [--skip-bad] [--cop-base 0|1]
       npm run qa -- mix --synthetic A.jsonl --imported B.jsonl --share S [--n N] [--seed S] --out OUT.jsonl
       npm run qa -- export --format medqa|trl|verl|card IN.jsonl --out FILE
       npm run qa -- verify --endpoint URL --model M [--k 5] IN.jsonl --out OUT.jsonl [options]
  import   read a public QA file; bad rows are listed by line and nothing is written
           unless --skip-bad is given (then the good rows are written and the bad ones counted)
  mix      build a training set with the given share of imported items, stratified by difficulty
  export   MedQA JSONL, TRL chat JSONL, verl parquet, or a dataset card (markdown)
  verify   ask an OpenAI-compatible model k times which options are correct (without the key)
           and store the votes, agreement and verdict with each item: drop when most votes
           name another option (instead of or beside the key; a pending item is then rejected),
           flag when fewer than --threshold of the votes name only the key, else keep.
           Every item is written, verified or not; the summary line counts the verdicts.
           --endpoint URL     chat-completions base URL, e.g. http://127.0.0.1:8000/v1
           --model M          model name; the key is read from OPENAI_API_KEY
           --k K              votes per item (default ${VERIFY_DEFAULTS.k}, as the paper's GPT-4 x5)
           --threshold T      flag below this share of votes naming only the key (default ${VERIFY_DEFAULTS.threshold})
           --temperature T    sampling temperature, above 0 (default ${VERIFY_DEFAULTS.temperature})
           --concurrency N    requests in flight (default 4)
           --timeout MS       per request (default ${VERIFY_DEFAULTS.timeoutMs})
           --retries N        per request (default 2)
           --exclude-dropped  leave dropped items out of OUT`;

async function readText(file: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  // the same decoding as the app: UTF-8 (BOM or not) and UTF-16; other encodings refused by line
  return decodeTextBytes(bytes, file);
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
  if (command === 'verify') return verifyCommand(rest);
  throw new UsageError(`unknown command "${command}"`);
}

async function verifyCommand(rest: string[]): Promise<number> {
  const { flags, positional } = parseFlags(rest, ['endpoint', 'model', 'k', 'threshold', 'temperature', 'concurrency', 'timeout', 'retries', 'out', 'max-tokens'], ['exclude-dropped']);
  if (!flags.endpoint) throw new UsageError('--endpoint is required (an OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1)');
  if (!flags.model) throw new UsageError('--model is required');
  if (positional.length !== 1) throw new UsageError('verify needs exactly one input FILE');
  if (!flags.out) throw new UsageError('--out is required');
  const k = numberFlag(flags, 'k', VERIFY_DEFAULTS.k, (x) => Number.isInteger(x) && x >= 1 && x <= 32, 'an integer from 1 to 32');
  const threshold = numberFlag(flags, 'threshold', VERIFY_DEFAULTS.threshold, (x) => x >= 0 && x <= 1, 'a share from 0 to 1');
  const temperature = numberFlag(flags, 'temperature', VERIFY_DEFAULTS.temperature, (x) => x > 0 && x <= 2, 'a number above 0 and at most 2');
  const concurrency = numberFlag(flags, 'concurrency', 4, (x) => Number.isInteger(x) && x >= 1 && x <= 64, 'an integer from 1 to 64');
  const timeoutMs = numberFlag(flags, 'timeout', VERIFY_DEFAULTS.timeoutMs, (x) => x > 0, 'a positive number of ms');
  const retries = numberFlag(flags, 'retries', 2, (x) => Number.isInteger(x) && x >= 0 && x <= 10, 'an integer from 0 to 10');
  const maxTokens = numberFlag(flags, 'max-tokens', VERIFY_DEFAULTS.maxTokens, (x) => Number.isInteger(x) && x >= 16, 'an integer of at least 16');
  let verifier: LlmVerifier;
  try {
    verifier = new LlmVerifier({ baseUrl: flags.endpoint, model: flags.model, k, threshold, temperature, maxConcurrency: concurrency, timeoutMs, retries, maxTokens, ...(process.env.OPENAI_API_KEY ? { apiKey: process.env.OPENAI_API_KEY } : {}) });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const file = positional[0]!;
  const records = await readRecords(file);
  const ctl = new AbortController();
  process.once('SIGINT', () => ctl.abort());
  const byIndex = new Map<string, QuestionRecord>();
  const { results, summary, cancelled } = await verifyAll(records, verifier, {
    signal: ctl.signal,
    concurrency,
    onItem: (r, done, total) => {
      byIndex.set(r.question.id, r.question);
      if (done % 20 === 0 && done < total) console.error(`${done}/${total} items verified`);
    },
  });
  // every input item is written, the verified ones with their verdict: a cancelled run loses nothing
  const out = records.map((r) => byIndex.get(r.id) ?? r).filter((r) => !(flags['exclude-dropped'] === 'true' && r.verification?.verdict === 'drop'));
  await writeAtomic(flags.out, out.map((r) => JSON.stringify(r)).join('\n') + (out.length ? '\n' : ''));
  console.log(JSON.stringify({ ...summary, written: out.length, cancelled }));
  if (summary.failedCalls) console.error(`${summary.failedCalls} calls failed (first: ${results.find((r) => r.errors.length)?.errors[0]})`);
  if (cancelled) {
    console.error(`cancelled after ${results.length} of ${records.length} items; ${flags.out} holds them all, the rest without a verification`);
    return 130;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof UsageError ? `${e.message}\n${USAGE}` : (e as Error).message);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);

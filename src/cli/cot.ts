/**
 * `npm run cot -- --questions FILE.jsonl --k K [--teacher kg|openai:URL] --out FILE.jsonl`:
 * chain-of-thought trajectories for question records, pass@k with refinement, each
 * verified against the KG; writes one record per question and prints one JSON summary.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { QuestionRecord } from '../synthesis/record';
import { cotSummary, toCotRecord } from '../trajectories/cot-record';
import { KgTeacher } from '../trajectories/kg-teacher';
import { OPENAI_DEFAULTS, OpenAiTeacher } from '../trajectories/openai-teacher';
import { runAll } from '../trajectories/pipeline';
import type { Teacher } from '../trajectories/types';
import { Verifier } from '../trajectories/verify';
import { numberFlag, parseFlags, UsageError } from './args';
import { DEFAULT_GRAPH, loadGraphFile } from './load-graph-node';

const USAGE = `usage: npm run cot -- --questions FILE.jsonl --out FILE.jsonl [--k K] [--teacher kg|openai:URL] [options]
  --questions    question records, one JSON object per line (npm run synth output)
  --out          output JSON-lines file: {"question_id","trajectories":[{"text","teacher","round","checks","selected"}]}
  --k            candidates per question (pass@k; default 4)
  --teacher      kg (built-in, default) or openai:BASE_URL (an OpenAI-compatible server, e.g. openai:http://127.0.0.1:8000/v1)
  --model        model name for an openai teacher (required with it)
  --rounds       refinement rounds for items with no passing candidate (default 3)
  --seed         seed of the built-in teacher (default 1)
  --concurrency  questions in flight at once (default 4)
  --timeout      per request, ms (openai; default ${OPENAI_DEFAULTS.timeoutMs})
  --retries      per request (openai; default ${OPENAI_DEFAULTS.retries})
  --no-stream    ask the openai server for whole responses instead of a stream
  --graph        graph file (default: the embedded default graph)
  The openai API key is read from the OPENAI_API_KEY environment variable.`;

export function parseQuestionLines(text: string, file: string): QuestionRecord[] {
  const out: QuestionRecord[] = [];
  const ids = new Set<string>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${file}:${i + 1}`;
    let r: QuestionRecord;
    try {
      r = JSON.parse(line);
    } catch (e) {
      throw new Error(`${where}: not valid JSON (${(e as Error).message})`);
    }
    if (typeof r !== 'object' || r === null) throw new Error(`${where}: not a JSON object`);
    if (typeof r.id !== 'string' || !r.id) throw new Error(`${where}: missing "id"`);
    if (typeof r.question !== 'string' || !r.question.trim()) throw new Error(`${where}: missing "question"`);
    if (typeof r.options !== 'object' || r.options === null || Object.keys(r.options).length < 2) throw new Error(`${where}: "options" must map at least two letters to texts`);
    if (typeof r.answer_idx !== 'string' || !(r.answer_idx in r.options)) throw new Error(`${where}: "answer_idx" ${JSON.stringify(r.answer_idx)} is not one of the options ${Object.keys(r.options).join(', ')}`);
    if (ids.has(r.id)) throw new Error(`${where}: duplicate id "${r.id}"`);
    ids.add(r.id);
    r.answer ??= r.options[r.answer_idx]!;
    out.push(r);
  });
  return out;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.length === 0) {
    console.error(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const { flags } = parseFlags(argv, ['questions', 'out', 'k', 'teacher', 'model', 'rounds', 'seed', 'concurrency', 'timeout', 'retries', 'graph'], ['no-stream']);
  for (const req of ['questions', 'out']) if (flags[req] === undefined) throw new UsageError(`--${req} is required`);
  const k = numberFlag(flags, 'k', 4, (x) => Number.isInteger(x) && x >= 1 && x <= 64, 'an integer from 1 to 64');
  const rounds = numberFlag(flags, 'rounds', 3, (x) => Number.isInteger(x) && x >= 0 && x <= 20, 'an integer from 0 to 20');
  const seed = numberFlag(flags, 'seed', 1, (x) => Number.isInteger(x) && x >= 0, 'a non-negative integer');
  const concurrency = numberFlag(flags, 'concurrency', 4, (x) => Number.isInteger(x) && x >= 1 && x <= 256, 'an integer from 1 to 256');
  const timeoutMs = numberFlag(flags, 'timeout', OPENAI_DEFAULTS.timeoutMs, (x) => x > 0, 'a positive number of ms');
  const retries = numberFlag(flags, 'retries', OPENAI_DEFAULTS.retries, (x) => Number.isInteger(x) && x >= 0 && x <= 10, 'an integer from 0 to 10');
  const teacherFlag = flags.teacher ?? 'kg';
  if (teacherFlag !== 'kg' && !teacherFlag.startsWith('openai:')) throw new UsageError(`--teacher ${teacherFlag}: expected kg or openai:URL`);

  const file = flags.questions!;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const questions = parseQuestionLines(text, file);
  const graph = await loadGraphFile(flags.graph ?? DEFAULT_GRAPH);
  let teacher: Teacher;
  if (teacherFlag === 'kg') teacher = new KgTeacher(graph);
  else {
    if (!flags.model) throw new UsageError('--model is required with --teacher openai:URL');
    teacher = new OpenAiTeacher({ baseUrl: teacherFlag.slice('openai:'.length), model: flags.model, timeoutMs, retries, stream: flags['no-stream'] !== 'true', ...(process.env.OPENAI_API_KEY ? { apiKey: process.env.OPENAI_API_KEY } : {}) });
  }
  const verifier = new Verifier(graph);
  const ctl = new AbortController();
  process.once('SIGINT', () => {
    console.error('cancelled: nothing written');
    ctl.abort();
  });
  const { results, summary } = await runAll(questions, teacher, verifier, { k, rounds, seed, signal: ctl.signal }, {
    concurrency,
    onItem: (_, done, total) => {
      if (done % 200 === 0 && done < total) console.error(`${done}/${total} questions`);
    },
  });
  if (ctl.signal.aborted) return 130;
  const out = flags.out!;
  await writeFile(`${out}.partial`, results.map((r) => JSON.stringify(toCotRecord(r))).join('\n') + (results.length ? '\n' : ''));
  await rename(`${out}.partial`, out);
  console.log(JSON.stringify(cotSummary(summary)));
  if (summary.failedCalls) console.error(`${summary.failedCalls} teacher calls failed; nothing was stored for them (first: ${results.find((r) => r.errors.length)?.errors[0]})`);
  return 0;
}

if (process.argv[1] && /cot\.ts$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      if ((e as Error).name === 'AbortError') process.exit(130);
      console.error(e instanceof UsageError ? `${e.message}\n${USAGE}` : (e as Error).message);
      process.exit(e instanceof UsageError ? 2 : 1);
    },
  );
}

/**
 * `npm run synth -- --n N --seed S [--alpha A] [--types t1,t2] [--options K] [--drop P]
 * [--graph FILE] --out FILE.jsonl`: synthesise N verified questions from the KG with the
 * same engine as the app, write them as JSON lines, print one JSON summary.
 */
import { rename, writeFile } from 'node:fs/promises';
import { DEFAULT_SETTINGS } from '../synthesis/engine';
import { synthesize } from '../synthesis/run';
import { QUESTION_TYPES } from '../synthesis/templates';
import { numberFlag, parseFlags, UsageError } from './args';
import { DEFAULT_GRAPH, loadGraphFile } from './load-graph-node';

const USAGE = `usage: npm run synth -- --n N --seed S --out FILE.jsonl [--alpha A] [--types t1,t2] [--options K] [--drop P] [--graph FILE]
  --n        number of questions (required)
  --seed     random seed; the same seed and settings give the same file (required)
  --out      output JSON-lines file (required)
  --alpha    long-tail priority, weight ∝ (degree+1)^(−alpha); 0 = uniform (default ${DEFAULT_SETTINGS.alpha})
  --types    comma-separated question types (default: all): ${QUESTION_TYPES.join(', ')}
  --options  options per question, 3–10 (default ${DEFAULT_SETTINGS.optionCount})
  --drop     chance each extra evidence fact is withheld (default ${DEFAULT_SETTINGS.dropProbability})
  --graph    graph file (default: the embedded default graph)`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.length === 0) {
    console.error(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const { flags } = parseFlags(argv, ['n', 'seed', 'alpha', 'types', 'graph', 'out', 'options', 'drop']);
  for (const req of ['n', 'seed', 'out']) if (flags[req] === undefined) throw new UsageError(`--${req} is required`);
  const n = numberFlag(flags, 'n', 0, (x) => Number.isInteger(x) && x > 0, 'a positive integer');
  const seed = numberFlag(flags, 'seed', 0, (x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32, 'an integer from 0 to 2^32−1');
  const alpha = numberFlag(flags, 'alpha', DEFAULT_SETTINGS.alpha, (x) => x >= 0 && x <= 10, 'a number from 0 to 10');
  const optionCount = numberFlag(flags, 'options', DEFAULT_SETTINGS.optionCount, (x) => Number.isInteger(x) && x >= 3 && x <= 10, 'an integer from 3 to 10');
  const dropProbability = numberFlag(flags, 'drop', DEFAULT_SETTINGS.dropProbability, (x) => x >= 0 && x < 1, 'a probability in [0, 1)');
  const types = flags.types?.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = types?.filter((t) => !QUESTION_TYPES.includes(t));
  if (unknown?.length) throw new UsageError(`--types: unknown type ${unknown.map((u) => `"${u}"`).join(', ')} (known: ${QUESTION_TYPES.join(', ')})`);
  const graphFile = flags.graph ?? DEFAULT_GRAPH;
  const graph = await loadGraphFile(graphFile);
  const label = flags.graph ? graphFile : 'default';
  const { records, summary } = synthesize(graph, label, { n, seed, alpha, optionCount, dropProbability, ...(types ? { types } : {}) });
  // write beside, then rename: an interrupted run never leaves a half file under the name
  const out = flags.out!;
  const tmp = `${out}.partial`;
  await writeFile(tmp, records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : ''));
  await rename(tmp, out);
  const { n: count, perDifficulty, perType, dropped, questionsPerSecond, rareAnswerShare, rareAnswerShareUniform, attempts, settings } = summary;
  console.log(JSON.stringify({ n: count, perDifficulty, perType, dropped, questionsPerSecond, rareAnswerShare, rareAnswerShareUniform, attempts, settings, out }));
  if (count < n) {
    console.error(`only ${count} of ${n} questions could be verified with these settings (every type's pool ran out); see "dropped"`);
    return 3;
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

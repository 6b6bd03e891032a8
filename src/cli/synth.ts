/**
 * `npm run synth -- --n N --seed S --out FILE.jsonl [--alpha A] [--types t1,t2] [--options K]
 * [--drop P] [--graph FILE] [--exclude-datasets d1,d2] [--report]`: synthesise N verified
 * questions from a graph (the default one, or any graph file: an imported Hetionet or PrimeKG
 * graph included) with the same engine as the app, write them as JSON lines, print one JSON
 * summary; with --report, also the validity report (defect counts per class).
 */
import { rename, writeFile } from 'node:fs/promises';
import { DEFAULT_SETTINGS, templateSupport } from '../synthesis/engine';
import { synthesize } from '../synthesis/run';
import { DEFAULT_QUESTION_TYPES, OFF_BY_DEFAULT, QUESTION_TYPES } from '../synthesis/templates';
import { DEFECT_CLASSES, DEFECT_LABELS } from '../synthesis/validity';
import { numberFlag, parseFlags, UsageError } from './args';
import { DEFAULT_GRAPH, loadGraphFile } from './load-graph-node';

const USAGE = `usage: npm run synth -- --n N --seed S --out FILE.jsonl [--alpha A] [--types t1,t2] [--options K] [--drop P] [--graph FILE] [--exclude-datasets d1,d2] [--report]
  --n        number of questions (required)
  --seed     random seed; the same seed and settings give the same file (required)
  --out      output JSON-lines file (required)
  --alpha    long-tail priority, weight ∝ (degree+1)^(−alpha); 0 = uniform (default ${DEFAULT_SETTINGS.alpha})
  --types    comma-separated question types: ${QUESTION_TYPES.join(', ')}
             (default: those the graph supports, except ${Object.keys(OFF_BY_DEFAULT).join(', ')}, off by default: see the note printed with a run)
  --options  options per question, 3–10 (default ${DEFAULT_SETTINGS.optionCount})
  --drop     chance each finding beyond the first ones is left out of the stem (default ${DEFAULT_SETTINGS.dropProbability})
  --graph    graph file (default: the embedded default graph); its types are mapped onto the templates
  --exclude-datasets  dataset ids whose assertions may not be evidence or keys (e.g. wikidata,drugcentral)
  --report   add the validity report: defect counts per class (second right answers, weak keys, stem text) and tiers per type`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.length === 0) {
    console.error(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const { flags } = parseFlags(argv, ['n', 'seed', 'alpha', 'types', 'graph', 'out', 'options', 'drop', 'exclude-datasets'], ['report']);
  for (const req of ['n', 'seed', 'out']) if (flags[req] === undefined) throw new UsageError(`--${req} is required`);
  const n = numberFlag(flags, 'n', 0, (x) => Number.isInteger(x) && x > 0, 'a positive integer');
  const seed = numberFlag(flags, 'seed', 0, (x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32, 'an integer from 0 to 2^32−1');
  const alpha = numberFlag(flags, 'alpha', DEFAULT_SETTINGS.alpha, (x) => x >= 0 && x <= 10, 'a number from 0 to 10');
  const optionCount = numberFlag(flags, 'options', DEFAULT_SETTINGS.optionCount, (x) => Number.isInteger(x) && x >= 3 && x <= 10, 'an integer from 3 to 10');
  const dropProbability = numberFlag(flags, 'drop', DEFAULT_SETTINGS.dropProbability, (x) => x >= 0 && x < 1, 'a probability in [0, 1)');
  const types = flags.types?.split(',').map((t) => t.trim()).filter(Boolean);
  const unknown = types?.filter((t) => !QUESTION_TYPES.includes(t));
  if (unknown?.length) throw new UsageError(`--types: unknown type ${unknown.map((u) => `"${u}"`).join(', ')} (known: ${QUESTION_TYPES.join(', ')})`);
  const excludeDatasets = flags['exclude-datasets']?.split(',').map((t) => t.trim()).filter(Boolean);
  const report = flags.report === 'true';
  const graphFile = flags.graph ?? DEFAULT_GRAPH;
  const graph = await loadGraphFile(graphFile);
  const label = flags.graph ? graphFile : 'default';
  const support = templateSupport(graph);
  const requested = types ?? DEFAULT_QUESTION_TYPES;
  const runnable = requested.filter((t) => support.find((s) => s.type === t)?.ok);
  if (!types) for (const [t, why] of Object.entries(OFF_BY_DEFAULT)) console.error(`${t}: off by default — ${why} (ask for it with --types ${t})`);
  for (const s of support) if (!s.ok && requested.includes(s.type)) console.error(`${s.type}: cannot run on this graph — ${s.reason}`);
  if (runnable.length === 0) {
    console.error(`${graphFile}: none of the requested question types can be mapped onto this graph's node and edge types (it has ${graph.header.edgeTypes.map((e) => `${e.name} (${e.source} → ${e.target})`).join(', ')})`);
    return 3;
  }
  const settings = { n, seed, alpha, optionCount, dropProbability, types: runnable, ...(excludeDatasets ? { excludeDatasets } : {}) };
  const { records, summary } = synthesize(graph, label, settings);
  // write beside, then rename: an interrupted run never leaves a half file under the name
  const out = flags.out!;
  const tmp = `${out}.partial`;
  await writeFile(tmp, records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : ''));
  await rename(tmp, out);
  const { validity, droppedPerType, rejectedDistractors, tierCuts, ...rest } = summary;
  console.log(JSON.stringify({ ...rest, ...(report ? { droppedPerType, rejectedDistractors, tierCuts, validity } : {}), out }));
  if (report && validity) {
    const lines = [
      `validity report over ${validity.items} items (${validity.secondRightAnswer} with a second right answer by these checks):`,
      `  these counts re-check each item against the generator's own rules (edge trust, relatives, clinical groups, the display lexicon):`,
      `  0 means the items are consistent with those rules, not that a clinician would sign them off — review a sample (or run the LLM verifier).`,
    ];
    for (const c of DEFECT_CLASSES) lines.push(`  ${String(validity.counts[c]).padStart(6)}  ${c}: ${DEFECT_LABELS[c]}`);
    lines.push('tiers per type (easy / moderate / difficult):');
    for (const [t, d] of Object.entries(validity.tiersPerType)) lines.push(`  ${t.padEnd(20)} ${d.easy} / ${d.moderate} / ${d.difficult}`);
    console.error(lines.join('\n'));
  }
  if (summary.n < n) {
    const short = Object.entries(summary.shortfall.perType).map(([t, k]) => `${t} ${k}`);
    console.error(
      `only ${summary.n} of ${n} questions could be verified with these settings: no type may give more than twice its fair share ` +
        `(${summary.shortfall.fairShare} each, at most ${summary.shortfall.typeCap}), and ${short.length ? `these ran short of it: ${short.join(', ')}` : 'the pools ran out'}; see "shortfall" and "dropped"`,
    );
    // an honest shortfall is a result; a run that made nothing is a failure
    return summary.n === 0 ? 3 : 0;
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

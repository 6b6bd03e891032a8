/**
 * How fast trainBpe and encode run on ~10 MB of question + trajectory-like text with every KG
 * entity name as an added token (Node, one core). Run: npx tsx src/training/tokenizer/train-speed.ts [MB]
 * Prints JSON; a measurement, not a test.
 */
import { trainBpe, type TrainBpeStats } from './bpe-train';
import { kgEntityNames, syntheticCorpus } from './test-corpus';

const mb = Number(process.argv[2] ?? 10);
const entities = kgEntityNames();
const relations = ['presents with', 'is treated by', 'is a', 'causes', 'has subtype', 'localizes to', 'binds'];
const regionEntities = entities.slice(0, 400); // the closed-book region size of issue 9
let corpus: string[] = [];
let bytes = 0;
for (let seed = 1; bytes < mb * 1e6; seed++) {
  const part = syntheticCorpus(2000, entities, relations, seed);
  corpus = corpus.concat(part);
  bytes += part.reduce((s, t) => s + Buffer.byteLength(t), 0);
}
const results: Record<string, unknown>[] = [];
for (const [vocabSize, added] of [[4096, regionEntities], [8192, regionEntities], [8192 + entities.length, entities]] as const) {
  let stats: TrainBpeStats | undefined;
  const t0 = performance.now();
  const tok = trainBpe(corpus, { vocabSize, addedTokens: [...added, ...relations] }, (s) => (stats = s));
  const trainS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let n = 0;
  for (const t of corpus) n += tok.encode(t).length;
  const encS = (performance.now() - t1) / 1000;
  results.push({ vocabSize, addedTokens: added.length + relations.length + 7, corpusMB: bytes / 1e6, trainSeconds: +trainS.toFixed(2), ...stats, encodeSeconds: +encS.toFixed(2), tokens: n, encodeMBps: +(bytes / 1e6 / encS).toFixed(2) });
}
console.log(JSON.stringify({ node: process.version, results }, null, 1));

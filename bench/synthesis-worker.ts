/** Node worker_threads entry for bench/synthesis.ts: loads the default graph and runs the engine in this one worker. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadGraphFile } from '../src/cli/load-graph-node';
import { Synthesizer } from '../src/synthesis/engine';

const { n, seeds } = workerData as { n: number; seeds: number[] };
const kg = await loadGraphFile();
const runs = seeds.map((seed) => {
  const s = new Synthesizer(kg, 'default', { n, seed, alpha: 1 });
  const t0 = performance.now();
  let k = 0;
  for (const _ of s.generate()) k++;
  const ms = performance.now() - t0;
  return { seed, n: k, ms: Math.round(ms), questionsPerSecond: Math.round(k / (ms / 1000)) };
});
parentPort!.postMessage(runs);

/**
 * `npm run bench:trajectories`: the built-in KG teacher on 1,000 default-KG questions
 * (synthesised with the app's engine, seed 1, every type): pass@1, pass@4, after
 * refinement, unsupported claims, per-type pass@4, the styles of the selected chains,
 * the negative statements they make (each an informative absence, or it fails), and
 * throughput of teacher + verification. Writes bench/results/trajectories.json.
 * The KG teacher writes what the checks read, so its pass rate measures consistency
 * between teacher and verifier, not medical truth.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { loadGraphFile } from '../src/cli/load-graph-node';
import { synthesize } from '../src/synthesis/run';
import { KgTeacher } from '../src/trajectories/kg-teacher';
import { runAll } from '../src/trajectories/pipeline';
import { Verifier } from '../src/trajectories/verify';

const N = Number(process.env.N ?? 1000);
const K = 4;
const ROUNDS = 3;

const kg = await loadGraphFile();
const { records } = synthesize(kg, 'default', { n: N, seed: 1, alpha: 1 });
const t0 = performance.now();
const verifier = new Verifier(kg);
const setupMs = performance.now() - t0;
const teacher = new KgTeacher(kg);
const t1 = performance.now();
const { results, summary } = await runAll(records, teacher, verifier, { k: K, rounds: ROUNDS, seed: 1 });
const runMs = performance.now() - t1;

const perType: Record<string, { n: number; passAtK: number }> = {};
for (const r of results) {
  const p = (perType[r.question.type] ??= { n: 0, passAtK: 0 });
  p.n++;
  if (r.passAtK) p.passAtK++;
}
const failures = results.filter((r) => !r.passAtK).slice(0, 10).map((r) => ({ id: r.question.id, type: r.question.type, failed: r.trajectories[0]?.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.detail}`) }));
const words = results.map((r) => r.selected?.text.split(/\s+/).length ?? 0).filter((w) => w > 0);
const styles: Record<string, number> = {};
let negatives = 0;
let positives = 0;
let absolute = 0;
for (const r of results) {
  if (!r.selected) continue;
  styles[r.selected.style ?? 'none'] = (styles[r.selected.style ?? 'none'] ?? 0) + 1;
  negatives += r.selected.claims.filter((c) => !c.positive).length;
  positives += r.selected.claims.filter((c) => c.positive).length;
  absolute += (r.selected.text.match(/\b(does not (present|treat|target|localize)|is not (the site|the cause|a feature|a target|a member))\b/g) ?? []).length;
}
const nSelected = results.filter((r) => r.selected).length;
const out = {
  what: 'built-in KG teacher, pass@k with refinement, verified against the default KG',
  questions: { n: records.length, synth: { seed: 1, alpha: 1, types: 'all' } },
  k: K,
  rounds: ROUNDS,
  passAt1: summary.passAt1,
  passAtK: summary.passAtK,
  afterRefinement: summary.afterRefinement,
  unsupportedClaims: summary.unsupportedClaims,
  trajectories: summary.trajectories,
  failedChecks: summary.failedChecks,
  perType: Object.fromEntries(Object.entries(perType).map(([t, p]) => [t, { n: p.n, passAtK: Math.round((p.passAtK / p.n) * 1e4) / 1e4 }])),
  selectedStyles: styles,
  selectedClaims: {
    positive: positives,
    /** negative statements from absent edges; each counts as supported only where the absence is informative */
    negative: negatives,
    negativePerChain: Math.round((negatives / Math.max(1, nSelected)) * 100) / 100,
    /** "X does not …" / "X is not the …" phrasings (the teacher writes "not among the recorded … of") */
    absoluteNegatives: absolute,
  },
  selectedWords: { mean: Math.round(words.reduce((a, b) => a + b, 0) / Math.max(1, words.length)), max: Math.max(...words) },
  verifierSetupMs: Math.round(setupMs),
  trajectoriesPerSecond: Math.round(summary.trajectories / (runMs / 1000)),
  failures,
  machine: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model },
  at: new Date().toISOString(),
};
const dir = resolve(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(resolve(dir, 'trajectories.json'), JSON.stringify(out, null, 2) + '\n');
console.log(JSON.stringify({ n: out.questions.n, passAt1: out.passAt1, passAtK: out.passAtK, afterRefinement: out.afterRefinement, unsupportedClaims: out.unsupportedClaims, trajectoriesPerSecond: out.trajectoriesPerSecond }));
if (out.passAtK < 0.99 || out.unsupportedClaims > 0) {
  console.error(`below target: pass@${K} ${out.passAtK} (≥ 0.99) and ${out.unsupportedClaims} unsupported claims (0)`);
  process.exit(1);
}

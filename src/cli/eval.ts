/**
 * `npm run eval -- --checkpoint DIR --questions Q.jsonl [--cpu]`: greedy decoding of every question
 * (open-book records get their context in the prompt), the answer read from the last <answer>
 * (src/training/eval/evaluate.ts). Prints one JSON object:
 * {"accuracy","perDifficulty":{"easy"|"moderate"|"difficult":{"accuracy","n"}},"formatRate","n",…}
 * then perType, perSource, tooLong (prompts too long for the context) and, with --pass-at-k, pass@k.
 */
import { readFileSync } from 'node:fs';
import { evalSummary, evaluate } from '../training/eval/evaluate';
import { loadCheckpointFolder } from '../training/hf/checkpoint';
import { readCheckpointDir } from '../training/hf/node-fs';
import { nodeModelFactory } from '../training/run/node-device';
import { numberFlag, parseFlags, UsageError } from './args';
import { parseQuestionLines } from './cot';

const USAGE = `usage: npm run eval -- --checkpoint DIR --questions Q.jsonl [options]
  --checkpoint      a Hugging Face Llama checkpoint folder (npm run train writes DIR/checkpoint)
  --questions       question records, one JSON object per line
  --max-new-tokens  longest completion (default 64)
  --batch-size      prompts per generate() call (default 32)
  --pass-at-k N     also sample N completions per item (temperature 1) and report pass@1 … pass@N
  --seed            sampling seed for --pass-at-k (default 1)
  --cpu             the CPU reference model instead of WebGPU`;

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.length === 0) {
    console.error(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const { flags } = parseFlags(argv, ['checkpoint', 'questions', 'max-new-tokens', 'batch-size', 'pass-at-k', 'seed'], ['cpu']);
  for (const req of ['checkpoint', 'questions']) if (flags[req] === undefined) throw new UsageError(`--${req} is required`);
  const maxNewTokens = numberFlag(flags, 'max-new-tokens', 64, (x) => Number.isInteger(x) && x >= 1, 'a positive integer');
  const batchSize = numberFlag(flags, 'batch-size', 32, (x) => Number.isInteger(x) && x >= 1, 'a positive integer');
  const passN = numberFlag(flags, 'pass-at-k', 0, (x) => Number.isInteger(x) && x >= 1 && x <= 64, 'an integer from 1 to 64');
  const seed = numberFlag(flags, 'seed', 1, (x) => Number.isInteger(x) && x >= 0, 'an integer ≥ 0');
  let text: string;
  try {
    text = readFileSync(flags.questions!, 'utf8');
  } catch (e) {
    throw new Error(`--questions ${flags.questions}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const questions = parseQuestionLines(text, flags.questions!);
  const ck = await loadCheckpointFolder(readCheckpointDir(flags.checkpoint!));
  for (const w of ck.warnings) console.error(`${flags.checkpoint}: ${w}`);
  const factory = await nodeModelFactory({ cpu: flags.cpu === 'true' });
  try {
    const model = await factory.createModel(ck.config);
    await model.setWeights(ck.weights);
    let last = 0;
    const result = await evaluate(model, ck.tokenizer, questions, {
      maxNewTokens,
      batchSize,
      ...(passN ? { passAtK: { n: passN, ks: [...new Set([1, Math.min(passN, 4), passN])], temperature: 1, top_p: 1, seed } } : {}),
      onProgress: (p) => {
        if (Date.now() - last > 5000) {
          last = Date.now();
          console.error(`${p.phase}: ${p.done}/${p.total}`);
        }
      },
    });
    console.log(JSON.stringify(evalSummary(result)));
    model.dispose();
  } finally {
    factory.dispose();
  }
  return 0;
}

if (process.argv[1] && /eval\.ts$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof UsageError ? `${e.message}\n${USAGE}` : (e as Error).message);
      process.exit(e instanceof UsageError ? 2 : 1);
    },
  );
}

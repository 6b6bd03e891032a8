/**
 * `npm run logits -- --checkpoint DIR --text "…" --out F.json [--cpu]`: the model's logits at every
 * position of the tokenized text (no special tokens added), for parity checks against Hugging Face
 * transformers: {"ids":[…],"logits":[[…vocab]…]}. WebGPU in Node by default, the CPU reference
 * model with --cpu.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { loadCheckpointFolder } from '../training/hf/checkpoint';
import { readCheckpointDir } from '../training/hf/node-fs';
import { nodeModelFactory } from '../training/run/node-device';
import { parseFlags, UsageError } from './args';

const USAGE = `usage: npm run logits -- --checkpoint DIR --text "…" --out F.json [--cpu]
  --checkpoint  a Hugging Face Llama checkpoint folder (ours from npm run train, or any small HF Llama)
  --text        the text to score; tokenized without special tokens
  --out         output JSON: {"ids":[…],"logits":[[…vocab]…]} (one row of vocab_size logits per token)
  --cpu         the CPU reference model instead of WebGPU`;

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.length === 0) {
    console.error(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  const { flags } = parseFlags(argv, ['checkpoint', 'text', 'out'], ['cpu']);
  for (const req of ['checkpoint', 'text', 'out']) if (flags[req] === undefined) throw new UsageError(`--${req} is required`);
  const ck = await loadCheckpointFolder(readCheckpointDir(flags.checkpoint!));
  for (const w of ck.warnings) console.error(`${flags.checkpoint}: ${w}`);
  const ids = ck.tokenizer.encode(flags.text!);
  if (!ids.length) throw new UsageError('--text is empty after tokenization');
  if (ids.length > ck.config.max_position_embeddings) throw new Error(`--text is ${ids.length} tokens; the model reads at most max_position_embeddings = ${ck.config.max_position_embeddings}`);
  const factory = await nodeModelFactory({ cpu: flags.cpu === 'true' });
  try {
    const model = await factory.createModel(ck.config);
    await model.setWeights(ck.weights);
    const flat = await model.logits(Int32Array.from(ids), 1, ids.length);
    const V = ck.config.vocab_size;
    const rows = Array.from({ length: ids.length }, (_, t) => Array.from(flat.subarray(t * V, (t + 1) * V)));
    const tmp = `${flags.out}.partial`;
    writeFileSync(tmp, JSON.stringify({ ids, logits: rows }) + '\n');
    renameSync(tmp, flags.out!);
    model.dispose();
  } finally {
    factory.dispose();
  }
  return 0;
}

if (process.argv[1] && /logits\.ts$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof UsageError ? `${e.message}\n${USAGE}` : (e as Error).message);
      process.exit(e instanceof UsageError ? 2 : 1);
    },
  );
}

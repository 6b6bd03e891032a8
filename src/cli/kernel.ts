/**
 * `npm run kernel -- OP IN.json OUT.json`: run one op's WGSL kernel on WebGPU in Node
 * (Dawn; SwiftShader when the machine has no GPU) and write its outputs as JSON arrays
 * (tensors flat, row-major). `--cpu` runs the CPU reference instead, for comparison.
 * Bad input exits with status 2 and a message naming the field; nothing is written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { HarnessInputError } from '../gpu/harness/fields';
import { OP_NAMES, runOpCpu, runOpGpu, validateOp } from '../gpu/harness/ops';

const USAGE = `usage: npm run kernel -- OP IN.json OUT.json [--cpu]\nops: ${OP_NAMES.join(', ')}`;

function fail(message: string, code = 2): never {
  process.stderr.write(`kernel: ${message}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  const cpu = argv.includes('--cpu');
  const args = argv.filter((a) => a !== '--cpu');
  if (args.length !== 3) fail(USAGE);
  const [op, inPath, outPath] = args as [string, string, string];
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(inPath, 'utf8'));
  } catch (e) {
    fail(`cannot read ${inPath} as JSON: ${(e as Error).message}`);
  }
  try {
    validateOp(op, input);
  } catch (e) {
    if (e instanceof HarnessInputError) fail(`${inPath}: ${e.message}`);
    throw e;
  }
  let out;
  if (cpu) out = runOpCpu(op, input);
  else {
    const { acquireNodeGpu } = await import('../gpu/node-gpu');
    const { nodeShaderSource } = await import('../gpu/shaders-node');
    const { GpuRuntime } = await import('../gpu/runtime');
    const ctx = await acquireNodeGpu();
    const rt = new GpuRuntime(ctx.device, nodeShaderSource());
    out = await runOpGpu(rt, op, input);
    ctx.device.destroy();
  }
  writeFileSync(outPath, JSON.stringify(out) + '\n');
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: Error) => fail(e.message, 1),
);

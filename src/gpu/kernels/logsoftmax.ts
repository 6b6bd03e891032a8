/** Per-token log-probs and cross-entropy on the GPU (shaders/logsoftmax.wgsl, reduce.wgsl); CPU reference in logsoftmax-cpu.ts. */
import { cdiv, grid, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import { expectLength, expectPositiveInts } from './check';

export interface LogitsShape {
  n: number;
  v: number;
}

const params = (s: LogitsShape) => uniforms([['u32', s.n], ['u32', s.v], ['u32', 0], ['u32', 0]]);

function check(l: string, logits: GpuTensor, targets: GpuTensor, s: LogitsShape) {
  expectPositiveInts(l, { n: s.n, v: s.v });
  expectLength(l, 'logits', logits.length, s.n * s.v);
  expectLength(l, 'targets', targets.length, s.n);
}

/** Record logp[row] = log softmax(logits[row])[target] and lse[row]. targets: Int32 tensor. */
export function encodeTokenLogprobs(rt: GpuRuntime, logits: GpuTensor, targets: GpuTensor, logp: GpuTensor, lse: GpuTensor, s: LogitsShape): void {
  const l = `token_logprobs(n=${s.n},v=${s.v})`;
  check(l, logits, targets, s);
  expectLength(l, 'logp', logp.length, s.n);
  expectLength(l, 'lse', lse.length, s.n);
  rt.dispatch({ shader: 'logsoftmax', entry: 'forward', label: l, uniforms: params(s), buffers: [logits, targets, logp, lse], workgroups: grid(s.n) });
}

/** Record dlogits = dlogp·(onehot − softmax) from the forward's lse. */
export function encodeTokenLogprobsBackward(rt: GpuRuntime, logits: GpuTensor, targets: GpuTensor, dlogp: GpuTensor, lse: GpuTensor, dlogits: GpuTensor, s: LogitsShape): void {
  const l = `token_logprobs_backward(n=${s.n},v=${s.v})`;
  check(l, logits, targets, s);
  expectLength(l, 'dlogp', dlogp.length, s.n);
  expectLength(l, 'dlogits', dlogits.length, s.n * s.v);
  rt.dispatch({ shader: 'logsoftmax', entry: 'backward', label: l, uniforms: params(s), buffers: [logits, targets, dlogp, lse, dlogits], workgroups: grid(cdiv(s.n * s.v, 64)) });
}

/** Record out[0] = scale·Σ x. */
export function encodeSum(rt: GpuRuntime, x: GpuTensor, out: GpuTensor, scale: number, label = `sum(n=${x.length})`): void {
  rt.dispatch({ shader: 'reduce', entry: 'sum', label, uniforms: uniforms([['u32', x.length], ['f32', scale], ['u32', 0], ['u32', 0]]), buffers: [x, out], workgroups: [1] });
}

/** Cross-entropy (mean over rows whose target is ≥ 0) and its gradient. */
export async function crossEntropyGpu(rt: GpuRuntime, logits: Float32Array, targets: Int32Array, s: LogitsShape) {
  let count = 0;
  for (const t of targets) if (t >= 0) count++;
  const scale = count > 0 ? 1 / count : 0;
  const tl = rt.upload(logits, 'logits');
  const tt = rt.upload(targets, 'targets');
  const logp = rt.empty(s.n, 'logp');
  const lse = rt.empty(s.n, 'lse');
  const loss = rt.empty(1, 'loss');
  const dlogp = rt.upload(new Float32Array(s.n).fill(-scale), 'dlogp');
  const dlogits = rt.empty(s.n * s.v, 'dlogits');
  try {
    encodeTokenLogprobs(rt, tl, tt, logp, lse, s);
    encodeSum(rt, logp, loss, -scale, `cross_entropy_loss(n=${s.n})`);
    encodeTokenLogprobsBackward(rt, tl, tt, dlogp, lse, dlogits, s);
    const [rl, rd] = await rt.read(loss, dlogits);
    return { loss: rl![0]!, dlogits: rd! };
  } finally {
    rt.release(tl, tt, logp, lse, loss, dlogp, dlogits);
  }
}

export async function tokenLogprobsGpu(rt: GpuRuntime, logits: Float32Array, targets: Int32Array, s: LogitsShape): Promise<Float32Array> {
  const tl = rt.upload(logits, 'logits');
  const tt = rt.upload(targets, 'targets');
  const logp = rt.empty(s.n, 'logp');
  const lse = rt.empty(s.n, 'lse');
  try {
    encodeTokenLogprobs(rt, tl, tt, logp, lse, s);
    return (await rt.read(logp))[0]!;
  } finally {
    rt.release(tl, tt, logp, lse);
  }
}

/** RMSNorm forward and backward on the GPU (shaders/rmsnorm.wgsl); CPU reference in rmsnorm-cpu.ts. */
import { cdiv, grid, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import { expectLength, expectPositiveInts } from './check';

export interface RmsnormShape {
  n: number;
  d: number;
  eps: number;
}

const label = (s: RmsnormShape, pass: string) => `rmsnorm_${pass}(n=${s.n},d=${s.d})`;
const params = (s: RmsnormShape) => uniforms([['u32', s.n], ['u32', s.d], ['f32', s.eps], ['u32', 0]]);

/** Record y = rmsnorm(x)·w and rstd (n floats, kept for the backward pass). */
export function encodeRmsnormForward(rt: GpuRuntime, x: GpuTensor, w: GpuTensor, y: GpuTensor, rstd: GpuTensor, s: RmsnormShape): void {
  const l = label(s, 'forward');
  expectPositiveInts(l, { n: s.n, d: s.d });
  expectLength(l, 'x', x.length, s.n * s.d);
  expectLength(l, 'w', w.length, s.d);
  expectLength(l, 'y', y.length, s.n * s.d);
  expectLength(l, 'rstd', rstd.length, s.n);
  rt.dispatch({ shader: 'rmsnorm', entry: 'forward', label: l, uniforms: params(s), buffers: [x, w, y, rstd], workgroups: grid(s.n) });
}

/** Record dx and dw from dy and the forward's rstd. */
export function encodeRmsnormBackward(rt: GpuRuntime, x: GpuTensor, w: GpuTensor, dy: GpuTensor, rstd: GpuTensor, dx: GpuTensor, dw: GpuTensor, s: RmsnormShape): void {
  const l = label(s, 'backward');
  expectPositiveInts(l, { n: s.n, d: s.d });
  for (const [name, t] of [['x', x], ['dy', dy], ['dx', dx]] as const) expectLength(l, name, t.length, s.n * s.d);
  expectLength(l, 'w', w.length, s.d);
  expectLength(l, 'dw', dw.length, s.d);
  expectLength(l, 'rstd', rstd.length, s.n);
  rt.dispatch({ shader: 'rmsnorm', entry: 'backward_dx', label: `${l} dx`, uniforms: params(s), buffers: [x, w, dy, rstd, dx], workgroups: grid(s.n) });
  rt.dispatch({ shader: 'rmsnorm', entry: 'backward_dw', label: `${l} dw`, uniforms: params(s), buffers: [x, null, dy, rstd, dw], workgroups: [cdiv(s.d, 64)] });
}

export async function rmsnormGpu(rt: GpuRuntime, x: Float32Array, w: Float32Array, s: RmsnormShape, dy?: Float32Array) {
  const tx = rt.upload(x, 'x');
  const tw = rt.upload(w, 'w');
  const y = rt.empty(s.n * s.d, 'y');
  const rstd = rt.empty(s.n, 'rstd');
  const held = [tx, tw, y, rstd];
  try {
    encodeRmsnormForward(rt, tx, tw, y, rstd, s);
    if (!dy) return { y: (await rt.read(y))[0]! };
    const tdy = rt.upload(dy, 'dy');
    const dx = rt.empty(s.n * s.d, 'dx');
    const dw = rt.empty(s.d, 'dw');
    held.push(tdy, dx, dw);
    encodeRmsnormBackward(rt, tx, tw, tdy, rstd, dx, dw, s);
    const [ry, rdx, rdw] = await rt.read(y, dx, dw);
    return { y: ry!, dx: rdx!, dw: rdw! };
  } finally {
    rt.release(...held);
  }
}

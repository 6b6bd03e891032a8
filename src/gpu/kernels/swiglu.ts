/** SwiGLU gate on the GPU (shaders/swiglu.wgsl); CPU reference in elementwise-cpu.ts. */
import { cdiv, grid, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';
import { expectLength } from './check';

const params = (n: number) => uniforms([['u32', n], ['u32', 0], ['u32', 0], ['u32', 0]]);

export function encodeSwigluForward(rt: GpuRuntime, g: GpuTensor, u: GpuTensor, h: GpuTensor): void {
  const n = g.length;
  const l = `swiglu_forward(n=${n})`;
  expectLength(l, 'u', u.length, n);
  expectLength(l, 'h', h.length, n);
  rt.dispatch({ shader: 'swiglu', entry: 'forward', label: l, uniforms: params(n), buffers: [g, u, h], workgroups: grid(cdiv(n, 64)) });
}

export function encodeSwigluBackward(rt: GpuRuntime, g: GpuTensor, u: GpuTensor, dh: GpuTensor, dg: GpuTensor, du: GpuTensor): void {
  const n = g.length;
  const l = `swiglu_backward(n=${n})`;
  for (const [name, t] of [['u', u], ['dh', dh], ['dg', dg], ['du', du]] as const) expectLength(l, name, t.length, n);
  rt.dispatch({ shader: 'swiglu', entry: 'backward', label: l, uniforms: params(n), buffers: [g, u, dh, dg, du], workgroups: grid(cdiv(n, 64)) });
}

export async function swigluGpu(rt: GpuRuntime, g: Float32Array, u: Float32Array, dh?: Float32Array) {
  const tg = rt.upload(g, 'g');
  const tu = rt.upload(u, 'u');
  const h = rt.empty(g.length, 'h');
  const held = [tg, tu, h];
  try {
    encodeSwigluForward(rt, tg, tu, h);
    if (!dh) return { h: (await rt.read(h))[0]! };
    const tdh = rt.upload(dh, 'dh');
    const dg = rt.empty(g.length, 'dg');
    const du = rt.empty(g.length, 'du');
    held.push(tdh, dg, du);
    encodeSwigluBackward(rt, tg, tu, tdh, dg, du);
    const [rh, rdg, rdu] = await rt.read(h, dg, du);
    return { h: rh!, dg: rdg!, du: rdu! };
  } finally {
    rt.release(...held);
  }
}

/** axpy on the GPU (shaders/scale_add.wgsl), and its CPU reference: the runtime's self-test kernel. */
import { cdiv, GpuKernelError, grid, uniforms, type GpuRuntime, type GpuTensor } from '../runtime';

export function scaleAddCpu(alpha: number, x: Float32Array, y: Float32Array): Float32Array {
  if (x.length !== y.length) throw new Error(`scaleAdd: x has ${x.length} elements, y has ${y.length}`);
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = Math.fround(Math.fround(alpha * x[i]!) + y[i]!);
  return out;
}

/** Record y = alpha·x + y in place. */
export function encodeScaleAdd(rt: GpuRuntime, alpha: number, x: GpuTensor, y: GpuTensor): void {
  const label = `scale_add(n=${y.length})`;
  if (x.length !== y.length) throw new GpuKernelError(label, `x has ${x.length} elements, y has ${y.length}`);
  rt.dispatch({ shader: 'scale_add', label, uniforms: uniforms([['u32', y.length], ['f32', alpha]]), buffers: [x, y], workgroups: grid(cdiv(y.length, 64)) });
}

export async function scaleAddGpu(rt: GpuRuntime, alpha: number, x: Float32Array, y: Float32Array): Promise<Float32Array> {
  if (x.length !== y.length) throw new Error(`scaleAdd: x has ${x.length} elements, y has ${y.length}`);
  const tx = rt.upload(x, 'x');
  const ty = rt.upload(y, 'y');
  try {
    encodeScaleAdd(rt, alpha, tx, ty);
    return (await rt.read(ty))[0]!;
  } finally {
    rt.release(tx, ty);
  }
}

/** The GPU runtime's promises: pooled buffers, one submit per step, errors that name the kernel and shapes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireGpu } from './device';
import { encodeMatmul } from './kernels/matmul';
import { matmulCpu } from './kernels/matmul-cpu';
import { randomArray, relError } from './kernels/testing';
import { DeviceLostError, GpuRuntime } from './runtime';
import { viteShaderSource } from './shaders-vite';

let rt: GpuRuntime;
beforeAll(async () => {
  rt = new GpuRuntime((await acquireGpu(navigator.gpu)).device, viteShaderSource);
});
afterAll(() => rt?.device.destroy());

describe('GpuRuntime', () => {
  it('records a chain of kernels into one submit and reuses pooled buffers on the next step', async () => {
    const s = { m: 5, n: 6, k: 7 };
    const a = randomArray(35, 1);
    const b = randomArray(42, 2);
    const w = randomArray(36, 3);
    const step = async () => {
      const ta = rt.upload(a, 'a');
      const tb = rt.upload(b, 'b');
      const tw = rt.upload(w, 'w');
      const c = rt.empty(30, 'c');
      const d = rt.empty(30, 'd');
      encodeMatmul(rt, ta, tb, c, s); // c = a·b
      encodeMatmul(rt, c, tw, d, { m: 5, n: 6, k: 6 }); // d = c·w, reads c with no readback between
      const before = rt.submits;
      const [out] = await rt.read(d);
      expect(rt.submits - before).toBe(1);
      rt.release(ta, tb, tw, c, d);
      return out!;
    };
    const want = matmulCpu(matmulCpu(a, b, s), w, { m: 5, n: 6, k: 6 });
    expect(relError(await step(), want)).toBeLessThanOrEqual(1e-4);
    await rt.flush();
    const allocated = rt.allocatedBytes;
    expect(relError(await step(), want)).toBeLessThanOrEqual(1e-4);
    expect(rt.allocatedBytes).toBe(allocated);
  });

  it('names the kernel and shapes when an operand has the wrong size', () => {
    const a = rt.empty(10, 'a');
    const b = rt.empty(12, 'b');
    const c = rt.empty(6, 'c');
    expect(() => encodeMatmul(rt, a, b, c, { m: 2, n: 3, k: 4 })).toThrow(/matmul\(m=2,n=3,k=4\): a has 10 elements, expected 8/);
    rt.release(a, b, c);
  });

  it('turns a GPU validation error into one naming the kernel', async () => {
    const x = rt.empty(4, 'x');
    // binding a tensor both read-only and writable in one dispatch is invalid WebGPU
    rt.dispatch({ shader: 'scale_add', label: 'scale_add(n=4) aliasing test', uniforms: new ArrayBuffer(16), buffers: [x, x], workgroups: [1] });
    await expect(rt.flush()).rejects.toThrow(/scale_add\(n=4\) aliasing test/);
    rt.release(x);
  });

  it('surfaces device loss and refuses work afterwards', async () => {
    const own = new GpuRuntime((await acquireGpu(navigator.gpu)).device, viteShaderSource);
    own.device.destroy();
    const info = await own.lost;
    expect(info.reason).toBe('destroyed');
    expect(own.isLost).toBe(true);
    expect(() => own.empty(4, 't')).toThrow(DeviceLostError);
  });
});

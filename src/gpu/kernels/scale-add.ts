/** axpy on the GPU, and its CPU reference. */
import source from '../../../shaders/scale_add.wgsl?raw';
import { withErrorScopes } from '../device';

const WORKGROUP = 64;

export function scaleAddCpu(alpha: number, x: Float32Array, y: Float32Array): Float32Array {
  if (x.length !== y.length) throw new Error(`scaleAdd: x has ${x.length} elements, y has ${y.length}`);
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = Math.fround(Math.fround(alpha * x[i]!) + y[i]!);
  return out;
}

const pipelines = new WeakMap<GPUDevice, GPUComputePipeline>();

function pipelineFor(device: GPUDevice): GPUComputePipeline {
  let p = pipelines.get(device);
  if (!p) {
    p = device.createComputePipeline({ label: 'scale_add', layout: 'auto', compute: { module: device.createShaderModule({ label: 'scale_add.wgsl', code: source }), entryPoint: 'main' } });
    pipelines.set(device, p);
  }
  return p;
}

export async function scaleAddGpu(device: GPUDevice, alpha: number, x: Float32Array, y: Float32Array): Promise<Float32Array> {
  if (x.length !== y.length) throw new Error(`scaleAdd: x has ${x.length} elements, y has ${y.length}`);
  const n = x.length;
  const bytes = Math.max(4, n * 4);
  const label = `scale_add(n=${n})`;
  const { xBuf, yBuf, readBuf, params } = await withErrorScopes(device, label, () => {
    const params = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    const p = new ArrayBuffer(16);
    new Uint32Array(p, 0, 1)[0] = n;
    new Float32Array(p, 4, 1)[0] = alpha;
    device.queue.writeBuffer(params, 0, p);
    const xBuf = device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    const yBuf = device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
    const readBuf = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(xBuf, 0, x as Float32Array<ArrayBuffer>);
    device.queue.writeBuffer(yBuf, 0, y as Float32Array<ArrayBuffer>);
    const pipeline = pipelineFor(device);
    const bind = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: params } },
        { binding: 1, resource: { buffer: xBuf } },
        { binding: 2, resource: { buffer: yBuf } },
      ],
    });
    const groups = Math.ceil(n / WORKGROUP);
    const maxX = device.limits.maxComputeWorkgroupsPerDimension;
    const enc = device.createCommandEncoder({ label });
    const pass = enc.beginComputePass({ label });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    if (groups > 0) pass.dispatchWorkgroups(Math.min(groups, maxX), Math.ceil(groups / maxX));
    pass.end();
    enc.copyBufferToBuffer(yBuf, 0, readBuf, 0, bytes);
    device.queue.submit([enc.finish()]);
    return { xBuf, yBuf, readBuf, params };
  });
  await readBuf.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(readBuf.getMappedRange().slice(0, n * 4));
  readBuf.unmap();
  for (const b of [xBuf, yBuf, readBuf, params]) b.destroy();
  return out;
}

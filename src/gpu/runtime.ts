/**
 * The GPU runtime: buffers from a pool, pipelines and bind groups from caches, and one
 * command encoder per step. Kernels record dispatches; nothing is submitted until the
 * caller flushes or reads, so a training step is one submit with no per-op readback.
 * Errors name the kernel and its shapes; a lost device rejects every later call.
 */
import type { ShaderSource } from './shader-source';

export type TypedData = Float32Array | Uint32Array | Int32Array;

/** A device buffer with its element count; kernels check lengths against shapes. */
export interface GpuTensor {
  readonly buffer: GPUBuffer;
  readonly length: number;
  readonly label: string;
}

export interface DispatchSpec {
  /** shader file stem in shaders/ */
  shader: string;
  entry?: string;
  /** kernel name and shapes, e.g. "matmul(m=17,n=33,k=65)": used in every error message */
  label: string;
  /** `const NAME = value;` lines prepended to the shader (array sizes that WGSL needs at compile time) */
  defines?: Record<string, number>;
  /** pipeline-overridable constants */
  constants?: Record<string, number>;
  /** binding 0 when present */
  uniforms?: ArrayBuffer;
  /** storage bindings, in binding order after the uniforms; null skips a binding the entry point does not use */
  buffers: Array<GpuTensor | null>;
  workgroups: readonly [number, number?, number?];
}

export class GpuKernelError extends Error {
  constructor(readonly kernel: string, message: string) {
    super(`${kernel}: ${message}`);
    this.name = 'GpuKernelError';
  }
}

export class DeviceLostError extends Error {
  constructor(readonly reason: string, message: string) {
    super(`GPU device lost (${reason}): ${message}`);
    this.name = 'DeviceLostError';
  }
}

// GPUBufferUsage / GPUMapMode values from the WebGPU spec, spelled out because in Node the
// globals exist only after the `webgpu` package is loaded, which is after this module.
const STORAGE = 0x80 | 0x04 | 0x08; // STORAGE | COPY_SRC | COPY_DST
const UNIFORM = 0x40 | 0x08; // UNIFORM | COPY_DST
const READBACK = 0x01 | 0x08; // MAP_READ | COPY_DST
const MAP_READ = 0x01;
const MAX_UNIFORM_CACHE = 4096;
const MAX_BIND_GROUP_CACHE = 8192;

/** Pool buckets: powers of two from 256 B, so a repeated training step reuses every buffer. */
export function poolBucket(bytes: number): number {
  let b = 256;
  while (b < bytes) b *= 2;
  return b;
}

let nextBufferId = 1;
const bufferIds = new WeakMap<GPUBuffer, number>();
function idOf(b: GPUBuffer): number {
  let id = bufferIds.get(b);
  if (id === undefined) bufferIds.set(b, (id = nextBufferId++));
  return id;
}

interface PendingCheck {
  label: string;
  error: Promise<GPUError | null>;
}

export class GpuRuntime {
  private readonly free = new Map<string, GPUBuffer[]>();
  /** released during the open step: reusable only after it is submitted (queue order keeps them safe then) */
  private readonly freeAfterSubmit: Array<[string, GPUBuffer]> = [];
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly uniformCache = new Map<string, GPUBuffer>();
  private readonly bindGroups = new Map<string, GPUBindGroup>();
  private readonly pipelineIds = new WeakMap<GPUComputePipeline, number>();
  private encoder: GPUCommandEncoder | null = null;
  private stepLabels: string[] = [];
  private checks: PendingCheck[] = [];
  private lostInfo: GPUDeviceLostInfo | null = null;
  /** bytes currently held by live tensors and the pool */
  allocatedBytes = 0;
  submits = 0;
  /** kernel dispatches recorded so far (models report their count per step from the difference) */
  dispatches = 0;

  /** resolves when the device is lost; training awaits it to re-acquire and resume from a checkpoint */
  readonly lost: Promise<GPUDeviceLostInfo>;

  constructor(
    readonly device: GPUDevice,
    private readonly shaders: ShaderSource,
  ) {
    this.lost = device.lost.then((info) => {
      this.lostInfo = info;
      return info;
    });
  }

  get isLost(): boolean {
    return this.lostInfo !== null;
  }

  private assertAlive(what: string): void {
    if (this.lostInfo) throw new DeviceLostError(this.lostInfo.reason, `${what}: ${this.lostInfo.message || 'no message'}`);
  }

  // ---- buffers -------------------------------------------------------------------

  /** An uninitialised tensor from the pool (contents are whatever the last user left). */
  empty(length: number, label: string): GpuTensor {
    this.assertAlive(label);
    const size = poolBucket(Math.max(1, length) * 4);
    const key = `${size}`;
    const list = this.free.get(key);
    const buffer = list?.pop() ?? this.createBuffer(size, label);
    return { buffer, length, label };
  }

  /** A tensor holding `data` (the upload is queued before the open step is submitted). */
  upload(data: TypedData, label: string): GpuTensor {
    const t = this.empty(data.length, label);
    if (data.length > 0) this.device.queue.writeBuffer(t.buffer, 0, data as Float32Array<ArrayBuffer>);
    return t;
  }

  /** Overwrite a tensor's contents. Only for tensors no recorded-but-unsubmitted dispatch reads. */
  write(t: GpuTensor, data: TypedData): void {
    if (data.length !== t.length) throw new GpuKernelError(t.label, `write of ${data.length} elements into a tensor of ${t.length}`);
    if (data.length > 0) this.device.queue.writeBuffer(t.buffer, 0, data as Float32Array<ArrayBuffer>);
  }

  zeros(length: number, label: string): GpuTensor {
    const t = this.empty(length, label);
    this.enc().clearBuffer(t.buffer, 0, poolBucket(Math.max(1, length) * 4));
    return t;
  }

  /** Zero a tensor inside the open step (ordered with the dispatches around it). */
  clear(t: GpuTensor): void {
    this.assertAlive(t.label);
    this.enc().clearBuffer(t.buffer, 0, t.buffer.size);
  }

  /** Give a tensor back to the pool. It becomes reusable once the open step is submitted. */
  release(...ts: GpuTensor[]): void {
    for (const t of ts) this.freeAfterSubmit.push([`${t.buffer.size}`, t.buffer]);
  }

  private createBuffer(size: number, label: string): GPUBuffer {
    const max = this.device.limits.maxStorageBufferBindingSize;
    if (size > max) throw new GpuKernelError(label, `needs a ${size}-byte buffer; this device allows ${max}`);
    this.allocatedBytes += size;
    return this.device.createBuffer({ label, size, usage: STORAGE });
  }

  /** Destroy pooled buffers that no tensor holds (after a run, or to answer memory pressure). */
  trim(): void {
    for (const list of this.free.values()) for (const b of list) {
      this.allocatedBytes -= b.size;
      b.destroy();
    }
    this.free.clear();
    for (const b of this.uniformCache.values()) b.destroy();
    this.uniformCache.clear();
    this.bindGroups.clear();
  }

  // ---- pipelines and dispatch ---------------------------------------------------

  private pipeline(spec: DispatchSpec): GPUComputePipeline {
    const entry = spec.entry ?? 'main';
    const defs = spec.defines ? Object.entries(spec.defines).sort(([a], [b]) => a.localeCompare(b)) : [];
    const consts = spec.constants ? Object.entries(spec.constants).sort(([a], [b]) => a.localeCompare(b)) : [];
    const key = `${spec.shader}|${entry}|${defs.map(([k, v]) => `${k}=${v}`).join(',')}|${consts.map(([k, v]) => `${k}=${v}`).join(',')}`;
    let p = this.pipelines.get(key);
    if (p) return p;
    const prelude = defs.map(([k, v]) => `const ${k}: u32 = ${v >>> 0}u;\n`).join('');
    const code = prelude + this.shaders(spec.shader);
    const name = `${spec.shader}.wgsl:${entry}`;
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ label: name, code });
    p = this.device.createComputePipeline({
      label: name,
      layout: 'auto',
      compute: { module, entryPoint: entry, ...(consts.length ? { constants: Object.fromEntries(consts) } : {}) },
    });
    this.checks.push({ label: `compiling ${name} for ${spec.label}`, error: this.device.popErrorScope() });
    this.pipelines.set(key, p);
    this.pipelineIds.set(p, this.pipelines.size);
    return p;
  }

  private uniformBuffer(data: ArrayBuffer): GPUBuffer {
    const bytes = new Uint8Array(data);
    let key = '';
    for (let i = 0; i < bytes.length; i++) key += String.fromCharCode(bytes[i]!);
    let b = this.uniformCache.get(key);
    if (b) return b;
    if (this.uniformCache.size >= MAX_UNIFORM_CACHE) {
      // dropped buffers may still be bound by the open step: destroy after submit via the pool's deferral
      for (const old of this.uniformCache.values()) this.freeAfterSubmit.push(['destroy', old]);
      this.uniformCache.clear();
      this.bindGroups.clear();
    }
    const size = Math.max(16, Math.ceil(data.byteLength / 16) * 16);
    b = this.device.createBuffer({ label: 'uniforms', size, usage: UNIFORM });
    this.device.queue.writeBuffer(b, 0, data);
    this.uniformCache.set(key, b);
    return b;
  }

  private enc(): GPUCommandEncoder {
    if (!this.encoder) this.encoder = this.device.createCommandEncoder({ label: 'step' });
    return this.encoder;
  }

  /** Record one kernel dispatch into the open step. */
  dispatch(spec: DispatchSpec): void {
    this.assertAlive(spec.label);
    const [x, y = 1, z = 1] = spec.workgroups;
    const maxG = this.device.limits.maxComputeWorkgroupsPerDimension;
    if (x > maxG || y > maxG || z > maxG) {
      throw new GpuKernelError(spec.label, `grid ${x}×${y}×${z} workgroups exceeds this device's ${maxG} per dimension`);
    }
    if (x === 0 || y === 0 || z === 0) return;
    const pipeline = this.pipeline(spec);
    const resources: Array<GPUBuffer | null> = [];
    if (spec.uniforms) resources.push(this.uniformBuffer(spec.uniforms));
    for (const t of spec.buffers) resources.push(t ? t.buffer : null);
    const key = `${this.pipelineIds.get(pipeline)}:${resources.map((b) => (b ? idOf(b) : '-')).join(',')}`;
    let bind = this.bindGroups.get(key);
    if (!bind) {
      this.device.pushErrorScope('validation');
      bind = this.device.createBindGroup({
        label: spec.label,
        layout: pipeline.getBindGroupLayout(0),
        entries: resources.flatMap((buffer, binding) => (buffer ? [{ binding, resource: { buffer } }] : [])),
      });
      this.checks.push({ label: `binding buffers for ${spec.label}`, error: this.device.popErrorScope() });
      if (this.bindGroups.size >= MAX_BIND_GROUP_CACHE) this.bindGroups.clear();
      this.bindGroups.set(key, bind);
    }
    // one pass per dispatch: Dawn names the failing pass (= kernel and shapes) in its messages
    const pass = this.enc().beginComputePass({ label: spec.label });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(x, y, z);
    pass.end();
    this.dispatches++;
    this.stepLabels.push(spec.label);
  }

  /** Copy `elements` floats between tensors inside the open step, from element srcOffset to dstOffset. */
  copy(src: GpuTensor, dst: GpuTensor, elements = Math.min(src.length, dst.length), srcOffset = 0, dstOffset = 0): void {
    if (srcOffset + elements > src.length || dstOffset + elements > dst.length) {
      throw new GpuKernelError(`copy(${src.label} → ${dst.label})`, `${elements} elements from ${srcOffset} into ${dstOffset} do not fit (${src.length} → ${dst.length})`);
    }
    if (elements > 0) this.enc().copyBufferToBuffer(src.buffer, srcOffset * 4, dst.buffer, dstOffset * 4, elements * 4);
  }

  /** Submit the open step (one command buffer), then report any error with the kernel it belongs to. */
  async flush(): Promise<void> {
    this.assertAlive('flush');
    const labels = this.stepLabels;
    this.stepLabels = [];
    if (this.encoder) {
      const enc = this.encoder;
      this.encoder = null;
      this.device.pushErrorScope('validation');
      this.device.pushErrorScope('out-of-memory');
      this.device.queue.submit([enc.finish()]);
      this.submits++;
      const oom = this.device.popErrorScope();
      const val = this.device.popErrorScope();
      const step = labels.length > 6 ? `${labels.slice(0, 6).join('; ')}; … (${labels.length} kernels)` : labels.join('; ');
      this.checks.push({ label: `step [${step}] (out of memory)`, error: oom }, { label: `step [${step}]`, error: val });
    }
    for (const [key, b] of this.freeAfterSubmit) {
      if (key === 'destroy') {
        b.destroy();
        continue;
      }
      let list = this.free.get(key);
      if (!list) this.free.set(key, (list = []));
      list.push(b);
    }
    this.freeAfterSubmit.length = 0;
    const checks = this.checks;
    this.checks = [];
    const errors = await Promise.all(checks.map((c) => c.error));
    for (let i = 0; i < errors.length; i++) {
      const e = errors[i];
      if (e) throw new GpuKernelError(checks[i]!.label, e.message);
    }
    this.assertAlive('flush');
  }

  /** Submit the open step and read tensors back. */
  async read(...ts: GpuTensor[]): Promise<Float32Array[]> {
    const staging = ts.map((t) => {
      const size = poolBucket(Math.max(1, t.length) * 4);
      const b = this.device.createBuffer({ label: `read ${t.label}`, size, usage: READBACK });
      this.enc().copyBufferToBuffer(t.buffer, 0, b, 0, size);
      return b;
    });
    await this.flush();
    const out = await Promise.all(
      staging.map(async (b, i) => {
        await b.mapAsync(MAP_READ);
        const arr = new Float32Array(b.getMappedRange().slice(0, ts[i]!.length * 4));
        b.unmap();
        b.destroy();
        return arr;
      }),
    );
    return out;
  }

  /** Wait until the GPU has finished everything submitted (benchmarks). */
  async idle(): Promise<void> {
    await this.flush();
    await this.device.queue.onSubmittedWorkDone();
  }
}

/** Pack a uniform block from u32/i32/f32 fields (all 4 bytes, in order). */
export function uniforms(fields: Array<['u32' | 'i32' | 'f32', number]>): ArrayBuffer {
  const buf = new ArrayBuffer(Math.max(16, Math.ceil((fields.length * 4) / 16) * 16));
  const dv = new DataView(buf);
  fields.forEach(([type, v], i) => {
    if (type === 'u32') dv.setUint32(i * 4, v >>> 0, true);
    else if (type === 'i32') dv.setInt32(i * 4, v | 0, true);
    else dv.setFloat32(i * 4, v, true);
  });
  return buf;
}

/** Ceil-divide for grid sizes. */
export const cdiv = (a: number, b: number) => Math.ceil(a / b);

/** A grid of `count` workgroups folded into x and y (x ≤ 65535), for kernels that index gid.x + gid.y·nwg.x·size. */
export function grid(count: number): [number, number] {
  const maxX = 65535;
  if (count <= maxX) return [Math.max(count, 0), 1];
  return [maxX, Math.ceil(count / maxX)];
}

/**
 * Adapter and device acquisition. The runtime asks for the adapter's own limits
 * (the defaults are far lower than most GPUs allow) and reports what it got, and a
 * lost device is surfaced as a promise the caller awaits, so training can resume.
 */
export interface GpuInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  features: string[];
  limits: Record<string, number>;
  isFallbackAdapter: boolean;
}

export interface GpuContext {
  /** kept referenced: in Node (Dawn bindings) a collected adapter can take the device's threads down with it */
  adapter: GPUAdapter;
  device: GPUDevice;
  info: GpuInfo;
  /** resolves when the device is lost, with the reason */
  lost: Promise<GPUDeviceLostInfo>;
}

export class WebGpuUnavailableError extends Error {
  constructor(readonly reason: 'no-webgpu' | 'no-adapter' | 'device-failed', message: string) {
    super(message);
    this.name = 'WebGpuUnavailableError';
  }
}

const REPORTED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBuffersPerShaderStage',
] as const;

export async function acquireGpu(gpu: GPU | undefined = globalThis.navigator?.gpu): Promise<GpuContext> {
  if (!gpu) throw new WebGpuUnavailableError('no-webgpu', 'This browser does not expose WebGPU (navigator.gpu is missing).');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new WebGpuUnavailableError('no-adapter', 'WebGPU is present but no GPU adapter was found (blocklisted driver, or GPU access disabled).');
  const requiredLimits: Record<string, number> = {};
  for (const k of REPORTED_LIMITS) requiredLimits[k] = adapter.limits[k];
  const requiredFeatures = (['shader-f16', 'timestamp-query'] as GPUFeatureName[]).filter((f) => adapter.features.has(f));
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
  } catch (e) {
    throw new WebGpuUnavailableError('device-failed', `The GPU adapter refused to create a device: ${(e as Error).message}`);
  }
  const ai = adapter.info;
  const limits: Record<string, number> = {};
  for (const k of REPORTED_LIMITS) limits[k] = device.limits[k];
  return {
    adapter,
    device,
    info: {
      vendor: ai?.vendor ?? '',
      architecture: ai?.architecture ?? '',
      device: ai?.device ?? '',
      description: ai?.description ?? '',
      features: [...device.features].sort(),
      limits,
      isFallbackAdapter: Boolean((ai as GPUAdapterInfo & { isFallbackAdapter?: boolean })?.isFallbackAdapter),
    },
    lost: device.lost,
  };
}

/** Run fn inside validation + out-of-memory error scopes and name the kernel when it fails. */
export async function withErrorScopes<T>(device: GPUDevice, label: string, fn: () => T): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const value = fn();
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  const err = validation ?? oom;
  if (err) throw new Error(`${label}: ${err.message}`);
  return value;
}

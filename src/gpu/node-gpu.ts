/**
 * WebGPU in Node through the `webgpu` package (Dawn). On a machine with a GPU Dawn
 * finds it; on Linux with no GPU device node at all, Vulkan is pointed at Chromium's
 * SwiftShader (CPU) unless VK_ICD_FILENAMES already says otherwise. Only the Node
 * entry points import this module.
 */
import { existsSync } from 'node:fs';
import { acquireGpu, type GpuContext } from './device';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

function hasGpuDeviceNode(): boolean {
  return existsSync('/dev/dri') || existsSync('/dev/nvidia0') || process.platform !== 'linux';
}

/** Dawn's instance must outlive every device made from it; a collected instance crashes the process. */
const instances: GPU[] = [];

export async function acquireNodeGpu(): Promise<GpuContext> {
  if (!process.env.VK_ICD_FILENAMES && !hasGpuDeviceNode() && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  instances.push(gpu);
  return acquireGpu(gpu);
}

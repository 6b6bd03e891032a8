/** Shape checks shared by the kernel modules: errors name the kernel, its shapes and the operand. */
import { GpuKernelError } from '../runtime';

export function expectLength(label: string, operand: string, actual: number, expected: number): void {
  if (actual !== expected) throw new GpuKernelError(label, `${operand} has ${actual} elements, expected ${expected}`);
}

export function expectPositiveInts(label: string, dims: Record<string, number>): void {
  for (const [k, v] of Object.entries(dims)) {
    if (!Number.isInteger(v) || v < 1) throw new GpuKernelError(label, `${k} must be a positive integer, got ${v}`);
  }
}

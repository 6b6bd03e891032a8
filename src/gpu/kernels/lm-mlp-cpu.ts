/** CPU reference for shaders/lm_mlp.wgsl: swigluForwardCpu / swigluBackwardCpu on the packed [rows, 2f] layout. */
import { swigluBackwardCpu, swigluForwardCpu } from './elementwise-cpu';

function unpack(gu: ArrayLike<number>, rows: number, f: number) {
  const g = new Float64Array(rows * f);
  const u = new Float64Array(rows * f);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < f; j++) {
      g[r * f + j] = gu[r * 2 * f + j]!;
      u[r * f + j] = gu[r * 2 * f + f + j]!;
    }
  return { g, u };
}

export function swigluPackedCpu(gu: ArrayLike<number>, rows: number, f: number): Float32Array {
  const { g, u } = unpack(gu, rows, f);
  return swigluForwardCpu(g, u);
}

export function swigluPackedBackwardCpu(gu: ArrayLike<number>, dh: ArrayLike<number>, rows: number, f: number): Float32Array {
  const { g, u } = unpack(gu, rows, f);
  const { dg, du } = swigluBackwardCpu(g, u, dh);
  const out = new Float32Array(rows * 2 * f);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < f; j++) {
      out[r * 2 * f + j] = dg[r * f + j]!;
      out[r * 2 * f + f + j] = du[r * f + j]!;
    }
  return out;
}

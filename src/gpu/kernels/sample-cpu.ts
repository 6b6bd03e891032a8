/**
 * CPU reference for temperature / top-p sampling, by a different route than the kernel:
 * float64 probabilities, a sort to find the nucleus, then the draw in index order.
 * Returns the token and how far u·mass was from the nearest bin edge (tests skip draws
 * that land within float32 rounding of an edge, where either neighbour is correct).
 */
export function sampleCpu(logits: ArrayLike<number>, row: number, v: number, temperature: number, topP: number, u: number): { id: number; margin: number } {
  const o = row * v;
  if (temperature <= 0) {
    let best = 0;
    for (let j = 1; j < v; j++) if (logits[o + j]! > logits[o + best]!) best = j;
    return { id: best, margin: Infinity };
  }
  let mx = -Infinity;
  for (let j = 0; j < v; j++) mx = Math.max(mx, logits[o + j]!);
  const q = new Float64Array(v);
  let z = 0;
  for (let j = 0; j < v; j++) z += q[j] = Math.exp((logits[o + j]! - mx) / temperature);
  for (let j = 0; j < v; j++) q[j]! /= z;
  let keep = new Uint8Array(v).fill(1);
  if (topP < 1) {
    keep = new Uint8Array(v);
    const order = Array.from(q.keys()).sort((a, b) => q[b]! - q[a]! || a - b);
    let cum = 0;
    let edge = Infinity;
    for (const j of order) {
      if (cum >= topP && q[j]! < edge) break; // reached top_p; ties with the last kept stay in
      keep[j] = 1;
      cum += q[j]!;
      edge = q[j]!;
    }
  }
  let mass = 0;
  for (let j = 0; j < v; j++) if (keep[j]) mass += q[j]!;
  const target = u * mass;
  let acc = 0;
  let last = 0;
  for (let j = 0; j < v; j++) {
    if (!keep[j]) continue;
    last = j;
    const next = acc + q[j]!;
    if (next > target) return { id: j, margin: Math.min(target - acc, next - target) / mass };
    acc = next;
  }
  return { id: last, margin: 0 };
}

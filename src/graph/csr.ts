/**
 * Compressed sparse rows: for node v, its neighbours are
 * targets[offsets[v] .. offsets[v+1]), and edgeIds gives each one's index in the
 * original edge list (to reach per-edge data such as source datasets).
 * Built by counting sort: O(n + m), no per-edge allocation.
 */
export interface Csr {
  offsets: Uint32Array;
  targets: Uint32Array;
  edgeIds: Uint32Array;
}

export function buildCsr(nodeCount: number, from: Uint32Array, to: Uint32Array): Csr {
  const m = from.length;
  const offsets = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < m; e++) offsets[from[e]! + 1]!++;
  for (let v = 0; v < nodeCount; v++) offsets[v + 1]! += offsets[v]!;
  const cursor = offsets.slice(0, nodeCount);
  const targets = new Uint32Array(m);
  const edgeIds = new Uint32Array(m);
  for (let e = 0; e < m; e++) {
    const slot = cursor[from[e]!]!++;
    targets[slot] = to[e]!;
    edgeIds[slot] = e;
  }
  return { offsets, targets, edgeIds };
}

export function csrDegree(csr: Csr, v: number): number {
  return csr.offsets[v + 1]! - csr.offsets[v]!;
}

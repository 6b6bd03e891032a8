// RMSNorm of the Llama residual stream, fused with what surrounds it in the model:
//   embed_norm:  x = table[ids] (the token embedding), n = x·rstd·w           (first layer's input norm)
//   add_norm:    x = x_in + y (the residual add), n = x·rstd·w                (every later norm)
//   norm_bw:     dx (+)= rstd·w·dn − x·rstd³/d·Σ dn·w·x                        (the residual's gradient, in place)
//   norm_dw:     grads[w] += Σ_rows dn·x·rstd                                  (one thread per column)
//   embed_scatter: grads[table][v] += Σ dx[r] over the rows r with ids[r] = v   (fixed order, no atomics)
//   gather_rows: out[b] = x[b·t + lens[b] − 1]                                 (the last prompt position, prefill)
//   gather_idx:  out[m] = x[idx[m]]; scatter_idx: out[idx[m]] = x[m]           (the rows that carry a loss)
// rstd = 1/√(mean(x²) + eps). Weights and the embedding table are read from the flat parameter
// buffer at element offsets; gradients accumulate into the flat gradient buffer. Row kernels run
// one thread per row, with no workgroup memory or barriers: measured in Node/Dawn on SwiftShader
// at 1920×128, a 64-thread workgroup per row with tree reductions was several times slower
// (barriers are the expensive part of a software GPU), and rows of ≤ a few thousand floats are
// short loops for one thread on real GPUs too.

struct Params {
  rows: u32,
  d: u32,
  eps: f32,
  w_off: u32,     // norm weight in params | its gradient in grads (norm_dw)
  tab_off: u32,   // embedding table in params | its gradient in grads (embed_scatter)
  id_off: u32,    // first id to read (decode reads one step of the token buffer)
  vocab: u32,
  t: u32,         // gather_rows: tokens per row
  acc: u32,       // norm_bw: 1 adds into dx, 0 overwrites it (the first gradient into the residual)
  _a: u32,
  _b: u32,
  _c: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> ids: array<u32>;  // embed_scatter: the CSR of positions by id (below)
@group(0) @binding(3) var<storage, read> x_in: array<f32>;   // add_norm: x_in | norm_bw, norm_dw: x | gather_rows: x
@group(0) @binding(4) var<storage, read> y_in: array<f32>;   // add_norm: y | norm_bw, norm_dw: dn | embed_scatter: dx
@group(0) @binding(5) var<storage, read_write> x_out: array<f32>; // embed_norm, add_norm: x | norm_bw: dx (in place) | gather_rows: out
@group(0) @binding(6) var<storage, read_write> n_out: array<f32>;
@group(0) @binding(7) var<storage, read_write> rstd: array<f32>;
@group(0) @binding(8) var<storage, read> rstd_in: array<f32>;
@group(0) @binding(9) var<storage, read_write> grads: array<f32>;

fn row_id(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.x + gid.y * nwg.x * 64u; }

// n = x·rstd·w over row `row` of x_out (already written by this thread)
fn norm_row(row: u32) {
  let o = row * p.d;
  var ss = 0.0;
  for (var j = 0u; j < p.d; j++) { ss = fma(x_out[o + j], x_out[o + j], ss); }
  let r = inverseSqrt(ss / f32(p.d) + p.eps);
  for (var j = 0u; j < p.d; j++) { n_out[o + j] = x_out[o + j] * r * params[p.w_off + j]; }
  rstd[row] = r;
}

@compute @workgroup_size(64)
fn embed_norm(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = row_id(gid, nwg);
  if (row >= p.rows) { return; }
  let id = min(ids[p.id_off + row], p.vocab - 1u); // ids are checked on the CPU; never read past the table
  for (var j = 0u; j < p.d; j++) { x_out[row * p.d + j] = params[p.tab_off + id * p.d + j]; }
  norm_row(row);
}

@compute @workgroup_size(64)
fn add_norm(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = row_id(gid, nwg);
  if (row >= p.rows) { return; }
  let o = row * p.d;
  for (var j = 0u; j < p.d; j++) { x_out[o + j] = x_in[o + j] + y_in[o + j]; }
  norm_row(row);
}

@compute @workgroup_size(64)
fn norm_bw(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = row_id(gid, nwg);
  if (row >= p.rows) { return; }
  let o = row * p.d;
  let r = rstd_in[row];
  var dot = 0.0;
  for (var j = 0u; j < p.d; j++) { dot += y_in[o + j] * params[p.w_off + j] * x_in[o + j]; }
  let c = dot * r * r * r / f32(p.d);
  for (var j = 0u; j < p.d; j++) {
    let g = r * params[p.w_off + j] * y_in[o + j] - c * x_in[o + j];
    if (p.acc != 0u) { x_out[o + j] += g; } else { x_out[o + j] = g; }
  }
}

@compute @workgroup_size(64)
fn norm_dw(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  if (j >= p.d) { return; }
  var acc = 0.0;
  for (var row = 0u; row < p.rows; row++) { acc = fma(y_in[row * p.d + j] * x_in[row * p.d + j], rstd_in[row], acc); }
  grads[p.w_off + j] += acc;
}

// The embedding gradient without atomics, so a run is reproducible: a float compare-exchange add
// (WGSL has no float atomics) summed a row's tokens in whatever order the threads won, and the
// rounding differences grew into different runs within tens of steps. The step's ids are known on
// the CPU, which groups the positions by id (lm-norm.ts embedScatterCsr) into ids =
// [offsets (U + 1) | the U distinct ids ascending | order], order listing the positions of the u-th
// id ascending at offsets[u]..offsets[u + 1]; p.rows = U. One thread per (distinct id, column) sums
// its positions in that order and owns grads[table + id·d + j], so it reads, adds and writes.
@compute @workgroup_size(64)
fn embed_scatter(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= p.rows * p.d) { return; }
  let u = i / p.d;
  let j = i % p.d;
  let id = ids[p.rows + 1u + u];
  if (id >= p.vocab) { return; } // never: the CPU leaves such ids out
  let base = 2u * p.rows + 1u;
  var acc = 0.0;
  for (var k = ids[u]; k < ids[u + 1u]; k++) { acc += y_in[ids[base + k] * p.d + j]; }
  grads[p.tab_off + id * p.d + j] += acc;
}

@compute @workgroup_size(64)
fn gather_rows(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= p.rows * p.d) { return; }
  let b = i / p.d;
  x_out[i] = x_in[(b * p.t + ids[b] - 1u) * p.d + i % p.d];
}

@compute @workgroup_size(64)
fn gather_idx(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= p.rows * p.d) { return; }
  x_out[i] = x_in[ids[i / p.d] * p.d + i % p.d];
}

// rows not in idx are left as they are (the caller clears the output first)
@compute @workgroup_size(64)
fn scatter_idx(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= p.rows * p.d) { return; }
  x_out[ids[i / p.d] * p.d + i % p.d] = x_in[i];
}

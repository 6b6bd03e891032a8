// RMSNorm over rows of length d: y = x · rstd · w, rstd = 1/√(mean(x²) + eps).
// One 64-thread workgroup per row (grid folded over x/y for many rows); the column
// gradient dw reduces over rows, one thread per column, with the saved rstd.

struct Params {
  n: u32,
  d: u32,
  eps: f32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
// forward: 3 y, 4 rstd. backward_dx: 3 dy, 4 rstd, 5 dx. backward_dw uses 1 x, 3 dy, 4 rstd, 5 dw.
@group(0) @binding(3) var<storage, read_write> b3: array<f32>;
@group(0) @binding(4) var<storage, read_write> b4: array<f32>;
@group(0) @binding(5) var<storage, read_write> b5: array<f32>;

var<workgroup> red: array<f32, 64>;

fn reduce64(lid: u32, v: f32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] += red[lid + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(64)
fn forward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row = wg.x + wg.y * nwg.x;
  if (row >= p.n) { return; } // uniform per workgroup, so the barriers below stay uniform
  let o = row * p.d;
  var ss = 0.0;
  for (var j = lid.x; j < p.d; j += 64u) { ss = fma(x[o + j], x[o + j], ss); }
  let r = inverseSqrt(reduce64(lid.x, ss) / f32(p.d) + p.eps);
  for (var j = lid.x; j < p.d; j += 64u) { b3[o + j] = x[o + j] * r * w[j]; }
  if (lid.x == 0u) { b4[row] = r; }
}

// dx = rstd·w·dy − x · rstd³/d · Σ_j dy_j w_j x_j
@compute @workgroup_size(64)
fn backward_dx(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row = wg.x + wg.y * nwg.x;
  if (row >= p.n) { return; }
  let o = row * p.d;
  let r = b4[row];
  var dot = 0.0;
  for (var j = lid.x; j < p.d; j += 64u) { dot += b3[o + j] * w[j] * x[o + j]; }
  let c = reduce64(lid.x, dot) * r * r * r / f32(p.d);
  for (var j = lid.x; j < p.d; j += 64u) { b5[o + j] = r * w[j] * b3[o + j] - c * x[o + j]; }
}

// dw_j = Σ_rows dy·x·rstd
@compute @workgroup_size(64)
fn backward_dw(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  if (j >= p.d) { return; }
  var acc = 0.0;
  for (var row = 0u; row < p.n; row++) { acc = fma(b3[row * p.d + j] * x[row * p.d + j], b4[row], acc); }
  b5[j] = acc;
}

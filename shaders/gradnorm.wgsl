// Global gradient norm and clipping, as torch.nn.utils.clip_grad_norm_:
// norm = √Σ g² over every gradient tensor, coef = min(1, max_norm / (norm + 1e-6)).
// sumsq: each 256-thread workgroup writes one partial sum of squares into partials at
//   slot + workgroup (one dispatch per tensor, disjoint slots); finish: one workgroup
//   adds the partials and writes [norm, coef]; scale: g *= coef (or AdamW reads coef).

struct Params {
  n: u32,        // elements (sumsq, scale) or partials (finish)
  slot: u32,     // first partial slot of this tensor
  max_norm: f32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> g: array<f32>;
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;
@group(0) @binding(3) var<storage, read_write> result: array<f32>; // [norm, coef]

var<workgroup> red: array<f32, 256>;
const CHUNK: u32 = 4096u; // elements per workgroup

@compute @workgroup_size(256)
fn sumsq(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let start = wg.x * CHUNK;
  let end = min(p.n, start + CHUNK);
  var acc = 0.0;
  for (var i = start + lid.x; i < end; i += 256u) { acc = fma(g[i], g[i], acc); }
  red[lid.x] = acc;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s >>= 1u) {
    if (lid.x < s) { red[lid.x] += red[lid.x + s]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) { partials[p.slot + wg.x] = red[0]; }
}

@compute @workgroup_size(256)
fn finish(@builtin(local_invocation_id) lid: vec3<u32>) {
  var acc = 0.0;
  for (var i = lid.x; i < p.n; i += 256u) { acc += partials[i]; }
  red[lid.x] = acc;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s >>= 1u) {
    if (lid.x < s) { red[lid.x] += red[lid.x + s]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) {
    let norm = sqrt(red[0]);
    result[0] = norm;
    result[1] = min(1.0, p.max_norm / (norm + 1e-6));
  }
}

@compute @workgroup_size(64)
fn scale(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= p.n) { return; }
  g[i] *= result[1];
}

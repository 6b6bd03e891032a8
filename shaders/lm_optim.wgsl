// The optimizer step over the flat gradient / parameter / moment buffers (every trainable
// tensor of the model in one buffer each), so a step is three dispatches whatever the depth:
//   sumsq:  partial Σ g² of CHUNK contiguous elements per thread (no barriers: on a software
//           GPU a tree reduction per workgroup cost more than the squares themselves)
//   finish: [norm, coef, ok]: norm = √Σ partials; ok = 1 when the norm and the step's loss
//           (stats[0]) are finite; coef = torch clip_grad_norm_'s min(1, max_norm/(norm+1e-6))
//           (1 when max_norm ≤ 0), 0 when not ok
//   adamw:  torch.optim.AdamW on every element, g·coef; weight decay only below decay_end (the
//           norm weights sit after it: HF Trainer does not decay them); nothing at all when not ok,
//           so a NaN/Inf step leaves weights and moments untouched without a readback.
// Finiteness is tested on the bit pattern: WGSL lets compilers assume x == x.

struct Params {
  n: u32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  weight_decay: f32,
  bc1: f32,        // 1 − beta1^step
  bc2_sqrt: f32,   // √(1 − beta2^step)
  decay_end: u32,
  max_norm: f32,
  _a: u32,
  _b: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;
@group(0) @binding(3) var<storage, read> partials_in: array<f32>;
@group(0) @binding(4) var<storage, read> loss: array<f32>;
@group(0) @binding(5) var<storage, read_write> result: array<f32>;
@group(0) @binding(6) var<storage, read> result_in: array<f32>;
@group(0) @binding(7) var<storage, read_write> params: array<f32>;
@group(0) @binding(8) var<storage, read_write> m: array<f32>;
@group(0) @binding(9) var<storage, read_write> v: array<f32>;

const CHUNK: u32 = 256u;
var<workgroup> red: array<f32, 256>;

fn finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }

fn sum256(lid: u32, x: f32) -> f32 {
  red[lid] = x;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] += red[lid + s]; }
    workgroupBarrier();
  }
  return red[0];
}

@compute @workgroup_size(64)
fn sumsq(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let w = gid.x + gid.y * nwg.x * 64u;
  let start = w * CHUNK;
  if (start >= p.n) { return; }
  let end = min(p.n, start + CHUNK);
  var acc = 0.0;
  for (var i = start; i < end; i++) { acc = fma(grads[i], grads[i], acc); }
  partials[w] = acc;
}

// p.n = number of partials
@compute @workgroup_size(256)
fn finish(@builtin(local_invocation_id) lid: vec3<u32>) {
  var acc = 0.0;
  for (var i = lid.x; i < p.n; i += 256u) { acc += partials_in[i]; }
  let s = sum256(lid.x, acc);
  if (lid.x == 0u) {
    let norm = sqrt(s);
    let ok = finite(norm) && finite(loss[0]);
    var coef = 1.0;
    if (p.max_norm > 0.0) { coef = min(1.0, p.max_norm / (norm + 1e-6)); }
    result[0] = norm;
    result[1] = select(0.0, coef, ok);
    result[2] = select(0.0, 1.0, ok);
  }
}

@compute @workgroup_size(64)
fn adamw(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= p.n || result_in[2] == 0.0) { return; }
  let g = grads[i] * result_in[1];
  var wd = 0.0;
  if (i < p.decay_end) { wd = p.weight_decay; }
  let x = params[i] * (1.0 - p.lr * wd);
  let mi = p.beta1 * m[i] + (1.0 - p.beta1) * g;
  let vi = p.beta2 * v[i] + (1.0 - p.beta2) * g * g;
  m[i] = mi;
  v[i] = vi;
  params[i] = x - (p.lr / p.bc1) * mi / (sqrt(vi) / p.bc2_sqrt + p.eps);
}

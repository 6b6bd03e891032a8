// AdamW as torch.optim.AdamW (decoupled weight decay, bias-corrected), one thread per
// parameter. The gradient is multiplied by gscale[0] first: the clip coefficient the
// grad-norm kernel leaves on the GPU, so clipping needs no readback.

struct Params {
  n: u32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  weight_decay: f32,
  bc1: f32,      // 1 − beta1^step
  bc2_sqrt: f32, // √(1 − beta2^step)
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read> gscale: array<f32>;
@group(0) @binding(3) var<storage, read_write> param: array<f32>;
@group(0) @binding(4) var<storage, read_write> m: array<f32>;
@group(0) @binding(5) var<storage, read_write> v: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= p.n) { return; }
  let g = grad[i] * gscale[0];
  var x = param[i] * (1.0 - p.lr * p.weight_decay);
  let mi = p.beta1 * m[i] + (1.0 - p.beta1) * g;
  let vi = p.beta2 * v[i] + (1.0 - p.beta2) * g * g;
  m[i] = mi;
  v[i] = vi;
  let denom = sqrt(vi) / p.bc2_sqrt + p.eps;
  param[i] = x - (p.lr / p.bc1) * mi / denom;
}

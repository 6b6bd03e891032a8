// SwiGLU gate: h = silu(g) · u, silu(g) = g·σ(g). backward: dg = dh·u·σ(g)(1 + g(1 − σ(g))),
// du = dh·silu(g). One thread per element.

struct Params {
  n: u32,
  _a: u32,
  _b: u32,
  _c: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> g: array<f32>;
@group(0) @binding(2) var<storage, read> u: array<f32>;
// forward: 3 h. backward: 3 dh (read), 4 dg, 5 du
@group(0) @binding(3) var<storage, read_write> b3: array<f32>;
@group(0) @binding(4) var<storage, read_write> b4: array<f32>;
@group(0) @binding(5) var<storage, read_write> b5: array<f32>;

fn sigmoid(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }

@compute @workgroup_size(64)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= p.n) { return; }
  b3[i] = g[i] * sigmoid(g[i]) * u[i];
}

@compute @workgroup_size(64)
fn backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= p.n) { return; }
  let s = sigmoid(g[i]);
  let dh = b3[i];
  b4[i] = dh * u[i] * s * (1.0 + g[i] * (1.0 - s));
  b5[i] = dh * g[i] * s;
}

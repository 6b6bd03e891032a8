// SwiGLU of the Llama MLP on the fused gate/up projection: gu is [rows, 2f] (gate columns
// 0..f, up columns f..2f: the output of one matmul with gate_proj and up_proj stacked), and
// h = silu(gate)·up is [rows, f], the down projection's input.
// backward: dgate = dh·up·σ(g)(1 + g(1 − σ(g))), dup = dh·silu(g), written packed like gu.
// One thread per element of h.

struct Params {
  n: u32,   // rows · f
  f: u32,
  _a: u32,
  _b: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> gu: array<f32>;
@group(0) @binding(2) var<storage, read_write> h: array<f32>;     // forward out
@group(0) @binding(3) var<storage, read> dh: array<f32>;
@group(0) @binding(4) var<storage, read_write> dgu: array<f32>;   // backward out

fn sigmoid(x: f32) -> f32 { return 1.0 / (1.0 + exp(-x)); }

@compute @workgroup_size(64)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= p.n) { return; }
  let o = (i / p.f) * 2u * p.f + i % p.f;
  let g = gu[o];
  h[i] = g * sigmoid(g) * gu[o + p.f];
}

@compute @workgroup_size(64)
fn backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= p.n) { return; }
  let o = (i / p.f) * 2u * p.f + i % p.f;
  let g = gu[o];
  let u = gu[o + p.f];
  let s = sigmoid(g);
  let d = dh[i];
  dgu[o] = d * u * s * (1.0 + g * (1.0 - s));
  dgu[o + p.f] = d * g * s;
}

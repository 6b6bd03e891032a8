// Rotary position embedding, Llama / Hugging Face "rotate half" layout, on [rows, t, d]
// (rows = batch·heads): pair (j, j + d/2) at position pos = offset + t is rotated by
// angle pos · theta^(−2j/d). backward rotates the gradient by the opposite angle (the
// rotation is orthogonal). The cos/sin tables ([positions, d/2]) are computed once in
// float64 on the CPU: GPU sin/cos of large angles are only good to ~1e-4 (WGSL allows
// 2^-11 absolute error). One thread per pair.

struct Params {
  rows: u32,
  t: u32,
  d: u32,
  offset: u32,   // position of the first token (a KV cache's length when decoding)
  sign: f32,     // +1 forward, −1 backward
  _a: u32,
  _b: u32,
  _c: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read> cos_t: array<f32>;
@group(0) @binding(4) var<storage, read> sin_t: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let half = p.d / 2u;
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= p.rows * p.t * half) { return; }
  let j = i % half;
  let pos = (i / half) % p.t + p.offset;
  let base = (i / half) * p.d;
  let c = cos_t[pos * half + j];
  let s = sin_t[pos * half + j] * p.sign;
  let a = x[base + j];
  let b = x[base + j + half];
  y[base + j] = a * c - b * s;
  y[base + j + half] = b * c + a * s;
}

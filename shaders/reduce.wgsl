// out[0] = scale · Σ x: one 256-thread workgroup strides over x, then a tree reduction.
// Used for scalar losses, where one workgroup is plenty and keeps the sum deterministic.

struct Params {
  n: u32,
  scale: f32,
  _a: u32,
  _b: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

var<workgroup> red: array<f32, 256>;

@compute @workgroup_size(256)
fn sum(@builtin(local_invocation_id) lid: vec3<u32>) {
  var acc = 0.0;
  for (var i = lid.x; i < p.n; i += 256u) { acc += x[i]; }
  red[lid.x] = acc;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s >>= 1u) {
    if (lid.x < s) { red[lid.x] += red[lid.x + s]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) { out[0] = red[0] * p.scale; }
}

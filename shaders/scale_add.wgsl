// y[i] = alpha * x[i] + y[i]  (BLAS axpy). The smallest real kernel: it proves the
// worker → device → dispatch → readback path and the bounds check for lengths that
// are not a multiple of the workgroup size.

struct Params {
  n: u32,
  alpha: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  // 2-D grid: more than 65535 workgroups are split over y.
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= params.n) {
    return;
  }
  y[i] = params.alpha * x[i] + y[i];
}

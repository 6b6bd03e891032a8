// Log-softmax with target gather over rows of v logits: logp[row] = logits[row, target] −
// logsumexp(row). Per-token log-probs for GRPO and, with dlogp = −1/count, cross-entropy.
// A negative target means "no target" (prompt or padding): logp = 0 and no gradient.

struct Params {
  n: u32,
  v: u32,
  _a: u32,
  _b: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<i32>;
// forward: 3 logp, 4 lse. backward: 3 dlogp (read), 4 lse, 5 dlogits
@group(0) @binding(3) var<storage, read_write> b3: array<f32>;
@group(0) @binding(4) var<storage, read_write> b4: array<f32>;
@group(0) @binding(5) var<storage, read_write> b5: array<f32>;

var<workgroup> red: array<f32, 64>;

@compute @workgroup_size(64)
fn forward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row = wg.x + wg.y * nwg.x;
  if (row >= p.n) { return; }
  let o = row * p.v;
  var mx = -3.0e38;
  for (var j = lid.x; j < p.v; j += 64u) { mx = max(mx, logits[o + j]); }
  red[lid.x] = mx;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (lid.x < s) { red[lid.x] = max(red[lid.x], red[lid.x + s]); }
    workgroupBarrier();
  }
  let m = red[0];
  workgroupBarrier();
  var se = 0.0;
  for (var j = lid.x; j < p.v; j += 64u) { se += exp(logits[o + j] - m); }
  red[lid.x] = se;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (lid.x < s) { red[lid.x] += red[lid.x + s]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) {
    let lse = m + log(red[0]);
    b4[row] = lse;
    let tg = targets[row];
    if (tg >= 0) { b3[row] = logits[o + u32(tg)] - lse; } else { b3[row] = 0.0; }
  }
}

// dlogits[row, j] = dlogp[row] · (1[j = target] − softmax_j)
@compute @workgroup_size(64)
fn backward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= p.n * p.v) { return; }
  let row = i / p.v;
  let j = i % p.v;
  let tg = targets[row];
  if (tg < 0) { b5[i] = 0.0; return; }
  var hot = 0.0;
  if (u32(tg) == j) { hot = 1.0; }
  b5[i] = b3[row] * (hot - exp(logits[i] - b4[row]));
}

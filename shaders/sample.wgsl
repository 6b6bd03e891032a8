// Softmax sampling with temperature and top-p (nucleus), one 256-thread workgroup per row
// of logits. The caller supplies one uniform random number per row (the RNG stays seeded
// on the CPU, so a run replays exactly). temperature 0 means greedy (argmax, first on ties).
// top-p: the kept set is {j : q_j ≥ τ} for the largest τ whose kept mass is still ≥ top_p,
// i.e. the smallest set of most likely tokens reaching top_p (ties at the edge all kept);
// τ is found by bisection (no sort). The token is then drawn in index order from the kept
// probabilities: the first j whose running sum exceeds u·(kept mass).

struct Params {
  n: u32,
  v: u32,
  temperature: f32,
  top_p: f32,
  u_off: u32,   // first uniform number to use (generation keeps one block per step)
  id_off: u32,  // where to write the ids (generation writes step s at s·rows)
  _a: u32,
  _b: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> u: array<f32>;
@group(0) @binding(3) var<storage, read_write> ids: array<u32>;

const WG: u32 = 256u;
var<workgroup> red: array<f32, 256>;
var<workgroup> redi: array<u32, 256>;
var<workgroup> pick: vec2<f32>; // (chunk, residual target)

fn sum_all(lid: u32, x: f32) -> f32 {
  red[lid] = x;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] += red[lid + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

fn max_all(lid: u32, x: f32) -> f32 {
  red[lid] = x;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] = max(red[lid], red[lid + s]); }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
  let row = wg.x + wg.y * nwg.x;
  if (row >= p.n) { return; } // uniform per workgroup
  let lid = lid3.x;
  let o = row * p.v;
  // each thread owns a contiguous chunk, so index order is chunk order
  let chunk = (p.v + WG - 1u) / WG;
  let c0 = min(p.v, lid * chunk);
  let c1 = min(p.v, c0 + chunk);
  var mx = -3.0e38;
  var arg = 0xffffffffu;
  for (var j = c0; j < c1; j++) {
    if (logits[o + j] > mx) { mx = logits[o + j]; arg = j; }
  }
  let gmax = max_all(lid, mx);
  if (p.temperature <= 0.0) {
    // greedy: the first index holding the max
    var first = 0xffffffffu;
    if (mx == gmax) { first = arg; }
    redi[lid] = first;
    workgroupBarrier();
    for (var s = WG / 2u; s > 0u; s >>= 1u) {
      if (lid < s) { redi[lid] = min(redi[lid], redi[lid + s]); }
      workgroupBarrier();
    }
    if (lid == 0u) { ids[p.id_off + row] = redi[0]; }
    return;
  }
  let inv_t = 1.0 / p.temperature;
  var z = 0.0;
  for (var j = c0; j < c1; j++) { z += exp((logits[o + j] - gmax) * inv_t); }
  let inv_z = 1.0 / sum_all(lid, z);
  // bisection for τ: mass(τ) = Σ_{q ≥ τ} q is non-increasing; keep the largest τ with mass ≥ top_p
  var lo = 0.0;
  if (p.top_p < 1.0) {
    var hi = 1.0 + 1e-6; // above every q: mass 0
    for (var it = 0u; it < 40u; it++) {
      let mid = 0.5 * (lo + hi);
      var m = 0.0;
      for (var j = c0; j < c1; j++) {
        let q = exp((logits[o + j] - gmax) * inv_t) * inv_z;
        if (q >= mid) { m += q; }
      }
      if (sum_all(lid, m) >= p.top_p) { lo = mid; } else { hi = mid; }
    }
  }
  var kept = 0.0;
  for (var j = c0; j < c1; j++) {
    let q = exp((logits[o + j] - gmax) * inv_t) * inv_z;
    if (q >= lo) { kept += q; }
  }
  red[lid] = kept;
  workgroupBarrier();
  if (lid == 0u) {
    var total = 0.0;
    for (var t = 0u; t < WG; t++) { total += red[t]; }
    let goal = u[p.u_off + row] * total;
    var acc = 0.0;
    var ch = 0u;
    var last = 0u;
    var found = false;
    for (var t = 0u; t < WG; t++) {
      if (red[t] > 0.0) { last = t; }
      if (!found && red[t] > 0.0 && acc + red[t] > goal) { ch = t; found = true; }
      if (!found) { acc += red[t]; }
    }
    if (!found) { ch = last; acc = total - red[last]; } // rounding pushed the goal past the end
    pick = vec2<f32>(f32(ch), goal - acc);
  }
  workgroupBarrier();
  if (lid == u32(pick.x)) {
    var acc = 0.0;
    var chosen = 0xffffffffu;
    var lastj = c0;
    for (var j = c0; j < c1; j++) {
      let q = exp((logits[o + j] - gmax) * inv_t) * inv_z;
      if (q >= lo) {
        lastj = j;
        acc += q;
        if (chosen == 0xffffffffu && acc > pick.y) { chosen = j; }
      }
    }
    if (chosen == 0xffffffffu) { chosen = lastj; }
    ids[p.id_off + row] = chosen;
  }
}

// The same draw with one thread per row and no barriers, for vocabularies up to a few thousand:
// on a software GPU the 256-thread form spends its time in the ~40 barrier-separated reductions
// of the top-p bisection (measured ~30 ms per row at v = 500 on SwiftShader). Same kept set, same
// index-order draw; sums run sequentially instead of as a tree (float rounding differs only).
@compute @workgroup_size(64)
fn rows(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = gid.x + gid.y * nwg.x * 64u;
  if (row >= p.n) { return; }
  let o = row * p.v;
  var mx = logits[o];
  var arg = 0u;
  for (var j = 1u; j < p.v; j++) {
    if (logits[o + j] > mx) { mx = logits[o + j]; arg = j; }
  }
  if (p.temperature <= 0.0) {
    ids[p.id_off + row] = arg;
    return;
  }
  let inv_t = 1.0 / p.temperature;
  var z = 0.0;
  for (var j = 0u; j < p.v; j++) { z += exp((logits[o + j] - mx) * inv_t); }
  let inv_z = 1.0 / z;
  var lo = 0.0;
  if (p.top_p < 1.0) {
    var hi = 1.0 + 1e-6;
    for (var it = 0u; it < 40u; it++) {
      let mid = 0.5 * (lo + hi);
      var m = 0.0;
      for (var j = 0u; j < p.v; j++) {
        let q = exp((logits[o + j] - mx) * inv_t) * inv_z;
        if (q >= mid) { m += q; }
      }
      if (m >= p.top_p) { lo = mid; } else { hi = mid; }
    }
  }
  var kept = 0.0;
  for (var j = 0u; j < p.v; j++) {
    let q = exp((logits[o + j] - mx) * inv_t) * inv_z;
    if (q >= lo) { kept += q; }
  }
  let goal = u[p.u_off + row] * kept;
  var acc = 0.0;
  var chosen = 0xffffffffu;
  var lastj = 0u;
  for (var j = 0u; j < p.v; j++) {
    let q = exp((logits[o + j] - mx) * inv_t) * inv_z;
    if (q >= lo) {
      lastj = j;
      acc += q;
      if (chosen == 0xffffffffu && acc > goal) { chosen = j; }
    }
  }
  if (chosen == 0xffffffffu) { chosen = lastj; } // rounding pushed the goal past the end
  ids[p.id_off + row] = chosen;
}

// GRPO maths, TRL-compatible (GRPOTrainer / GRPOConfig names).
// advantage: per group of G rewards, A = r − mean_group, divided by (std + 1e-4) with the
//   sample std (N−1) of the group ("group") or of the whole batch ("batch"), or not ("none").
// loss: per token ρ = exp(logp − old_logp), l = −min(ρA, clip(ρ, 1−ε_low, 1+ε_high)A)
//   + β(exp(ref − logp) − (ref − logp) − 1), aggregated by loss_type with weights w:
//   grpo: mask / (N · max(1, Σ_t mask_i)); dr_grpo: mask / (N · max_completion_length);
//   bnpo: mask / max(1, Σ mask); dapo, cispo: mask / max(1, num_items_in_batch) (the masked
//   tokens of the whole step, 0 = this batch's); paper: l = −A·logp, w = mask / N (equation 1:
//   no ratio, clip or KL). cispo: l = −min(ρ, ε_high)·A·logp with the clamped ratio detached.
//   The kernel writes w·l per token (summed by reduce.wgsl) and dlogp = w·∂l/∂logp.

struct Params {
  n: u32,          // rewards (advantage) or sequences (loss)
  t: u32,          // group size (advantage) or tokens per sequence (loss)
  mode: u32,       // scale_rewards 0 group, 1 batch, 2 none | loss_type 0 grpo, 1 dr_grpo, 2 dapo, 3 paper, 4 bnpo, 5 cispo
  max_len: u32,
  eps_low: f32,
  eps_high: f32,
  beta: f32,
  num_items: f32,  // dapo/cispo normaliser; 0 = this batch's masked tokens
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> in0: array<f32>;   // rewards | logp
@group(0) @binding(2) var<storage, read_write> out0: array<f32>; // advantages | mask counts [total, per row…]
@group(0) @binding(3) var<storage, read> in1: array<f32>;   // old_logp
@group(0) @binding(4) var<storage, read> in2: array<f32>;   // ref_logp
@group(0) @binding(5) var<storage, read> in3: array<f32>;   // advantages
@group(0) @binding(6) var<storage, read> in4: array<f32>;   // mask
@group(0) @binding(7) var<storage, read_write> out1: array<f32>; // w·l per token
@group(0) @binding(8) var<storage, read_write> out2: array<f32>; // dlogp

var<workgroup> red: array<f32, 256>;

fn reduce256(lid: u32, v: f32) -> f32 {
  red[lid] = v;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] += red[lid + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

// one workgroup; thread g handles groups g, g+256, … . "batch" needs the std of all rewards
// first; it is reduced before any advantage is written, so no thread reads another's output
// (storage writes are not made visible by workgroupBarrier alone).
@compute @workgroup_size(256)
fn advantage(@builtin(local_invocation_id) lid: vec3<u32>) {
  let G = p.t;
  let groups = p.n / G;
  var batch_div = 1.0;
  if (p.mode == 1u) { // uniform: the reductions below need the whole workgroup
    var sum_all = 0.0;
    for (var i = lid.x; i < p.n; i += 256u) { sum_all += in0[i]; }
    let mean_all = reduce256(lid.x, sum_all) / f32(p.n);
    var ss_all = 0.0;
    for (var i = lid.x; i < p.n; i += 256u) { let e = in0[i] - mean_all; ss_all += e * e; }
    batch_div = sqrt(reduce256(lid.x, ss_all) / f32(p.n - 1u)) + 1e-4;
  }
  for (var g = lid.x; g < groups; g += 256u) {
    var mean = 0.0;
    for (var j = 0u; j < G; j++) { mean += in0[g * G + j]; }
    mean /= f32(G);
    var div = batch_div;
    if (p.mode == 0u) {
      var ss = 0.0;
      for (var j = 0u; j < G; j++) { let e = in0[g * G + j] - mean; ss += e * e; }
      div = sqrt(ss / f32(G - 1u)) + 1e-4;
    }
    for (var j = 0u; j < G; j++) { out0[g * G + j] = (in0[g * G + j] - mean) / div; }
  }
}

// one workgroup: out0[1 + i] = Σ_t mask_i, out0[0] = Σ over all rows
@compute @workgroup_size(256)
fn mask_counts(@builtin(local_invocation_id) lid: vec3<u32>) {
  var total = 0.0;
  for (var i = lid.x; i < p.n; i += 256u) {
    var c = 0.0;
    for (var j = 0u; j < p.t; j++) { c += in4[i * p.t + j]; }
    out0[1u + i] = c;
    total += c;
  }
  let all = reduce256(lid.x, total);
  if (lid.x == 0u) { out0[0] = all; }
}

@compute @workgroup_size(64)
fn token_loss(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let idx = gid.x + gid.y * nwg.x * 64u;
  if (idx >= p.n * p.t) { return; }
  let i = idx / p.t;
  let mask = in4[idx];
  let a = in3[i];
  let lp = in0[idx];
  var w = 0.0;
  switch p.mode {
    case 0u: { w = mask / (f32(p.n) * max(1.0, out0[1u + i])); }
    case 1u: { w = mask / (f32(p.n) * f32(p.max_len)); }
    case 2u, 5u: {
      var items = p.num_items;
      if (items == 0.0) { items = out0[0]; }
      w = mask / max(1.0, items);
    }
    case 4u: { w = mask / max(1.0, out0[0]); }
    default: { w = mask / f32(p.n); }
  }
  if (w == 0.0) { out1[idx] = 0.0; out2[idx] = 0.0; return; }
  if (p.mode == 3u) {
    out1[idx] = -w * a * lp;
    out2[idx] = -w * a;
    return;
  }
  let rho = exp(lp - in1[idx]);
  var l = 0.0;
  var g = 0.0;
  if (p.mode == 5u) {
    let cw = min(rho, p.eps_high);
    l = -cw * a * lp;
    g = -cw * a;
  } else {
    let clipped = clamp(rho, 1.0 - p.eps_low, 1.0 + p.eps_high);
    let u = rho * a;
    let c = clipped * a;
    l = -min(u, c);
    // the unclipped branch carries the gradient when it is the min (ties: same value and slope)
    if (u <= c) { g = -u; }
  }
  if (p.beta != 0.0) {
    let dr = in2[idx] - lp;
    let er = exp(dr);
    l += p.beta * (er - dr - 1.0);
    g += p.beta * (1.0 - er);
  }
  out1[idx] = w * l;
  out2[idx] = w * g;
}

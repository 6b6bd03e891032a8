// The language-model head's objective per token row of logits [n, v] (token: one thread per row,
// for vocabularies up to a few thousand, barrier-free, the fast form on a software GPU; token_wide:
// one 64-thread workgroup per row with tree reductions, for large pretrained vocabularies):
// log-softmax at temperature τ (TRL: logits / temperature), the target's log-prob, the entropy
// of the distribution, the argmax hit, the per-token loss l and ∂l/∂logp for the objective,
// and, when grad = 1, dlogits = w·∂l/∂logp·(onehot(target) − softmax)/τ written over the logits
// in place (each thread rewrites only the columns it read). Per-token weights w come from the
// CPU (model/objective.ts: the loss_type's normaliser across micro-batches).
// mode: 0 sft (l = −logp), 1 clipped surrogate (grpo, dr_grpo, dapo, bnpo: TRL's
//   −min(ρA, clip(ρ, 1−ε_low, 1+ε_high)A)), 2 paper (−A·logp), 3 cispo (−min(ρ, ε_high)·A·logp,
//   weight detached); plus β·k3 KL (exp(ref − logp) − (ref − logp) − 1) when beta ≠ 0.
// stats row (8 floats per token, at stat_off + row): w·l, entropy, hit, clipped low, clipped
// high, clipped either, k3, logp; zeros (and no gradient) where target < 0.
// reduce: sums stats columns 0..6 over `n` rows into out[0..7) (one 256-thread workgroup).

struct Params {
  n: u32,
  v: u32,
  t: u32,          // tokens per sequence: the advantage of row r is adv[r / t]
  mode: u32,
  eps_low: f32,
  eps_high: f32,
  beta: f32,
  inv_tau: f32,
  has_old: u32,
  has_ref: u32,
  grad: u32,
  stat_off: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> logits: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<i32>;
@group(0) @binding(3) var<storage, read> tokw: array<f32>;
@group(0) @binding(4) var<storage, read> adv: array<f32>;
@group(0) @binding(5) var<storage, read> old_lp: array<f32>;
@group(0) @binding(6) var<storage, read> ref_lp: array<f32>;
@group(0) @binding(7) var<storage, read_write> stats: array<f32>;
@group(0) @binding(8) var<storage, read> stats_in: array<f32>;
@group(0) @binding(9) var<storage, read_write> out: array<f32>;

var<workgroup> red: array<f32, 64>;
var<workgroup> redi: array<u32, 64>;

fn sum64(lid: u32, x: f32) -> f32 {
  red[lid] = x;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] += red[lid + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

struct Obj { l: f32, g: f32, lo: f32, hi: f32, kl: f32 }

// the per-token loss l, ∂l/∂logp, clip flags and k3 for the objective (see the header)
fn objective(row: u32, logp: f32) -> Obj {
  let a = adv[row / p.t];
  var old = logp;
  if (p.has_old != 0u) { old = old_lp[row]; }
  var r = Obj(0.0, 0.0, 0.0, 0.0, 0.0);
  switch p.mode {
    case 0u: { r.l = -logp; r.g = -1.0; }
    case 2u: { r.l = -a * logp; r.g = -a; }
    case 3u: {
      let rho = exp(logp - old);
      let cw = min(rho, p.eps_high);
      r.l = -cw * a * logp;
      r.g = -cw * a;
      if (rho > p.eps_high && a > 0.0) { r.hi = 1.0; }
    }
    default: {
      let rho = exp(logp - old);
      let clipped = clamp(rho, 1.0 - p.eps_low, 1.0 + p.eps_high);
      let u = rho * a;
      let c = clipped * a;
      r.l = -min(u, c);
      // the unclipped branch carries the gradient when it is the min (ties: same value and slope)
      if (u <= c) { r.g = -u; }
      if (rho < 1.0 - p.eps_low && a < 0.0) { r.lo = 1.0; }
      if (rho > 1.0 + p.eps_high && a > 0.0) { r.hi = 1.0; }
    }
  }
  if (p.has_ref != 0u && p.mode != 0u) {
    let dr = ref_lp[row] - logp;
    let er = exp(dr);
    r.kl = er - dr - 1.0;
    if (p.beta != 0.0 && p.mode != 2u) {
      r.l += p.beta * r.kl;
      r.g += p.beta * (1.0 - er);
    }
  }
  return r;
}

fn write_stats(row: u32, w: f32, o: Obj, entropy: f32, hit: bool, logp: f32) {
  let so = (p.stat_off + row) * 8u;
  stats[so] = w * o.l;
  stats[so + 1u] = entropy;
  stats[so + 2u] = select(0.0, 1.0, hit);
  stats[so + 3u] = o.lo;
  stats[so + 4u] = o.hi;
  stats[so + 5u] = max(o.lo, o.hi);
  stats[so + 6u] = o.kl;
  stats[so + 7u] = logp;
}

@compute @workgroup_size(64)
fn token(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = gid.x + gid.y * nwg.x * 64u;
  if (row >= p.n) { return; }
  let o = row * p.v;
  let tg = targets[row];
  if (tg < 0) {
    if (p.grad != 0u) { for (var j = 0u; j < p.v; j++) { logits[o + j] = 0.0; } }
    for (var k = 0u; k < 8u; k++) { stats[(p.stat_off + row) * 8u + k] = 0.0; }
    return;
  }
  var mx = logits[o];
  var arg = 0u;
  for (var j = 1u; j < p.v; j++) {
    let z = logits[o + j];
    if (z > mx) { mx = z; arg = j; }
  }
  var sum = 0.0;
  var sumz = 0.0;
  for (var j = 0u; j < p.v; j++) {
    let zz = (logits[o + j] - mx) * p.inv_tau;
    let e = exp(zz);
    sum += e;
    sumz += e * zz;
  }
  let lse = log(sum);
  let logp = (logits[o + u32(tg)] - mx) * p.inv_tau - lse;
  let w = tokw[row];
  let ob = objective(row, logp);
  if (p.grad != 0u) {
    let gl = w * ob.g * p.inv_tau;
    let inv = 1.0 / sum;
    for (var j = 0u; j < p.v; j++) {
      let pj = exp((logits[o + j] - mx) * p.inv_tau) * inv;
      logits[o + j] = gl * (select(0.0, 1.0, j == u32(tg)) - pj);
    }
  }
  write_stats(row, w, ob, lse - sumz / sum, arg == u32(tg), logp);
}

@compute @workgroup_size(64)
fn token_wide(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid3: vec3<u32>) {
  let row = wg.x + wg.y * nwg.x;
  if (row >= p.n) { return; } // uniform per workgroup
  let lid = lid3.x;
  let o = row * p.v;
  let tg = targets[row];
  if (tg < 0) {
    if (p.grad != 0u) { for (var j = lid; j < p.v; j += 64u) { logits[o + j] = 0.0; } }
    if (lid < 8u) { stats[(p.stat_off + row) * 8u + lid] = 0.0; }
    return;
  }
  // read before any thread starts overwriting its columns with dlogits
  let zt = logits[o + u32(tg)];
  var mx = -3.0e38;
  var arg = 0xffffffffu;
  for (var j = lid; j < p.v; j += 64u) {
    let z = logits[o + j];
    if (z > mx) { mx = z; arg = j; }
  }
  red[lid] = mx;
  redi[lid] = arg;
  workgroupBarrier();
  for (var s = 32u; s > 0u; s >>= 1u) {
    if (lid < s) {
      let a = red[lid];
      let b = red[lid + s];
      if (b > a || (b == a && redi[lid + s] < redi[lid])) { red[lid] = b; redi[lid] = redi[lid + s]; }
    }
    workgroupBarrier();
  }
  let gmax = red[0];
  let amax = redi[0];
  workgroupBarrier();
  var se = 0.0;
  var sz = 0.0;
  for (var j = lid; j < p.v; j += 64u) {
    let zz = (logits[o + j] - gmax) * p.inv_tau;
    let e = exp(zz);
    se += e;
    sz += e * zz;
  }
  let sum = sum64(lid, se);
  let sumz = sum64(lid, sz);
  let lse = log(sum);
  let logp = (zt - gmax) * p.inv_tau - lse;
  let w = tokw[row];
  let ob = objective(row, logp);
  if (p.grad != 0u) {
    let gl = w * ob.g * p.inv_tau;
    let inv = 1.0 / sum;
    for (var j = lid; j < p.v; j += 64u) {
      let pj = exp((logits[o + j] - gmax) * p.inv_tau) * inv;
      logits[o + j] = gl * (select(0.0, 1.0, j == u32(tg)) - pj);
    }
  }
  if (lid == 0u) { write_stats(row, w, ob, lse - sumz / sum, amax == u32(tg), logp); }
}

var<workgroup> red7: array<f32, 1792>; // 256 threads × 7 columns

@compute @workgroup_size(256)
fn reduce(@builtin(local_invocation_id) lid3: vec3<u32>) {
  let lid = lid3.x;
  var acc: array<f32, 7>;
  for (var c = 0u; c < 7u; c++) { acc[c] = 0.0; }
  for (var r = lid; r < p.n; r += 256u) {
    for (var c = 0u; c < 7u; c++) { acc[c] += stats_in[r * 8u + c]; }
  }
  for (var c = 0u; c < 7u; c++) { red7[c * 256u + lid] = acc[c]; }
  workgroupBarrier();
  for (var s = 128u; s > 0u; s >>= 1u) {
    if (lid < s) {
      for (var c = 0u; c < 7u; c++) { red7[c * 256u + lid] += red7[c * 256u + lid + s]; }
    }
    workgroupBarrier();
  }
  if (lid < 7u) { out[lid] = red7[lid * 256u]; }
}

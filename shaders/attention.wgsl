// Fused multi-head attention over [batch·heads, t, D] (D and BC are prepended as consts by
// the runtime: D = head dim, BC = keys per shared tile, sized to the device's workgroup
// memory). One thread per query row (forward, dq) or key row (dk/dv), 64 rows per
// workgroup; the other operand streams through workgroup memory BC rows at a time, so
// the t×t score matrix never exists in global memory.
// forward: online softmax (running max and sum, rescaled when the max grows); it saves
// lse = logsumexp of the scaled scores per row for the backward pass (FlashAttention-2).
// 64 rows per workgroup: 32 was slower on SwiftShader (t = 256/512, d = 64: fwd 1.3–2×,
// bwd 1.2–1.7× the time), 128 not consistently faster (within run-to-run noise).

struct Params {
  t: u32,
  causal: u32,
  scale: f32,
  _pad: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;
@group(0) @binding(2) var<storage, read> k: array<f32>;
@group(0) @binding(3) var<storage, read> v: array<f32>;
// forward: o (rw), lse (rw). dq: o, do, lse, dq(rw), delta(rw). dkdv: do, lse, delta, dk(rw), dv(rw)
@group(0) @binding(4) var<storage, read_write> b4: array<f32>;
@group(0) @binding(5) var<storage, read_write> b5: array<f32>;
@group(0) @binding(6) var<storage, read_write> b6: array<f32>;
@group(0) @binding(7) var<storage, read_write> b7: array<f32>;
@group(0) @binding(8) var<storage, read_write> b8: array<f32>;

const BR: u32 = 64u;
var<workgroup> s0: array<f32, BC * D>;
var<workgroup> s1: array<f32, BC * D>;
var<workgroup> s2: array<f32, BC>;
var<workgroup> s3: array<f32, BC>;

// keys this workgroup's queries can see
fn key_end(wg_x: u32) -> u32 {
  if (p.causal != 0u) { return min(p.t, wg_x * BR + BR); }
  return p.t;
}

fn keys_visible(i: u32, j0: u32) -> u32 {
  var n = min(BC, p.t - j0);
  if (p.causal != 0u) {
    if (i < j0) { return 0u; }
    n = min(n, i - j0 + 1u);
  }
  return n;
}

// K and V rows j0 .. j0+BC of one head into workgroup memory (s0, s1), by all 64 threads;
// shared by forward and backward_dq, which stream keys the same way.
fn load_kv_tile(base: u32, j0: u32, tid: u32) {
  for (var e = tid; e < BC * D; e += 64u) {
    let r = j0 + e / D;
    if (r < p.t) { s0[e] = k[base + r * D + e % D]; s1[e] = v[base + r * D + e % D]; }
  }
}

@compute @workgroup_size(64)
fn forward(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let base = wg.y * p.t * D;
  let i = wg.x * BR + lid.x;
  let valid = i < p.t;
  var qi: array<f32, D>;
  var acc: array<f32, D>;
  if (valid) {
    for (var d = 0u; d < D; d++) { qi[d] = q[base + i * D + d] * p.scale; acc[d] = 0.0; }
  }
  var mx = -3.0e38;
  var l = 0.0;
  let kend = key_end(wg.x);
  for (var j0 = 0u; j0 < kend; j0 += BC) {
    load_kv_tile(base, j0, lid.x);
    workgroupBarrier();
    if (valid) {
      let n = keys_visible(i, j0);
      for (var jj = 0u; jj < n; jj++) {
        var s = 0.0;
        for (var d = 0u; d < D; d++) { s = fma(qi[d], s0[jj * D + d], s); }
        if (s > mx) {
          let c = exp(mx - s);
          l *= c;
          for (var d = 0u; d < D; d++) { acc[d] *= c; }
          mx = s;
        }
        let e = exp(s - mx);
        l += e;
        for (var d = 0u; d < D; d++) { acc[d] = fma(e, s1[jj * D + d], acc[d]); }
      }
    }
    workgroupBarrier();
  }
  if (valid) {
    let inv = 1.0 / l;
    for (var d = 0u; d < D; d++) { b4[base + i * D + d] = acc[d] * inv; }
    b5[wg.y * p.t + i] = mx + log(l);
  }
}

// dq_i = scale · Σ_j P_ij (dO_i·v_j − δ_i) k_j, with P_ij = exp(s_ij − lse_i), δ_i = dO_i·o_i.
// bindings: 4 o, 5 do, 6 lse, 7 dq (out), 8 delta (out)
@compute @workgroup_size(64)
fn backward_dq(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let base = wg.y * p.t * D;
  let i = wg.x * BR + lid.x;
  let valid = i < p.t;
  var qi: array<f32, D>;
  var doi: array<f32, D>;
  var dq: array<f32, D>;
  var delta = 0.0;
  var lse = 0.0;
  if (valid) {
    for (var d = 0u; d < D; d++) {
      qi[d] = q[base + i * D + d] * p.scale;
      doi[d] = b5[base + i * D + d];
      delta = fma(doi[d], b4[base + i * D + d], delta);
      dq[d] = 0.0;
    }
    lse = b6[wg.y * p.t + i];
  }
  let kend = key_end(wg.x);
  for (var j0 = 0u; j0 < kend; j0 += BC) {
    load_kv_tile(base, j0, lid.x);
    workgroupBarrier();
    if (valid) {
      let n = keys_visible(i, j0);
      for (var jj = 0u; jj < n; jj++) {
        var s = 0.0;
        var dp = 0.0;
        for (var d = 0u; d < D; d++) {
          s = fma(qi[d], s0[jj * D + d], s);
          dp = fma(doi[d], s1[jj * D + d], dp);
        }
        let ds = exp(s - lse) * (dp - delta);
        for (var d = 0u; d < D; d++) { dq[d] = fma(ds, s0[jj * D + d], dq[d]); }
      }
    }
    workgroupBarrier();
  }
  if (valid) {
    for (var d = 0u; d < D; d++) { b7[base + i * D + d] = dq[d] * p.scale; }
    b8[wg.y * p.t + i] = delta;
  }
}

// dv_j = Σ_i P_ij dO_i ; dk_j = scale · Σ_i P_ij (dO_i·v_j − δ_i) q_i  (one thread per key j)
// bindings: 4 do, 5 lse, 6 delta, 7 dk (out), 8 dv (out)
@compute @workgroup_size(64)
fn backward_dkdv(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let base = wg.y * p.t * D;
  let j = wg.x * BR + lid.x;
  let valid = j < p.t;
  var kj: array<f32, D>;
  var vj: array<f32, D>;
  var dk: array<f32, D>;
  var dv: array<f32, D>;
  if (valid) {
    for (var d = 0u; d < D; d++) {
      kj[d] = k[base + j * D + d] * p.scale;
      vj[d] = v[base + j * D + d];
      dk[d] = 0.0;
      dv[d] = 0.0;
    }
  }
  // causal: queries before this workgroup's first key see none of its keys
  var i0 = 0u;
  if (p.causal != 0u) { i0 = (wg.x * BR) / BC * BC; }
  for (var q0 = i0; q0 < p.t; q0 += BC) {
    for (var e = lid.x; e < BC * D; e += 64u) {
      let r = q0 + e / D;
      if (r < p.t) { s0[e] = q[base + r * D + e % D]; s1[e] = b4[base + r * D + e % D]; }
    }
    for (var e = lid.x; e < BC; e += 64u) {
      if (q0 + e < p.t) { s2[e] = b5[wg.y * p.t + q0 + e]; s3[e] = b6[wg.y * p.t + q0 + e]; }
    }
    workgroupBarrier();
    if (valid) {
      var first = 0u;
      if (p.causal != 0u && j > q0) { first = min(BC, j - q0); }
      let n = min(BC, p.t - q0);
      for (var ii = first; ii < n; ii++) {
        var s = 0.0;
        var dp = 0.0;
        for (var d = 0u; d < D; d++) {
          s = fma(kj[d], s0[ii * D + d], s);
          dp = fma(vj[d], s1[ii * D + d], dp);
        }
        let pij = exp(s - s2[ii]);
        let ds = pij * (dp - s3[ii]);
        for (var d = 0u; d < D; d++) {
          dv[d] = fma(pij, s1[ii * D + d], dv[d]);
          dk[d] = fma(ds, s0[ii * D + d], dk[d]);
        }
      }
    }
    workgroupBarrier();
  }
  if (valid) {
    for (var d = 0u; d < D; d++) {
      b7[base + j * D + d] = dk[d] * p.scale;
      b8[base + j * D + d] = dv[d];
    }
  }
}

// Causal self-attention of a Llama layer with rotary embeddings and grouped-query heads,
// reading the packed q/k/v projection directly: qkv is [B·T, QKV] with QKV = (NH + 2·NKV)·D
// (q heads, then k heads, then v heads: the fused q_proj/k_proj/v_proj output). Query head h
// reads kv head h / (NH / NKV). rope_qk rotates the q and k columns in place (Hugging Face
// rotate_half: pair (j, j + D/2) at angle pos·theta^(−2j/D), from a float64-built table
// [cos | sin], each [positions, D/2]); the backward rotates dq and dk back as it writes them,
// so dqkv is the gradient of the unrotated projection. att and datt are [B·T, NH·D] (heads
// merged): the layout o_proj reads, so no split, transpose or merge kernels run around attention.
// forward / backward_dq: one thread per query row (b, h, i), rows flattened over the grid;
// backward_dkdv: one thread per key row (b, g, j) of a kv head, looping over every query head
// that shares it, so GQA needs no atomics. No workgroup memory and no barriers: on a software
// GPU (SwiftShader) barriers cost far more than re-reading K/V, and on real GPUs the threads of
// a workgroup read the same key rows at the same time (broadcast loads). FlashAttention-2 maths:
// online softmax in the forward, lse saved, no T×T buffer.
// decode: one thread per (row, query head), one new token per row against a KV cache with
// per-row lengths. kv_fill: prefill's (rotated) k and v into the cache.
// D (head dim) is a prepended const.

struct Params {
  t: u32,          // tokens per row (training / prefill) | rows (decode)
  nh: u32,
  nkv: u32,
  scale: f32,
  sin_off: u32,    // where the sin half of the rope table starts
  cache_len: u32,  // decode / kv_fill: positions per row in the cache
  k_off: u32,      // decode / kv_fill: first element of this layer's K cache
  v_off: u32,      //                   and of its V cache
  step: u32,       // decode: the new token of row b sits at position lens[b] + step
  rows: u32,       // sequences (training, prefill, rope_qk, kv_fill)
  _b: u32,
  _c: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> qkv: array<f32>;
@group(0) @binding(2) var<storage, read> rope: array<f32>;
// forward: 3 att (out), 4 lse (out). dq: 5 att, 6 datt, 4 lse (read), 7 dqkv, 8 delta.
// dkdv: 6 datt, 4 lse, 8 delta (read), 7 dqkv. decode: 3 att, 9 lens, 10 cache. kv_fill: 10 cache.
@group(0) @binding(3) var<storage, read_write> att: array<f32>;
@group(0) @binding(4) var<storage, read_write> lse_buf: array<f32>;
@group(0) @binding(5) var<storage, read> att_in: array<f32>;
@group(0) @binding(6) var<storage, read> datt: array<f32>;
@group(0) @binding(7) var<storage, read_write> dqkv: array<f32>;
@group(0) @binding(8) var<storage, read_write> delta_buf: array<f32>;
@group(0) @binding(9) var<storage, read> lens: array<u32>;
@group(0) @binding(10) var<storage, read_write> cache: array<f32>;
@group(0) @binding(11) var<storage, read_write> qkv_rw: array<f32>; // rope_qk: the projection, rotated in place

const HALF: u32 = D / 2u;

fn qkv_width() -> u32 { return (p.nh + 2u * p.nkv) * D; }

// element e of the head vector starting at qkv[o], rotated to position pos (decode: not yet rotated)
fn rot(o: u32, e: u32, pos: u32) -> f32 {
  let j = e % HALF;
  let c = rope[pos * HALF + j];
  let s = rope[p.sin_off + pos * HALF + j];
  if (e < HALF) { return qkv[o + e] * c - qkv[o + e + HALF] * s; }
  return qkv[o + e] * c + qkv[o + e - HALF] * s;
}

// in place on the q and k heads of [rows, QKV] (p.rows rows of p.t positions): one thread per pair
@compute @workgroup_size(64)
fn rope_qk(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let id = gid.x + gid.y * nwg.x * 64u;
  let heads = p.nh + p.nkv;
  if (id >= p.rows * p.t * heads * HALF) { return; }
  let j = id % HALF;
  let head = (id / HALF) % heads;
  let row = id / (HALF * heads);
  let pos = row % p.t;
  let o = row * qkv_width() + head * D + j;
  let c = rope[pos * HALF + j];
  let s = rope[p.sin_off + pos * HALF + j];
  let a = qkv_rw[o];
  let b = qkv_rw[o + HALF];
  qkv_rw[o] = a * c - b * s;
  qkv_rw[o + HALF] = b * c + a * s;
}

fn thread_id(gid: vec3<u32>, nwg: vec3<u32>) -> u32 { return gid.x + gid.y * nwg.x * 64u; }

@compute @workgroup_size(64)
fn forward(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let id = thread_id(gid, nwg);
  if (id >= p.rows * p.nh * p.t) { return; }
  let i = id % p.t;
  let bh = id / p.t;
  let b = bh / p.nh;
  let h = bh % p.nh;
  let g = h / (p.nh / p.nkv);
  let w = qkv_width();
  var qi: array<f32, D>;
  var acc: array<f32, D>;
  let qo = (b * p.t + i) * w + h * D;
  for (var d = 0u; d < D; d++) { qi[d] = qkv[qo + d] * p.scale; acc[d] = 0.0; }
  let ko = b * p.t * w + p.nh * D + g * D;
  let vo = ko + p.nkv * D;
  var mx = -3.0e38;
  var l = 0.0;
  for (var j = 0u; j <= i; j++) {
    var s = 0.0;
    for (var d = 0u; d < D; d++) { s = fma(qi[d], qkv[ko + j * w + d], s); }
    if (s > mx) {
      let c = exp(mx - s);
      l *= c;
      for (var d = 0u; d < D; d++) { acc[d] *= c; }
      mx = s;
    }
    let e = exp(s - mx);
    l += e;
    for (var d = 0u; d < D; d++) { acc[d] = fma(e, qkv[vo + j * w + d], acc[d]); }
  }
  let inv = 1.0 / l;
  let oa = (b * p.t + i) * p.nh * D + h * D;
  for (var d = 0u; d < D; d++) { att[oa + d] = acc[d] * inv; }
  lse_buf[id] = mx + log(l);
}

// dq_i = scale · Σ_j P_ij (dO_i·v_j − δ_i) k_j (rotated space), δ_i = dO_i·o_i; then rotated back.
@compute @workgroup_size(64)
fn backward_dq(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let id = thread_id(gid, nwg);
  if (id >= p.rows * p.nh * p.t) { return; }
  let i = id % p.t;
  let bh = id / p.t;
  let b = bh / p.nh;
  let h = bh % p.nh;
  let g = h / (p.nh / p.nkv);
  let w = qkv_width();
  var qi: array<f32, D>;
  var doi: array<f32, D>;
  var dq: array<f32, D>;
  let qo = (b * p.t + i) * w + h * D;
  let oa = (b * p.t + i) * p.nh * D + h * D;
  var delta = 0.0;
  for (var d = 0u; d < D; d++) {
    qi[d] = qkv[qo + d] * p.scale;
    doi[d] = datt[oa + d];
    delta = fma(doi[d], att_in[oa + d], delta);
    dq[d] = 0.0;
  }
  let lse = lse_buf[id];
  let ko = b * p.t * w + p.nh * D + g * D;
  let vo = ko + p.nkv * D;
  for (var j = 0u; j <= i; j++) {
    var s = 0.0;
    var dp = 0.0;
    for (var d = 0u; d < D; d++) {
      s = fma(qi[d], qkv[ko + j * w + d], s);
      dp = fma(doi[d], qkv[vo + j * w + d], dp);
    }
    let ds = exp(s - lse) * (dp - delta);
    for (var d = 0u; d < D; d++) { dq[d] = fma(ds, qkv[ko + j * w + d], dq[d]); }
  }
  for (var e = 0u; e < HALF; e++) {
    let c = rope[i * HALF + e];
    let s = rope[p.sin_off + i * HALF + e];
    // the inverse (transposed) rotation of the gradient
    dqkv[qo + e] = (dq[e] * c + dq[e + HALF] * s) * p.scale;
    dqkv[qo + e + HALF] = (dq[e + HALF] * c - dq[e] * s) * p.scale;
  }
  delta_buf[id] = delta;
}

// dv_j = Σ_h Σ_{i ≥ j} P_ij dO_i ; dk_j = scale · Σ_h Σ_{i ≥ j} P_ij (dO_i·v_j − δ_i) q_i over the query heads h of kv head g
@compute @workgroup_size(64)
fn backward_dkdv(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let id = thread_id(gid, nwg);
  if (id >= p.rows * p.nkv * p.t) { return; }
  let j = id % p.t;
  let bg = id / p.t;
  let b = bg / p.nkv;
  let g = bg % p.nkv;
  let group = p.nh / p.nkv;
  let w = qkv_width();
  var kj: array<f32, D>;
  var vj: array<f32, D>;
  var dk: array<f32, D>;
  var dv: array<f32, D>;
  let ko = (b * p.t + j) * w + p.nh * D + g * D;
  let vo = ko + p.nkv * D;
  for (var d = 0u; d < D; d++) {
    kj[d] = qkv[ko + d] * p.scale;
    vj[d] = qkv[vo + d];
    dk[d] = 0.0;
    dv[d] = 0.0;
  }
  for (var hh = 0u; hh < group; hh++) {
    let h = g * group + hh;
    let lrow = (b * p.nh + h) * p.t;
    for (var i = j; i < p.t; i++) {
      let qo = (b * p.t + i) * w + h * D;
      let oa = (b * p.t + i) * p.nh * D + h * D;
      var s = 0.0;
      var dp = 0.0;
      for (var d = 0u; d < D; d++) {
        s = fma(kj[d], qkv[qo + d], s);
        dp = fma(vj[d], datt[oa + d], dp);
      }
      let pij = exp(s - lse_buf[lrow + i]);
      let ds = pij * (dp - delta_buf[lrow + i]);
      for (var d = 0u; d < D; d++) {
        dv[d] = fma(pij, datt[oa + d], dv[d]);
        dk[d] = fma(ds, qkv[qo + d], dk[d]);
      }
    }
  }
  for (var e = 0u; e < HALF; e++) {
    let c = rope[j * HALF + e];
    let s = rope[p.sin_off + j * HALF + e];
    dqkv[ko + e] = (dk[e] * c + dk[e + HALF] * s) * p.scale;
    dqkv[ko + e + HALF] = (dk[e + HALF] * c - dk[e] * s) * p.scale;
  }
  for (var d = 0u; d < D; d++) { dqkv[vo + d] = dv[d]; }
}

// One new token per row (qkv is [rows, QKV]) at position lens[b] + step, against the cache
// [rows, NKV, cache_len, D] (K at k_off, V at v_off) holding positions < that one. The first
// query head of each group also writes the new (rotated) k and v at that position; nobody in
// this dispatch reads it from the cache (each thread takes the new key from qkv), so no race.
@compute @workgroup_size(64)
fn decode(@builtin(global_invocation_id) gid: vec3<u32>) {
  let id = gid.x;
  if (id >= p.t * p.nh) { return; }
  let b = id / p.nh;
  let h = id % p.nh;
  let group = p.nh / p.nkv;
  let g = h / group;
  let w = qkv_width();
  let pos = lens[b] + p.step;
  let row = b * w;
  var qi: array<f32, D>;
  var kn: array<f32, D>;
  var acc: array<f32, D>;
  for (var d = 0u; d < D; d++) {
    qi[d] = rot(row + h * D, d, pos) * p.scale;
    kn[d] = rot(row + p.nh * D + g * D, d, pos);
    acc[d] = 0.0;
  }
  let cbase = (b * p.nkv + g) * p.cache_len;
  var mx = -3.0e38;
  var l = 0.0;
  for (var j = 0u; j <= pos; j++) {
    var s = 0.0;
    if (j < pos) {
      for (var d = 0u; d < D; d++) { s = fma(qi[d], cache[p.k_off + (cbase + j) * D + d], s); }
    } else {
      for (var d = 0u; d < D; d++) { s = fma(qi[d], kn[d], s); }
    }
    if (s > mx) {
      let c = exp(mx - s);
      l *= c;
      for (var d = 0u; d < D; d++) { acc[d] *= c; }
      mx = s;
    }
    let e = exp(s - mx);
    l += e;
    if (j < pos) {
      for (var d = 0u; d < D; d++) { acc[d] = fma(e, cache[p.v_off + (cbase + j) * D + d], acc[d]); }
    } else {
      for (var d = 0u; d < D; d++) { acc[d] = fma(e, qkv[row + (p.nh + p.nkv) * D + g * D + d], acc[d]); }
    }
  }
  let inv = 1.0 / l;
  for (var d = 0u; d < D; d++) { att[b * p.nh * D + h * D + d] = acc[d] * inv; }
  if (h % group == 0u) {
    for (var d = 0u; d < D; d++) {
      cache[p.k_off + (cbase + pos) * D + d] = kn[d];
      cache[p.v_off + (cbase + pos) * D + d] = qkv[row + (p.nh + p.nkv) * D + g * D + d];
    }
  }
}

// prefill: k (already rotated) and v of positions 0..t−1 of every row ([rows·t, QKV]) into the cache
@compute @workgroup_size(64)
fn kv_fill(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let id = gid.x + gid.y * nwg.x * 64u;
  if (id >= p.rows * p.t * p.nkv * D) { return; }
  let d = id % D;
  let g = (id / D) % p.nkv;
  let j = (id / (D * p.nkv)) % p.t;
  let b = id / (D * p.nkv * p.t);
  let row = (b * p.t + j) * qkv_width();
  let c = ((b * p.nkv + g) * p.cache_len + j) * D + d;
  cache[p.k_off + c] = qkv[row + p.nh * D + g * D + d]; // rotated by rope_qk
  cache[p.v_off + c] = qkv[row + (p.nh + p.nkv) * D + g * D + d];
}

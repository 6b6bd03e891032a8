// C[b] = alpha · op(A[b]) · op(B[b]) + beta · C[b], op = identity or transpose, any M/N/K.
// Each workgroup computes a 64×64 tile of C with 8×8 threads; each thread an 8×8 block
// held in sixteen vec4 accumulators. K advances 16 at a time through workgroup memory,
// stored so the inner loop reads two vec4s of A (8 rows) and two of B (8 columns) per k
// and does 16 vec4 FMAs with them. Out-of-range tile elements load as zero, so shapes need
// not be multiples of the tile.
// Why 64 threads × 8×8 outputs: on SwiftShader (the GPU emulated on CPU cores) fewer,
// fatter invocations per workgroup won (fewer invocations to run between barriers).
// Measured in Node/Dawn on SwiftShader, same device, interleaved runs: 16×16 threads × 4×4
// → 0.40–0.73 GFLOP/s; 16×8 × 8×4 → 0.55–1.6; 8×8 × 8×8 → 0.70–2.1 (best, kept); the K
// tile at 32 instead of 16 made no consistent difference; no workgroup memory at all
// (register blocking straight from global memory) was slowest; vec4 global loads of B rows
// (array<vec4<f32>> binding) showed no gain above the noise, so global loads stay scalar
// (which also keeps every M/N/K and transpose on one path).

override TRANS_A: bool = false; // A is stored k×m (op(A) = Aᵀ)
override TRANS_B: bool = false; // B is stored n×k (op(B) = Bᵀ)

struct Params {
  m: u32, n: u32, k: u32,
  stride_a: u32, stride_b: u32, stride_c: u32, // elements between batches (0 broadcasts)
  alpha: f32, beta: f32,
  off_a: u32, off_b: u32, off_c: u32, _pad: u32, // first element of each operand (tensors inside a flat parameter buffer)
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;

const TM: u32 = 64u;
const TN: u32 = 64u;
const TK: u32 = 16u;

var<workgroup> as_: array<vec4<f32>, 256>; // [TK][TM/4]: 4 consecutive rows of op(A) at one k
var<workgroup> bs: array<vec4<f32>, 256>;  // [TK][TN/4]: 4 consecutive columns of op(B) at one k

fn load_a(base: u32, row: u32, kk: u32) -> f32 {
  if (row >= p.m || kk >= p.k) { return 0.0; }
  if (TRANS_A) { return a[base + kk * p.m + row]; }
  return a[base + row * p.k + kk];
}

fn load_b(base: u32, kk: u32, col: u32) -> f32 {
  if (col >= p.n || kk >= p.k) { return 0.0; }
  if (TRANS_B) { return b[base + col * p.k + kk]; }
  return b[base + kk * p.n + col];
}

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let row0 = wg.y * TM;
  let col0 = wg.x * TN;
  let base_a = p.off_a + wg.z * p.stride_a;
  let base_b = p.off_b + wg.z * p.stride_b;
  let base_c = p.off_c + wg.z * p.stride_c;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  var acc4 = vec4<f32>(0.0);
  var acc5 = vec4<f32>(0.0);
  var acc6 = vec4<f32>(0.0);
  var acc7 = vec4<f32>(0.0);
  var acc8 = vec4<f32>(0.0);
  var acc9 = vec4<f32>(0.0);
  var acc10 = vec4<f32>(0.0);
  var acc11 = vec4<f32>(0.0);
  var acc12 = vec4<f32>(0.0);
  var acc13 = vec4<f32>(0.0);
  var acc14 = vec4<f32>(0.0);
  var acc15 = vec4<f32>(0.0);
  // loader roles: thread li loads 4 vec4s of each tile (k rows a_k, a_k+4, a_k+8, a_k+12)
  let a_k = li / 16u;
  let a_r = (li % 16u) * 4u;
  let ntiles = (p.k + TK - 1u) / TK;
  for (var t = 0u; t < ntiles; t++) {
    let k0 = t * TK;
    for (var h = 0u; h < 4u; h++) {
      let kk = a_k + h * 4u;
      as_[kk * 16u + a_r / 4u] = vec4<f32>(
        load_a(base_a, row0 + a_r, k0 + kk), load_a(base_a, row0 + a_r + 1u, k0 + kk),
        load_a(base_a, row0 + a_r + 2u, k0 + kk), load_a(base_a, row0 + a_r + 3u, k0 + kk));
      bs[kk * 16u + a_r / 4u] = vec4<f32>(
        load_b(base_b, k0 + kk, col0 + a_r), load_b(base_b, k0 + kk, col0 + a_r + 1u),
        load_b(base_b, k0 + kk, col0 + a_r + 2u), load_b(base_b, k0 + kk, col0 + a_r + 3u));
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      let av = as_[kk * 16u + lid.y * 2u];
      let aw = as_[kk * 16u + lid.y * 2u + 1u];
      let bv0 = bs[kk * 16u + lid.x * 2u];
      let bv1 = bs[kk * 16u + lid.x * 2u + 1u];
      acc0 = fma(vec4<f32>(av.x), bv0, acc0);
      acc1 = fma(vec4<f32>(av.x), bv1, acc1);
      acc2 = fma(vec4<f32>(av.y), bv0, acc2);
      acc3 = fma(vec4<f32>(av.y), bv1, acc3);
      acc4 = fma(vec4<f32>(av.z), bv0, acc4);
      acc5 = fma(vec4<f32>(av.z), bv1, acc5);
      acc6 = fma(vec4<f32>(av.w), bv0, acc6);
      acc7 = fma(vec4<f32>(av.w), bv1, acc7);
      acc8 = fma(vec4<f32>(aw.x), bv0, acc8);
      acc9 = fma(vec4<f32>(aw.x), bv1, acc9);
      acc10 = fma(vec4<f32>(aw.y), bv0, acc10);
      acc11 = fma(vec4<f32>(aw.y), bv1, acc11);
      acc12 = fma(vec4<f32>(aw.z), bv0, acc12);
      acc13 = fma(vec4<f32>(aw.z), bv1, acc13);
      acc14 = fma(vec4<f32>(aw.w), bv0, acc14);
      acc15 = fma(vec4<f32>(aw.w), bv1, acc15);
    }
    workgroupBarrier();
  }
  let r = row0 + lid.y * 8u;
  let col = col0 + lid.x * 8u;
  store_row(base_c, r + 0u, col, acc0);
  store_row(base_c, r + 0u, col + 4u, acc1);
  store_row(base_c, r + 1u, col, acc2);
  store_row(base_c, r + 1u, col + 4u, acc3);
  store_row(base_c, r + 2u, col, acc4);
  store_row(base_c, r + 2u, col + 4u, acc5);
  store_row(base_c, r + 3u, col, acc6);
  store_row(base_c, r + 3u, col + 4u, acc7);
  store_row(base_c, r + 4u, col, acc8);
  store_row(base_c, r + 4u, col + 4u, acc9);
  store_row(base_c, r + 5u, col, acc10);
  store_row(base_c, r + 5u, col + 4u, acc11);
  store_row(base_c, r + 6u, col, acc12);
  store_row(base_c, r + 6u, col + 4u, acc13);
  store_row(base_c, r + 7u, col, acc14);
  store_row(base_c, r + 7u, col + 4u, acc15);
}

fn store_row(base: u32, row: u32, col: u32, v: vec4<f32>) {
  if (row >= p.m) { return; }
  for (var j = 0u; j < 4u; j++) {
    if (col + j < p.n) {
      let i = base + row * p.n + col + j;
      var prev = 0.0;
      if (p.beta != 0.0) { prev = p.beta * c[i]; }
      c[i] = p.alpha * v[j] + prev;
    }
  }
}

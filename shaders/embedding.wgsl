// Token embedding: gather rows of the table by id (forward) and scatter-add the output
// gradient back into the table's gradient (backward). WGSL has no float atomics, so the
// add is a compare-exchange loop on the bit pattern; the order of adds to one row varies,
// so results agree with the reference to float rounding, not bit for bit.

struct Params {
  n: u32,   // tokens
  d: u32,
  vocab: u32,
  _a: u32,
}

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> ids: array<u32>;
@group(0) @binding(2) var<storage, read> src: array<f32>;        // table | dout
@group(0) @binding(3) var<storage, read_write> out: array<f32>;  // gathered rows
@group(0) @binding(4) var<storage, read_write> dtable: array<atomic<u32>>;

@compute @workgroup_size(64)
fn gather(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= p.n * p.d) { return; }
  let id = ids[i / p.d];
  if (id >= p.vocab) { out[i] = 0.0; return; } // guarded: the caller validates ids
  out[i] = src[id * p.d + i % p.d];
}

@compute @workgroup_size(64)
fn scatter_add(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= p.n * p.d) { return; }
  let id = ids[i / p.d];
  if (id >= p.vocab) { return; }
  let dst = id * p.d + i % p.d;
  let add = src[i];
  var old = atomicLoad(&dtable[dst]);
  loop {
    let r = atomicCompareExchangeWeak(&dtable[dst], old, bitcast<u32>(bitcast<f32>(old) + add));
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}

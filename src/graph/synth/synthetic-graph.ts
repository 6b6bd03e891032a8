/**
 * Synthetic graphs shaped like the default graph, for scale benchmarks: the same node
 * and edge type mix, and per edge type the same degree distribution (each synthetic
 * node copies the per-relation degrees of a random template node of its type, and
 * endpoints are drawn in proportion to them, Chung–Lu style). Names are pronounceable
 * made-up words, so the name index sees a vocabulary that grows with the graph.
 */
import type { EdgeTypeInfo, GraphFileV1 } from '../format';

export interface SyntheticGraph {
  nodeCount: number;
  nodeTypes: string[];
  types: Uint16Array;
  edgeTypes: EdgeTypeInfo[];
  /** per edge: its type, head and tail */
  edgeType: Uint16Array;
  src: Uint32Array;
  dst: Uint32Array;
  name(i: number): string;
  id(i: number): string;
}

export interface SynthOptions {
  nodes: number;
  edges: number;
  seed?: number;
}

/** mulberry32: small, fast, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = 'ba be bi bo bu da de di do du fa fe fi fo ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo zu xa xi tor min lex pra sul vin dor'.split(' ');

function wordFor(x: number): string {
  // 2–4 syllables picked by the bits of x: ~60^3 distinct words
  const n = 2 + (x % 3);
  let w = '';
  let y = Math.floor(x / 3);
  for (let k = 0; k < n; k++) {
    w += SYLLABLES[y % SYLLABLES.length];
    y = Math.floor(y / SYLLABLES.length) + k * 7919;
  }
  return w;
}

export function synthesizeGraph(template: GraphFileV1, opts: SynthOptions): SyntheticGraph {
  const rand = rng(opts.seed ?? 1);
  const T = template.nodeTypes.length;
  const tn = template.nodes.type.length;
  // template nodes of each type, and per (edge type, role) their degree
  const byType: number[][] = Array.from({ length: T }, () => []);
  template.nodes.type.forEach((t, i) => byType[t]!.push(i));
  const outDeg = template.edges.map(() => new Uint32Array(tn));
  const inDeg = template.edges.map(() => new Uint32Array(tn));
  template.edges.forEach((eg, k) => {
    for (let e = 0; e < eg.src.length; e++) {
      outDeg[k]![eg.src[e]!]!++;
      inDeg[k]![eg.dst[e]!]!++;
    }
  });
  // node counts per type in proportion to the template (every type keeps ≥ 1 node)
  const N = opts.nodes;
  const perType = byType.map((l) => Math.max(1, Math.round((l.length / tn) * N)));
  let diff = N - perType.reduce((a, b) => a + b, 0);
  const biggest = perType.indexOf(Math.max(...perType));
  perType[biggest]! += diff;
  const types = new Uint16Array(N);
  const donor = new Uint32Array(N);
  const start = new Uint32Array(T + 1);
  let at = 0;
  for (let t = 0; t < T; t++) {
    start[t] = at;
    const pool = byType[t]!;
    for (let k = 0; k < perType[t]!; k++, at++) {
      types[at] = t;
      donor[at] = pool.length ? pool[Math.floor(rand() * pool.length)]! : 0;
    }
  }
  start[T] = at;
  // edges per edge type in proportion to the template
  const tm = template.edges.reduce((m, eg) => m + eg.src.length, 0);
  const M = opts.edges;
  const perEdge = template.edges.map((eg) => Math.round((eg.src.length / tm) * M));
  diff = M - perEdge.reduce((a, b) => a + b, 0);
  perEdge[perEdge.indexOf(Math.max(...perEdge))]! += diff;
  const edgeType = new Uint16Array(M);
  const src = new Uint32Array(M);
  const dst = new Uint32Array(M);
  let e = 0;
  template.edges.forEach((eg, k) => {
    const et = template.edgeTypes[eg.type]!;
    const st = template.nodeTypes.indexOf(et.source);
    const dt = template.nodeTypes.indexOf(et.target);
    const pickS = sampler(start[st]!, start[st + 1]!, (i) => outDeg[k]![donor[i]!]!, rand);
    const pickD = sampler(start[dt]!, start[dt + 1]!, (i) => inDeg[k]![donor[i]!]!, rand);
    for (let c = 0; c < perEdge[k]!; c++, e++) {
      edgeType[e] = eg.type;
      src[e] = pickS();
      let d = pickD();
      if (d === src[e] && start[dt + 1]! - start[dt]! > 1) d = pickD(); // avoid most self-loops
      dst[e] = d;
    }
  });
  const salt = Math.floor(rand() * 1e6);
  return {
    nodeCount: N,
    nodeTypes: [...template.nodeTypes],
    types,
    edgeTypes: template.edgeTypes,
    edgeType,
    src,
    dst,
    id: (i) => `SYN:${i}`,
    name: (i) => {
      const h = Math.imul(i + salt, 2654435761) >>> 0;
      const words = 1 + (h % 3);
      const parts: string[] = [];
      for (let k = 0; k < words; k++) parts.push(wordFor((Math.imul(h ^ (k * 0x9e3779b9), 1597334677) >>> 0) % 250_000));
      return parts.join(' ');
    },
  };
}

/**
 * Draws indices in [lo, hi) with probability ∝ weight + 0.05 (a node whose donor had no
 * edge of this kind still gets one now and then, as a larger graph would give it).
 */
function sampler(lo: number, hi: number, weight: (i: number) => number, rand: () => number): () => number {
  const n = hi - lo;
  if (n <= 0) throw new Error('edge type joins a node type with no nodes');
  const cum = new Float64Array(n);
  let s = 0;
  for (let k = 0; k < n; k++) cum[k] = s += weight(lo + k) + 0.05;
  return () => {
    const x = rand() * s;
    let a = 0;
    let b = n - 1;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (cum[m]! <= x) a = m + 1;
      else b = m;
    }
    return lo + a;
  };
}

/** Triples TSV with a header; a node's name is written only on its first mention. */
export async function writeTriples(g: SyntheticGraph, out: NodeJS.WritableStream, gzip: boolean): Promise<void> {
  const { createGzip } = await import('node:zlib');
  const { once } = await import('node:events');
  const sink: NodeJS.WritableStream = gzip ? createGzip({ level: 6 }) : out;
  if (gzip) (sink as ReturnType<typeof createGzip>).pipe(out as NodeJS.WritableStream & { write: never });
  const named = new Uint8Array(g.nodeCount);
  let buf = 'head\thead_type\trelation\ttail\ttail_type\thead_name\ttail_name\n';
  for (let e = 0; e < g.src.length; e++) {
    const s = g.src[e]!;
    const d = g.dst[e]!;
    const et = g.edgeTypes[g.edgeType[e]!]!;
    const sn = named[s] ? '' : g.name(s);
    named[s] = 1;
    const dn = named[d] ? '' : g.name(d);
    named[d] = 1;
    buf += `${g.id(s)}\t${et.source}\t${et.name}\t${g.id(d)}\t${et.target}\t${sn}\t${dn}\n`;
    if (buf.length > 1 << 20) {
      if (!sink.write(buf)) await once(sink, 'drain');
      buf = '';
    }
  }
  sink.write(buf);
  sink.end();
  await once(out, 'finish');
}

/** The same graph as Hetionet JSON (hetnetpy layout), one node or edge per line. */
export async function writeHetionetJson(g: SyntheticGraph, out: NodeJS.WritableStream): Promise<void> {
  const { once } = await import('node:events');
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  const meta = g.edgeTypes.map((e) => [e.source, e.target, e.name, 'both']);
  await write(`{\n  "metanode_kinds": ${JSON.stringify(g.nodeTypes)},\n  "metaedge_tuples": ${JSON.stringify(meta)},\n  "kind_to_abbrev": {},\n  "nodes": [\n`);
  let buf = '';
  for (let i = 0; i < g.nodeCount; i++) {
    buf += `${i ? ',\n' : ''}    ${JSON.stringify({ kind: g.nodeTypes[g.types[i]!], identifier: i, name: g.name(i), data: {} })}`;
    if (buf.length > 1 << 20) (await write(buf), (buf = ''));
  }
  await write(`${buf}\n  ],\n  "edges": [\n`);
  buf = '';
  for (let e = 0; e < g.src.length; e++) {
    const t = g.edgeTypes[g.edgeType[e]!]!;
    buf += `${e ? ',\n' : ''}    ${JSON.stringify({ source_id: [t.source, g.src[e]], target_id: [t.target, g.dst[e]], kind: t.name, direction: 'both', data: {} })}`;
    if (buf.length > 1 << 20) (await write(buf), (buf = ''));
  }
  await write(`${buf}\n  ]\n}\n`);
  out.end();
  await once(out, 'finish');
}

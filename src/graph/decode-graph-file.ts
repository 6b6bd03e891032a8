/**
 * Bytes → validated GraphFileV1. Gzip is detected by its magic bytes rather than
 * the file name, because static hosts may or may not strip the encoding in transit.
 */
import { GRAPH_FORMAT, GRAPH_FORMAT_VERSION, type GraphFileV1 } from './format';
import { GraphFileError } from './graph-file-error';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The JSON bytes of a graph file, decompressing when it is gzip. */
export async function graphFileText(bytes: Uint8Array, fileLabel: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    return await gunzip(bytes);
  } catch (e) {
    throw new GraphFileError(fileLabel, 'gzip stream', `cannot decompress (${(e as Error).message}); the file is truncated or corrupt`);
  }
}

export async function decodeGraphFile(bytes: Uint8Array, fileLabel: string): Promise<GraphFileV1> {
  return parseGraphJson(await graphFileText(bytes, fileLabel), fileLabel);
}

export function parseGraphJson(raw: Uint8Array, fileLabel: string): GraphFileV1 {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (e) {
    throw new GraphFileError(fileLabel, 'JSON', `not valid JSON text (${(e as Error).message})`);
  }
  return validateGraphFile(parsed, fileLabel);
}

function fail(file: string, where: string, cause: string): never {
  throw new GraphFileError(file, where, cause);
}

function checkArray(file: string, where: string, v: unknown, length?: number): unknown[] {
  if (!Array.isArray(v)) fail(file, where, 'expected an array');
  if (length !== undefined && v.length !== length) fail(file, where, `expected ${length} entries, found ${v.length}`);
  return v;
}

function checkIndexArray(file: string, where: string, v: unknown, length: number, bound: number): void {
  const arr = checkArray(file, where, v, length);
  for (let i = 0; i < arr.length; i++) {
    const x = arr[i];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x >= bound) {
      fail(file, `${where}[${i}]`, `expected an integer in [0, ${bound}), found ${JSON.stringify(x)}`);
    }
  }
}

/**
 * Structural validation. Edge endpoints are NOT checked here, so that `kg stats`
 * can count dangling edges; packGraph() rejects them.
 */
export function validateGraphFile(v: unknown, file: string): GraphFileV1 {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(file, 'top level', 'expected a JSON object');
  const g = v as Record<string, unknown>;
  if (g.format !== GRAPH_FORMAT) fail(file, 'format', `expected "${GRAPH_FORMAT}", found ${JSON.stringify(g.format)}`);
  if (g.version !== GRAPH_FORMAT_VERSION) fail(file, 'version', `this app reads version ${GRAPH_FORMAT_VERSION}, found ${JSON.stringify(g.version)}`);
  if (typeof g.name !== 'string') fail(file, 'name', 'expected a string');
  const nodeTypes = checkArray(file, 'nodeTypes', g.nodeTypes);
  nodeTypes.forEach((t, i) => typeof t === 'string' || fail(file, `nodeTypes[${i}]`, 'expected a string'));
  const datasets = checkArray(file, 'datasets', g.datasets);
  if (datasets.length > 32) fail(file, 'datasets', `at most 32 datasets fit the bitmask, found ${datasets.length}`);
  datasets.forEach((d, i) => {
    const o = d as Record<string, unknown>;
    if (typeof o !== 'object' || o === null || typeof o.id !== 'string' || typeof o.name !== 'string') {
      fail(file, `datasets[${i}]`, 'expected {id, name, licence, attribution}');
    }
  });
  const edgeTypes = checkArray(file, 'edgeTypes', g.edgeTypes);
  edgeTypes.forEach((et, i) => {
    const o = et as Record<string, unknown>;
    if (typeof o !== 'object' || o === null) fail(file, `edgeTypes[${i}]`, 'expected an object');
    for (const k of ['name', 'source', 'target', 'label', 'inverseLabel']) {
      if (typeof o[k] !== 'string') fail(file, `edgeTypes[${i}].${k}`, 'expected a string');
    }
    if (!nodeTypes.includes(o.source)) fail(file, `edgeTypes[${i}].source`, `unknown node type ${JSON.stringify(o.source)}`);
    if (!nodeTypes.includes(o.target)) fail(file, `edgeTypes[${i}].target`, `unknown node type ${JSON.stringify(o.target)}`);
  });
  const nodes = g.nodes as Record<string, unknown>;
  if (typeof nodes !== 'object' || nodes === null) fail(file, 'nodes', 'expected an object of columns');
  const ids = checkArray(file, 'nodes.id', nodes.id);
  const n = ids.length;
  ids.forEach((x, i) => typeof x === 'string' || fail(file, `nodes.id[${i}]`, 'expected a string'));
  checkArray(file, 'nodes.name', nodes.name, n).forEach((x, i) => typeof x === 'string' || fail(file, `nodes.name[${i}]`, 'expected a string'));
  checkIndexArray(file, 'nodes.type', nodes.type, n, nodeTypes.length);
  for (const col of ['xrefs', 'synonyms'] as const) {
    checkArray(file, `nodes.${col}`, nodes[col], n).forEach((list, i) => {
      checkArray(file, `nodes.${col}[${i}]`, list).forEach((s, j) => typeof s === 'string' || fail(file, `nodes.${col}[${i}][${j}]`, 'expected a string'));
    });
  }
  checkArray(file, 'nodes.datasets', nodes.datasets, n);
  const edges = checkArray(file, 'edges', g.edges);
  edges.forEach((eg, i) => {
    const o = eg as Record<string, unknown>;
    if (typeof o !== 'object' || o === null) fail(file, `edges[${i}]`, 'expected an object');
    if (typeof o.type !== 'number' || !Number.isInteger(o.type) || o.type < 0 || o.type >= edgeTypes.length) {
      fail(file, `edges[${i}].type`, `expected an index into edgeTypes (0..${edgeTypes.length - 1})`);
    }
    const src = checkArray(file, `edges[${i}].src`, o.src);
    const m = src.length;
    src.forEach((x, j) => Number.isInteger(x) || fail(file, `edges[${i}].src[${j}]`, 'expected an integer node index'));
    checkArray(file, `edges[${i}].dst`, o.dst, m).forEach((x, j) => Number.isInteger(x) || fail(file, `edges[${i}].dst[${j}]`, 'expected an integer node index'));
    checkArray(file, `edges[${i}].datasets`, o.datasets, m);
  });
  return g as unknown as GraphFileV1;
}

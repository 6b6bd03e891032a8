/**
 * public/kg/manifest.json: which default graph file ships and the SHA-256 of its JSON
 * content, so a cached copy can be checked without downloading the file. The hash is
 * of the decompressed JSON because a static server may or may not undo the gzip layer
 * in transit (Content-Encoding), and either way the content must match.
 */
export interface GraphManifest {
  file: string;
  /** SHA-256 of the decompressed JSON text */
  contentSha256: string;
  /** size of the file as shipped */
  bytes: number;
  nodes: number;
  edges: number;
}

export function parseGraphManifest(v: unknown): GraphManifest {
  const m = v as Partial<GraphManifest>;
  if (!m || typeof m.file !== 'string' || typeof m.contentSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(m.contentSha256)) {
    throw new Error('kg/manifest.json: expected {file, contentSha256 (64 hex), bytes, nodes, edges}');
  }
  return { file: m.file, contentSha256: m.contentSha256, bytes: Number(m.bytes), nodes: Number(m.nodes), edges: Number(m.edges) };
}

/**
 * Where WGSL source comes from. shaders/*.wgsl is the only source of truth; how it is
 * read depends on the host (Vite bundles it, Node reads the file), so the entry point
 * injects a ShaderSource into the runtime and kernels never import .wgsl themselves.
 */
export type ShaderSource = (name: string) => string;

/** Build a ShaderSource from a map of file paths (anything ending in `/NAME.wgsl`) to text. */
export function shaderSourceFromFiles(files: Record<string, string>): ShaderSource {
  const byName = new Map<string, string>();
  for (const [path, text] of Object.entries(files)) {
    const m = /([^/\\]+)\.wgsl$/.exec(path);
    if (m) byName.set(m[1]!, text);
  }
  return (name) => {
    const text = byName.get(name);
    if (text === undefined) throw new Error(`no shader named "${name}" (have: ${[...byName.keys()].sort().join(', ')})`);
    return text;
  };
}

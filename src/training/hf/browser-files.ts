/**
 * Checkpoint files the user picks in the browser: a folder through
 * `<input type="file" webkitdirectory>` or several files through `<input type="file" multiple>`.
 * Files stay Blobs (read lazily, one tensor at a time) until loadCheckpointFolder needs them.
 */
import type { CheckpointFiles } from './checkpoint';

/** Files a checkpoint folder may hold; anything else in a picked folder is ignored. */
const RELEVANT = /^(config\.json|generation_config\.json|tokenizer\.json|tokenizer_config\.json|special_tokens_map\.json|tokenizer\.model|model\.safetensors|model\.safetensors\.index\.json|model-\d+-of-\d+\.safetensors|.*\.(bin|pt|pth|ckpt))$/;

/**
 * The picked files by name. With a folder, files directly in it win; a file name found in two
 * sub-folders means several checkpoints were picked at once, which is refused with both paths.
 */
export function filesFromPicked(picked: readonly File[]): CheckpointFiles {
  const byName = new Map<string, { file: File; path: string; depth: number }>();
  for (const file of picked) {
    const path = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
    const name = file.name;
    if (!RELEVANT.test(name)) continue;
    const depth = path.split('/').length;
    const prior = byName.get(name);
    if (!prior || depth < prior.depth) byName.set(name, { file, path, depth });
    else if (depth === prior.depth && prior.path !== path)
      throw new Error(`${name} is in two folders (${prior.path} and ${path}): pick one checkpoint folder`);
  }
  if (byName.size === 0) throw new Error(`none of the ${picked.length} picked files belongs to a Hugging Face checkpoint (config.json, tokenizer.json, model.safetensors)`);
  return new Map([...byName].map(([name, v]) => [name, v.file]));
}

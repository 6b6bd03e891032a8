import { describe, expect, it } from 'vitest';
import { filesFromPicked } from './browser-files';
import { exportCheckpointFolder, loadCheckpointFolder } from './checkpoint';
import { randomWeights, tinyConfig, tinyTokenizer } from './test-helpers';

/** A File as <input webkitdirectory> gives it: name plus its path inside the picked folder. */
const picked = (path: string, body: BlobPart) => {
  const f = new File([body], path.split('/').pop()!);
  Object.defineProperty(f, 'webkitRelativePath', { value: path });
  return f;
};

describe('files picked in the browser', () => {
  const tok = tinyTokenizer();
  const config = tinyConfig(tok.vocabSize);
  const folder = exportCheckpointFolder(randomWeights(config), config, tok);

  it('a picked folder loads; unrelated files and deeper copies are ignored', async () => {
    const list = [...folder].map(([n, b]) => picked(`my-model/${n}`, b as BlobPart));
    list.push(picked('my-model/README.md', '# card'), picked('my-model/.git/config', '[core]'), picked('my-model/checkpoint-100/config.json', '{}'));
    const files = filesFromPicked(list);
    expect([...files.keys()].sort()).toEqual([...folder.keys()].sort());
    const loaded = await loadCheckpointFolder(files);
    expect(loaded.config).toEqual(config);
  });

  it('several plain files (no folder) work too', () => {
    const list = [...folder].map(([n, b]) => new File([b as BlobPart], n));
    expect(filesFromPicked(list).size).toBe(folder.size);
  });

  it('refuses two checkpoints at once and a pick with no checkpoint file', () => {
    expect(() => filesFromPicked([picked('runs/a/config.json', '{}'), picked('runs/b/config.json', '{}')])).toThrow(/config.json is in two folders \(runs\/a\/config.json and runs\/b\/config.json\)/);
    expect(() => filesFromPicked([picked('x/notes.txt', 'hi')])).toThrow(/none of the 1 picked files belongs to a Hugging Face checkpoint/);
  });
});

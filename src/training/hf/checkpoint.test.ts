import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parameterSpecs } from '../model/config';
import { exportCheckpointFolder, loadCheckpointFolder, type CheckpointFiles } from './checkpoint';
import { readCheckpointDir, writeCheckpointDir } from './node-fs';
import { readSafetensors, writeSafetensors } from './safetensors';
import { randomWeights, tinyConfig, tinyTokenizer } from './test-helpers';

const tok = tinyTokenizer();
const root = resolve(import.meta.dirname, '../../..');
const decode = (b: Uint8Array | Blob | undefined) => JSON.parse(new TextDecoder().decode(b as Uint8Array));

describe('checkpoint folder export → load', () => {
  it('a GQA model with an untied head comes back with identical tensors, config and tokenizer', async () => {
    const config = tinyConfig(tok.vocabSize + 4); // embedding padded past the tokenizer
    const weights = randomWeights(config);
    const files = exportCheckpointFolder(weights, config, tok);
    expect([...files.keys()].sort()).toEqual(['config.json', 'generation_config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    const cfg = decode(files.get('config.json'));
    expect(cfg).toMatchObject({ architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_act: 'silu', num_key_value_heads: 2, head_dim: 8, tie_word_embeddings: false, bos_token_id: 0, eos_token_id: 1, pad_token_id: 2, torch_dtype: 'float32', rope_scaling: null });
    expect(decode(files.get('generation_config.json'))).toMatchObject({ bos_token_id: 0, eos_token_id: 1, pad_token_id: 2 });
    expect(decode(files.get('tokenizer_config.json'))).toMatchObject({ bos_token: '<|bos|>', eos_token: '<|eos|>', pad_token: '<|pad|>', model_max_length: 64 });

    const loaded = await loadCheckpointFolder(files);
    expect(loaded.config).toEqual(config);
    expect([...loaded.weights.keys()]).toEqual(parameterSpecs(config).map((s) => s.name));
    expect(loaded.weights.has('lm_head.weight')).toBe(true);
    for (const [name, w] of weights) expect(Buffer.from(loaded.weights.get(name)!.buffer).equals(Buffer.from(w.buffer)), name).toBe(true);
    expect(loaded.dtypes).toEqual(['F32']);
    expect(loaded.stopIds).toEqual([1]);
    const text = 'Which drug treats type 2 diabetes? <answer>B</answer>';
    expect(loaded.tokenizer.encode(text)).toEqual(tok.encode(text));
    expect(loaded.tokenizer.specials).toEqual(tok.specials);
  });

  it('a tied head is not written, and loads whether lm_head is absent or stored equal; a different one is refused', async () => {
    const config = tinyConfig(tok.vocabSize, true);
    const weights = randomWeights(config);
    const files = exportCheckpointFolder(weights, config, tok);
    const header = (await readSafetensors(files.get('model.safetensors')!)).tensors;
    expect(header.has('lm_head.weight')).toBe(false);
    expect((await loadCheckpointFolder(files)).weights.has('lm_head.weight')).toBe(false);

    const emb = weights.get('model.embed_tokens.weight')!;
    const withHead = (head: Float32Array) => {
      const specs = parameterSpecs(config);
      const t = [...specs.map((s) => ({ name: s.name, shape: s.shape, data: weights.get(s.name)! })), { name: 'lm_head.weight', shape: [config.vocab_size, 32], data: head }];
      return new Map([...files, ['model.safetensors', writeSafetensors(t)]]) as CheckpointFiles;
    };
    expect((await loadCheckpointFolder(withHead(emb.slice()))).weights.size).toBe(parameterSpecs(config).length);
    const other = emb.slice();
    other[5]! += 0.5;
    await expect(loadCheckpointFolder(withHead(other))).rejects.toThrow(/lm_head.weight in model.safetensors differs from model.embed_tokens.weight/);
  });

  it('the standard-library Python reader agrees on names, dtypes, shapes, offsets and values', () => {
    const config = tinyConfig(tok.vocabSize);
    const weights = randomWeights(config, 11);
    const files = exportCheckpointFolder(weights, config, tok, { metadata: { producer: 'fleming-workbench' } });
    const dir = mkdtempSync(join(tmpdir(), 'st-'));
    const path = join(dir, 'model.safetensors');
    writeFileSync(path, files.get('model.safetensors')!);
    const out = JSON.parse(execFileSync('/usr/bin/python3', [join(root, 'scripts/check_safetensors.py'), path, '5'], { encoding: 'utf8' }));
    expect(out.metadata).toEqual({ format: 'pt', producer: 'fleming-workbench' });
    expect(out.aligned_8).toBe(true);
    const specs = parameterSpecs(config);
    expect(Object.keys(out.tensors).sort()).toEqual(specs.map((s) => s.name).sort());
    let offset = 0;
    for (const s of specs) {
      const t = out.tensors[s.name];
      const w = weights.get(s.name)!;
      expect(t.dtype).toBe('F32');
      expect(t.shape).toEqual(s.shape);
      expect(t.data_offsets).toEqual([offset, offset + 4 * w.length]);
      offset += 4 * w.length;
      expect(t.first).toEqual(Array.from(w.subarray(0, 5)));
      expect(t.last).toBe(w[w.length - 1]);
    }
    expect(out.data_bytes).toBe(offset);
  });

  it('sharded checkpoints (model.safetensors.index.json) load, and a bad index is named', async () => {
    const config = tinyConfig(tok.vocabSize);
    const weights = randomWeights(config, 3);
    const files = exportCheckpointFolder(weights, config, tok, { maxShardBytes: 40_000 });
    const shards = [...files.keys()].filter((f) => /^model-\d{5}-of-\d{5}\.safetensors$/.test(f));
    expect(shards.length).toBeGreaterThan(2);
    expect(files.has('model.safetensors')).toBe(false);
    const loaded = await loadCheckpointFolder(files);
    for (const [name, w] of weights) expect(loaded.weights.get(name)).toEqual(w);

    const lost = new Map(files);
    lost.delete(shards[1]!);
    await expect(loadCheckpointFolder(lost)).rejects.toThrow(new RegExp(`names shard files that are not here: ${shards[1]}`));
    const idx = decode(files.get('model.safetensors.index.json'));
    expect(idx.weight_map['model.norm.weight']).not.toBe(shards[0]); // the last tensor is in a later shard
    idx.weight_map['model.norm.weight'] = shards[0];
    const wrong = new Map([...files, ['model.safetensors.index.json', new TextEncoder().encode(JSON.stringify(idx))]]) as CheckpointFiles;
    await expect(loadCheckpointFolder(wrong)).rejects.toThrow(/puts "model.norm.weight" in model-00001-of-\d{5}.safetensors, but it is in model-000\d\d-of/);
  });

  it('files picked as Blobs (a browser folder) load like bytes, with paths reduced to names', async () => {
    const config = tinyConfig(tok.vocabSize);
    const files = exportCheckpointFolder(randomWeights(config), config, tok);
    const blobs: CheckpointFiles = new Map([...files].map(([n, b]) => [`my-model/${n}`, new Blob([b as BlobPart])]));
    let last = 0;
    const loaded = await loadCheckpointFolder(blobs, { onProgress: (l, t) => (last = l / t) });
    expect(last).toBe(1);
    expect(loaded.weights.get('model.norm.weight')).toEqual((await loadCheckpointFolder(files)).weights.get('model.norm.weight'));
  });

  it('writes to and reads from a folder on disk', async () => {
    const config = tinyConfig(tok.vocabSize);
    const weights = randomWeights(config);
    const dir = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'nested', 'out');
    writeCheckpointDir(dir, exportCheckpointFolder(weights, config, tok));
    const loaded = await loadCheckpointFolder(readCheckpointDir(dir));
    expect(loaded.weights.get('lm_head.weight')).toEqual(weights.get('lm_head.weight'));
    expect(() => readCheckpointDir(join(dir, 'nope'))).toThrow(/does not exist/);
  });
});

describe('broken checkpoints are refused with the file and tensor named', () => {
  const config = tinyConfig(tok.vocabSize);
  const good = exportCheckpointFolder(randomWeights(config), config, tok);
  const st = good.get('model.safetensors')!;
  const withModel = (bytes: Uint8Array) => new Map([...good, ['model.safetensors', bytes]]) as CheckpointFiles;
  const withTensors = (edit: (t: { name: string; shape: number[]; data: Float32Array }[]) => void) => {
    const t = parameterSpecs(config).map((s) => ({ name: s.name, shape: [...s.shape], data: new Float32Array(s.shape.reduce((a, b) => a * b, 1)) }));
    edit(t);
    return withModel(writeSafetensors(t));
  };

  it('truncated file', async () => {
    await expect(loadCheckpointFolder(withModel(st.subarray(0, st.length - 100)))).rejects.toThrow(/model.safetensors: the tensors need \d+ data bytes but the file holds \d+: the file is truncated/);
    await expect(loadCheckpointFolder(withModel(st.subarray(0, 5)))).rejects.toThrow(/model.safetensors: only 5 bytes/);
    await expect(loadCheckpointFolder(withModel(st.subarray(0, 50)))).rejects.toThrow(/header says \d+ bytes but the file has only 42/);
  });

  it('bad header', async () => {
    const bad = st.slice();
    bad[8] = 0x5b; // "[" instead of "{"
    await expect(loadCheckpointFolder(withModel(bad))).rejects.toThrow(/model.safetensors: header (is not valid JSON|must be a JSON object)/);
    const huge = st.slice();
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true);
    await expect(loadCheckpointFolder(withModel(huge))).rejects.toThrow(/header length \d+ is implausible/);
    const mk = (header: object, dataBytes: number) => {
      const h = new TextEncoder().encode(JSON.stringify(header));
      const out = new Uint8Array(8 + h.length + dataBytes);
      new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
      out.set(h, 8);
      return out;
    };
    await expect(loadCheckpointFolder(withModel(mk({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12)))).rejects.toThrow(/tensor "b" overlaps/);
    await expect(loadCheckpointFolder(withModel(mk({ a: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12)))).rejects.toThrow(/tensor "a" starts at byte 4 .* gap/);
    await expect(loadCheckpointFolder(withModel(mk({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8)))).rejects.toThrow(/tensor "a": F32 \[3\] needs 12 bytes but data_offsets \[0,8\] span 8/);
    await expect(loadCheckpointFolder(withModel(mk({ a: { dtype: 'Q4', shape: [2], data_offsets: [0, 2] } }, 2)))).rejects.toThrow(/tensor "a" has unknown dtype "Q4"/);
    await expect(loadCheckpointFolder(withModel(mk({ a: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, 8)))).rejects.toThrow(/tensor "a" has an invalid shape/);
  });

  it('wrong shapes, missing and unexpected tensors are all listed', async () => {
    const e = loadCheckpointFolder(withTensors((t) => {
      t.find((x) => x.name === 'model.layers.1.self_attn.k_proj.weight')!.shape = [24, 32];
      t.find((x) => x.name === 'model.layers.1.self_attn.k_proj.weight')!.data = new Float32Array(24 * 32);
      t.splice(t.findIndex((x) => x.name === 'lm_head.weight'), 1);
      t.push({ name: 'model.layers.0.self_attn.q_proj.bias', shape: [32], data: new Float32Array(32) });
    }));
    await expect(e).rejects.toThrow(/missing tensors: lm_head.weight \(config.json has tie_word_embeddings false/);
    await expect(e).rejects.toThrow(/unexpected tensors: model.layers.0.self_attn.q_proj.bias/);
    await expect(e).rejects.toThrow(/wrong shapes: model.layers.1.self_attn.k_proj.weight is \[24, 32\] in model.safetensors, config.json implies \[16, 32\]/);
  });

  it('a wrong shape names the tensor and both shapes', async () => {
    const e = loadCheckpointFolder(withTensors((t) => {
      const q = t.find((x) => x.name === 'model.layers.0.mlp.up_proj.weight')!;
      q.shape = [32, 48];
    }));
    await expect(e).rejects.toThrow(/wrong shapes: model.layers.0.mlp.up_proj.weight is \[32, 48\] in model.safetensors, config.json implies \[48, 32\]/);
  });

  it('quantized dtypes, missing files and pickle weights', async () => {
    const h = new TextEncoder().encode(JSON.stringify({ 'model.norm.weight': { dtype: 'I8', shape: [32], data_offsets: [0, 32] } }));
    const q = new Uint8Array(8 + h.length + 32);
    new DataView(q.buffer).setBigUint64(0, BigInt(h.length), true);
    q.set(h, 8);
    await expect(readSafetensors(q, 'w.safetensors')).rejects.toThrow(/w.safetensors: tensor "model.norm.weight" has dtype I8; only F32, F16, BF16, F64/);
    const noCfg = new Map(good);
    noCfg.delete('config.json');
    await expect(loadCheckpointFolder(noCfg)).rejects.toThrow(/no config.json among the files/);
    const noTok = new Map(good);
    noTok.delete('tokenizer.json');
    noTok.set('tokenizer.model', new Uint8Array(4));
    await expect(loadCheckpointFolder(noTok)).rejects.toThrow(/only a SentencePiece tokenizer.model/);
    const pickle = new Map(good);
    pickle.delete('model.safetensors');
    pickle.set('pytorch_model.bin', new Uint8Array(4));
    await expect(loadCheckpointFolder(pickle)).rejects.toThrow(/only PyTorch pickle weights here \(pytorch_model.bin\); safetensors is required/);
    const dup: CheckpointFiles = new Map([...good, ['other/config.json', good.get('config.json')!]]);
    await expect(loadCheckpointFolder(dup)).rejects.toThrow(/two files are named config.json/);
  });

  it('a tokenizer larger than the embedding is refused', async () => {
    const small = tinyConfig(tok.vocabSize);
    const files = exportCheckpointFolder(randomWeights(small), small, tok);
    const cfg = decode(files.get('config.json'));
    cfg.vocab_size = tok.vocabSize - 10;
    files.set('config.json', new TextEncoder().encode(JSON.stringify(cfg)));
    await expect(loadCheckpointFolder(files)).rejects.toThrow(new RegExp(`tokenizer.json has ${tok.vocabSize} tokens but config.json vocab_size is ${tok.vocabSize - 10}`));
    expect(() => exportCheckpointFolder(randomWeights({ ...small, vocab_size: 100 }), { ...small, vocab_size: 100 }, tok)).toThrow(/the tokenizer has \d+ tokens but the model's vocab_size is 100/);
  });
});

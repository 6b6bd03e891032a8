/**
 * Hugging Face Llama checkpoint folders in and out: model.safetensors (or shards with
 * model.safetensors.index.json), config.json, generation_config.json, tokenizer.json,
 * tokenizer_config.json. A folder we export loads in transformers with
 * `LlamaForCausalLM.from_pretrained(dir)` / `AutoTokenizer.from_pretrained(dir)`; any small HF
 * Llama folder (GQA, tied or untied head, F32/F16/BF16) loads here, every tensor checked
 * against the shapes config.json implies.
 */
import { numel, parameterSpecs, validateConfig, type LlamaConfig, type Weights } from '../model/config';
import { tokenizerConfigJson, tokenizerFromJson } from '../tokenizer/tokenizer-json';
import type { Tokenizer } from '../tokenizer/types';
import { configFromJson, configToJson, generationConfigJson } from './config-json';
import { isLlama2cTokenizerName, loadLlama2cCheckpoint } from './llama2c';
import { readSafetensorsHeader, toFloat32, writeSafetensors, type SafetensorsSource, type TensorInfo } from './safetensors';

/** A checkpoint folder: file name → contents (bytes here, or a File/Blob picked in the browser). */
export type CheckpointFiles = Map<string, Uint8Array | Blob>;

export interface ExportCheckpointOptions {
  /** a Jinja chat template for tokenizer_config.json (tokenizers we trained; a loaded one keeps its own) */
  chatTemplate?: string;
  /** extra string entries for model.safetensors' __metadata__ (format "pt" is always set) */
  metadata?: Record<string, string>;
  /** split the weights into shards of at most this many bytes, with model.safetensors.index.json */
  maxShardBytes?: number;
}

const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o, null, 2) + '\n');

/** The folder for a model: weights in HF names and [out, in] layout, F32. */
export function exportCheckpointFolder(weights: Weights, config: LlamaConfig, tokenizer: Tokenizer, opts: ExportCheckpointOptions = {}): Map<string, Uint8Array> {
  const errs = validateConfig(config);
  if (errs.length) throw new Error(`cannot export: the config is invalid:\n- ${errs.join('\n- ')}`);
  if (tokenizer.vocabSize > config.vocab_size) throw new Error(`cannot export: the tokenizer has ${tokenizer.vocabSize} tokens but the model's vocab_size is ${config.vocab_size}`);
  const specs = parameterSpecs(config);
  const problems: string[] = [];
  for (const s of specs) {
    const w = weights.get(s.name);
    if (!w) problems.push(`missing ${s.name}`);
    else if (w.length !== numel(s.shape)) problems.push(`${s.name} has ${w.length} values, [${s.shape.join(', ')}] needs ${numel(s.shape)}`);
  }
  const known = new Set(specs.map((s) => s.name));
  for (const name of weights.keys()) if (!known.has(name)) problems.push(`unexpected tensor ${name}${name === 'lm_head.weight' ? ' (the config ties the head to the embedding)' : ''}`);
  if (problems.length) throw new Error(`cannot export: the weights do not match the config:\n- ${problems.join('\n- ')}`);

  const files = new Map<string, Uint8Array>();
  const tensors = specs.map((s) => ({ name: s.name, shape: s.shape, data: weights.get(s.name)! }));
  const maxShard = opts.maxShardBytes ?? Infinity;
  const total = tensors.reduce((a, t) => a + 4 * t.data.length, 0);
  if (total <= maxShard) files.set('model.safetensors', writeSafetensors(tensors, opts.metadata));
  else {
    const shards: (typeof tensors)[] = [[]];
    let size = 0;
    for (const t of tensors) {
      if (size > 0 && size + 4 * t.data.length > maxShard) {
        shards.push([]);
        size = 0;
      }
      shards[shards.length - 1]!.push(t);
      size += 4 * t.data.length;
    }
    const n = shards.length;
    const weightMap: Record<string, string> = {};
    shards.forEach((group, i) => {
      const name = `model-${String(i + 1).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`;
      files.set(name, writeSafetensors(group, opts.metadata));
      for (const t of group) weightMap[t.name] = name;
    });
    files.set('model.safetensors.index.json', json({ metadata: { total_size: total }, weight_map: weightMap }));
  }
  const ids = { bos: tokenizer.specials.bos, eos: tokenizer.specials.eos, pad: tokenizer.specials.pad };
  files.set('config.json', json(configToJson(config, ids)));
  files.set('generation_config.json', json(generationConfigJson(ids)));
  files.set('tokenizer.json', json(tokenizer.toJSON()));
  const tc: { modelMaxLength: number; chatTemplate?: string } = { modelMaxLength: config.max_position_embeddings };
  if (opts.chatTemplate !== undefined) tc.chatTemplate = opts.chatTemplate;
  files.set('tokenizer_config.json', json(tokenizerConfigJson(tokenizer, tc)));
  return files;
}

export interface LoadedCheckpoint {
  config: LlamaConfig;
  /** float32 weights by HF name, exactly parameterSpecs(config) (a tied lm_head is dropped) */
  weights: Weights;
  tokenizer: Tokenizer;
  /** ids that end generation: the tokenizer's EOS plus config/generation_config eos_token_id(s) */
  stopIds: number[];
  /** dtypes the tensors were stored in, e.g. ["BF16"] */
  dtypes: string[];
  /** accepted oddities worth showing the user */
  warnings: string[];
}

export interface LoadCheckpointOptions {
  /** bytes of tensor data read so far, of the total */
  onProgress?: (loaded: number, total: number) => void;
}

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

async function textOf(src: Uint8Array | Blob): Promise<string> {
  return src instanceof Uint8Array ? new TextDecoder().decode(src) : src.text();
}

async function jsonOf(files: Map<string, Uint8Array | Blob>, name: string): Promise<unknown> {
  const f = files.get(name)!;
  try {
    return JSON.parse(await textOf(f));
  } catch (e) {
    throw new Error(`${name} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Tensors that some older checkpoints store but that are not weights (recomputed from rope_theta). */
const IGNORED = /(^|\.)rotary_emb\.inv_freq$/;

function listSome(xs: string[], n = 12): string {
  return xs.length <= n ? xs.join(', ') : `${xs.slice(0, n).join(', ')} and ${xs.length - n} more`;
}

/**
 * Load a Hugging Face Llama checkpoint folder: config, tokenizer and float32 weights, all checked.
 * A folder with a llama2.c model .bin and its tokenizer .bin (no config.json) loads too.
 */
export async function loadCheckpointFolder(input: CheckpointFiles, opts: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint> {
  const files = new Map<string, Uint8Array | Blob>();
  for (const [path, f] of input) {
    const name = baseName(path);
    if (files.has(name)) throw new Error(`two files are named ${name}: pick a single checkpoint folder`);
    files.set(name, f);
  }
  const present = [...files.keys()].sort();
  if (!files.has('config.json')) {
    // a llama2.c export: model .bin + tokenizer.bin / tok512.bin
    const tokBin = present.filter(isLlama2cTokenizerName);
    const modelBin = present.filter((f) => f.endsWith('.bin') && !isLlama2cTokenizerName(f));
    if (tokBin.length === 1 && modelBin.length === 1) return loadLlama2cCheckpoint(files.get(modelBin[0]!)!, files.get(tokBin[0]!)!, { model: modelBin[0]!, tokenizer: tokBin[0]! });
    if (modelBin.length === 1 && tokBin.length === 0) throw new Error(`${modelBin[0]} without config.json looks like a llama2.c export: add its tokenizer (tok512.bin for stories260K, llama2.c's tokenizer.bin for stories15M/42M/110M)`);
  }
  if (!files.has('config.json')) throw new Error(`no config.json among the files (${listSome(present) || 'none'}): a Hugging Face checkpoint folder needs config.json, tokenizer.json and model.safetensors`);
  const parsed = configFromJson(await jsonOf(files, 'config.json'));
  const { config } = parsed;
  const warnings = [...parsed.warnings];

  // tokenizer
  if (!files.has('tokenizer.json')) {
    if (files.has('tokenizer.model'))
      throw new Error('this checkpoint has only a SentencePiece tokenizer.model; tokenizer.json (the "fast" tokenizer) is needed. In Python: AutoTokenizer.from_pretrained(folder).save_pretrained(folder) writes it.');
    throw new Error(`no tokenizer.json among the files (${listSome(present)})`);
  }
  const tokJson = await jsonOf(files, 'tokenizer.json');
  const tokCfg = files.has('tokenizer_config.json') ? ((await jsonOf(files, 'tokenizer_config.json')) as Record<string, unknown>) : {};
  let genEos: number[] = [];
  if (files.has('generation_config.json')) {
    const g = (await jsonOf(files, 'generation_config.json')) as Record<string, unknown>;
    const e = g.eos_token_id;
    genEos = typeof e === 'number' ? [e] : Array.isArray(e) ? e.filter((x): x is number => typeof x === 'number') : [];
  }
  const tokenizer = tokenizerFromJson(tokJson, tokCfg, { fallbackIds: { bos: parsed.bosId, eos: genEos[0] ?? parsed.eosIds[0] ?? null, pad: parsed.padId } });
  if (tokenizer.vocabSize > config.vocab_size)
    throw new Error(`tokenizer.json has ${tokenizer.vocabSize} tokens but config.json vocab_size is ${config.vocab_size}: the embedding has no row for the extra tokens`);
  const stopIds = [...new Set([tokenizer.specials.eos, ...parsed.eosIds, ...genEos])].filter((id) => id >= 0 && id < config.vocab_size);

  // where each tensor is
  let shardOf: Map<string, string>;
  if (files.has('model.safetensors')) shardOf = new Map([['model.safetensors', 'model.safetensors']]);
  else if (files.has('model.safetensors.index.json')) {
    const idx = (await jsonOf(files, 'model.safetensors.index.json')) as { weight_map?: Record<string, unknown> };
    if (!idx || typeof idx.weight_map !== 'object' || idx.weight_map === null) throw new Error('model.safetensors.index.json has no "weight_map" object');
    const wm = new Map<string, string>();
    for (const [t, f] of Object.entries(idx.weight_map)) {
      if (typeof f !== 'string') throw new Error(`model.safetensors.index.json: weight_map["${t}"] must be a file name`);
      wm.set(t, f);
    }
    const shards = [...new Set(wm.values())];
    const missing = shards.filter((s) => !files.has(s));
    if (missing.length) throw new Error(`model.safetensors.index.json names shard files that are not here: ${listSome(missing)}`);
    shardOf = wm;
  } else if (present.some((f) => /\.(bin|pt|pth|ckpt)$/.test(f)))
    throw new Error(`only PyTorch pickle weights here (${listSome(present.filter((f) => /\.(bin|pt|pth|ckpt)$/.test(f)))}); safetensors is required (it cannot run code). Many hub models have a safetensors version; otherwise convert with Python: model.save_pretrained(folder, safe_serialization=True).`);
  else throw new Error(`no model.safetensors or model.safetensors.index.json among the files (${listSome(present)})`);

  // headers first: the whole layout is checked before any tensor data is read
  const shardFiles = [...new Set(shardOf.values())];
  const found = new Map<string, { file: string; info: TensorInfo; dataStart: number }>();
  for (const file of shardFiles) {
    const h = await readSafetensorsHeader(files.get(file) as SafetensorsSource, file);
    for (const info of h.tensors) {
      const prior = found.get(info.name);
      if (prior) throw new Error(`tensor "${info.name}" is in both ${prior.file} and ${file}`);
      found.set(info.name, { file, info, dataStart: h.dataStart });
    }
  }
  const problems: string[] = [];
  if (shardFiles.length > 1 || !files.has('model.safetensors')) {
    for (const [t, f] of shardOf) {
      const at = found.get(t);
      if (!at) problems.push(`model.safetensors.index.json puts "${t}" in ${f}, but no shard holds it`);
      else if (at.file !== f) problems.push(`model.safetensors.index.json puts "${t}" in ${f}, but it is in ${at.file}`);
    }
  }
  const specs = parameterSpecs(config);
  const expected = new Map(specs.map((s) => [s.name, s.shape]));
  const missing = specs.filter((s) => !found.has(s.name)).map((s) => s.name);
  const wrongShape: string[] = [];
  const unexpected: string[] = [];
  let tiedHead: { file: string; info: TensorInfo; dataStart: number } | undefined;
  for (const [name, at] of found) {
    const want = expected.get(name);
    if (want) {
      if (at.info.shape.length !== want.length || at.info.shape.some((d, i) => d !== want[i]))
        wrongShape.push(`${name} is [${at.info.shape.join(', ')}] in ${at.file}, config.json implies [${want.join(', ')}]`);
    } else if (name === 'lm_head.weight' && config.tie_word_embeddings) tiedHead = at;
    else if (IGNORED.test(name)) warnings.push(`ignored ${name} (a RoPE buffer older checkpoints saved; recomputed from rope_theta)`);
    else unexpected.push(name);
  }
  if (missing.length) problems.push(`missing tensors: ${listSome(missing)}${missing.includes('lm_head.weight') ? ' (config.json has tie_word_embeddings false, so the output head must be stored)' : ''}`);
  if (unexpected.length) problems.push(`unexpected tensors: ${listSome(unexpected)}`);
  if (wrongShape.length) problems.push(`wrong shapes: ${listSome(wrongShape, 6)}`);
  if (problems.length) throw new Error(`the weights do not match config.json:\n- ${problems.join('\n- ')}`);

  // data
  const total = specs.reduce((a, s) => a + found.get(s.name)!.info.end - found.get(s.name)!.info.begin, 0) + (tiedHead ? tiedHead.info.end - tiedHead.info.begin : 0);
  let loaded = 0;
  const read = async (at: { file: string; info: TensorInfo; dataStart: number }) => {
    const src = files.get(at.file)!;
    const a = at.dataStart + at.info.begin;
    const b = at.dataStart + at.info.end;
    const bytes = src instanceof Uint8Array ? src.subarray(a, b) : new Uint8Array(await src.slice(a, b).arrayBuffer());
    const data = toFloat32(bytes, at.info.dtype, `${at.file}: tensor "${at.info.name}"`);
    loaded += b - a;
    opts.onProgress?.(loaded, total);
    return data;
  };
  const weights: Weights = new Map();
  const dtypes = new Set<string>();
  for (const s of specs) {
    const at = found.get(s.name)!;
    weights.set(s.name, await read(at));
    dtypes.add(at.info.dtype);
  }
  if (tiedHead) {
    const head = await read(tiedHead);
    const emb = weights.get('model.embed_tokens.weight')!;
    let diff = 0;
    for (let i = 0; i < emb.length; i++) diff = Math.max(diff, Math.abs(head[i]! - emb[i]!));
    if (!(diff === 0)) throw new Error(`config.json ties the output head to the embedding (tie_word_embeddings true), but lm_head.weight in ${tiedHead.file} differs from model.embed_tokens.weight (max |difference| ${diff}); set tie_word_embeddings false if the head is trained separately`);
  }
  return { config, weights, tokenizer, stopIds, dtypes: [...dtypes].sort(), warnings };
}

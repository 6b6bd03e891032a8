/**
 * Our tokenizer.json read by the reference loader, @huggingface/transformers (v4): same ids as our
 * encoder with add_special_tokens=false, same text back, BOS first with add_special_tokens=true.
 * Also pretrained-style tokenizer.json files (Llama/SentencePiece, SmolLM2-like) through our
 * wrapper, checked against hand-worked encodings.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, PreTrainedTokenizer, env } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { BYTE_TO_CHAR } from './byte-level';
import { trainBpe } from './bpe-train';
import { HfTokenizer } from './hf-tokenizer';
import { kgEntityNames, medqaTexts, rng, syntheticCorpus } from './test-corpus';
import { tokenizerConfigJson, tokenizerFromJson } from './tokenizer-json';

const entities = kgEntityNames();
// every name with a non-ASCII character, plus a spread of the rest
const picked = [...entities.filter((e) => /[^\x00-\x7f]/.test(e)), ...entities.filter((_, i) => i % 211 === 0)];
const relations = ['presents with', 'is treated by', 'is a', 'causes', 'has subtype'];

/** Texts that stress every part of the pipeline. */
function varied(): string[] {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const fixed = [
    'Accents: Sjögren, Ménière, naïve café, Ångström, Łódź, ß',
    'Emoji 😀👍🏽🧬👨‍👩‍👧 flags 🇫🇷 and CJK 東京都 Korean 한국어 Arabic مرحبا Hindi नमस्ते',
    'digits 0 12 345 6789 3.14159 1,000,000 10^-6 2024-05-01 ½ ² ٣',
    'whitespace  two   three    four\ttab\t\ttabs\nnewline\n\n\nthree\r\nCRLF   \n  trailing   ',
    ' leading space', '  two leading', '\n', '   ', 'x', '',
    '<think>step 1</think><answer>C</answer>',
    '<think>\nA because B.\n</think>\n<answer>Type 2 diabetes mellitus</answer>',
    "it's they're we've I'm you'll he'd IT'S don't",
    'punctuation!!! ??? ... --- (((nested))) [brackets] {braces} "quotes" #hash @at $5 %20 ^caret &amp; *star*',
    'a\u00a0b\u2003c\u3000d\u200be\u2028f', // NBSP, em space, ideographic space, zero-width space, line separator
    '<answer><answer></answer>', '<think', 'think>', '</answer>.',
  ];
  for (let i = 0; i < 40; i++) {
    const e = pick(picked);
    const punct = pick(['', ',', '.', ';', ':', '(', ')', '"', "'", '-', '–', '/', ' ', '\n', '?']);
    fixed.push(`${punct}${e}${punct}${pick(picked)}${pick([' ', '', ', '])}${pick(relations)} ${e}s and ${e.toUpperCase()}`);
  }
  return [...fixed, ...medqaTexts().slice(0, 20), ...syntheticCorpus(20, picked, relations, 7)];
}

describe('our tokenizer.json through transformers.js', () => {
  const tok = trainBpe(syntheticCorpus(1500, picked, relations), { vocabSize: 3000, addedTokens: [...picked, ...relations] });
  const json = tok.toJSON();
  const config = tokenizerConfigJson(tok, { modelMaxLength: 512 });

  it('encodes to the same ids and decodes back to the same text', () => {
    const ref = new PreTrainedTokenizer(json, config);
    let compared = 0;
    for (const text of varied()) {
      const ours = tok.encode(text);
      expect(ref.encode(text, { add_special_tokens: false }), JSON.stringify(text)).toEqual(ours);
      if (ours.length > 0) {
        expect(ref.decode(ours)).toBe(text);
        expect(tok.decode(ours)).toBe(text);
      }
      compared += ours.length;
    }
    expect(compared).toBeGreaterThan(2000);
  });

  it('puts BOS first with add_special_tokens=true, and drops only BOS/EOS/PAD with skip_special_tokens', () => {
    const ref = new PreTrainedTokenizer(json, config);
    const ids = tok.encode('<think>x</think><answer>A</answer>');
    expect(ref.encode('<think>x</think><answer>A</answer>')).toEqual([tok.specials.bos, ...ids]);
    const withSpecials = [tok.specials.bos, ...ids, tok.specials.eos, tok.specials.pad];
    expect(ref.decode(withSpecials, { skip_special_tokens: true })).toBe('<think>x</think><answer>A</answer>');
    expect(tok.decode(withSpecials, { skipSpecialTokens: true })).toBe('<think>x</think><answer>A</answer>');
    expect(ref.bos_token_id).toBe(tok.specials.bos);
    expect(ref.eos_token_id).toBe(tok.specials.eos);
    expect(ref.pad_token_id).toBe(tok.specials.pad);
    expect(ref.model_max_length).toBe(512);
  });

  it('an edited file with a repeated merge ranks it last, like the reference', () => {
    const model = json.model as { merges: string[] };
    // repeat the first merge ("Ġ t" or similar) at the end: its rank drops from 0 to last
    const edited = { ...json, model: { ...model, merges: [...model.merges, model.merges[0]!] } };
    const ours = tokenizerFromJson(edited, config);
    const ref = new PreTrainedTokenizer(edited, config);
    let changed = 0;
    for (const text of varied()) {
      expect(ours.encode(text), text).toEqual(ref.encode(text, { add_special_tokens: false }));
      if (JSON.stringify(ours.encode(text)) !== JSON.stringify(tok.encode(text))) changed++;
    }
    expect(changed).toBeGreaterThan(0); // the repeat really changes encodings
  });

  it('loads with AutoTokenizer.from_pretrained from a local folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tok-'));
    mkdirSync(join(dir, 'ours'));
    writeFileSync(join(dir, 'ours', 'tokenizer.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'ours', 'tokenizer_config.json'), JSON.stringify(config));
    const saved = { local: env.localModelPath, remote: env.allowRemoteModels, cache: env.useFSCache };
    env.localModelPath = dir + '/';
    env.allowRemoteModels = false;
    try {
      const auto = await AutoTokenizer.from_pretrained('ours');
      for (const text of varied().slice(0, 30)) expect(auto.encode(text, { add_special_tokens: false })).toEqual(tok.encode(text));
    } finally {
      env.localModelPath = saved.local;
      env.allowRemoteModels = saved.remote;
    }
  });
});

/** A Llama-2-style (SentencePiece BPE converted by HF) tokenizer.json, tiny, written by hand. */
function llamaStyle(modern: boolean) {
  const vocab: Record<string, number> = { '<unk>': 0, '<s>': 1, '</s>': 2 };
  for (let b = 0; b < 256; b++) vocab[`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`] = 3 + b;
  const pieces = ['▁', 'H', 'e', 'l', 'o', 'w', 'r', 'd', '▁H', 'll', '▁He', '▁Hell', '▁Hello', '▁w', 'or', '▁wor', '▁worl', '▁world'];
  for (const p of pieces) vocab[p] = Object.keys(vocab).length;
  const merges = ['▁ H', 'l l', '▁H e', '▁He ll', '▁Hell o', '▁ w', 'o r', '▁w or', '▁wor l', '▁worl d'];
  const added = [
    { id: 0, content: '<unk>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    { id: 1, content: '<s>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    { id: 2, content: '</s>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
  ];
  const decoder = { type: 'Sequence', decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }] };
  const post = { type: 'TemplateProcessing', single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }], pair: [], special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } } };
  const model = { type: 'BPE', dropout: null, unk_token: '<unk>', continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: true, byte_fallback: true, vocab, merges };
  const json = modern
    ? { version: '1.0', truncation: null, padding: null, added_tokens: added, normalizer: null, pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'first', split: false }, post_processor: post, decoder, model }
    : { version: '1.0', truncation: null, padding: null, added_tokens: added, normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] }, pre_tokenizer: null, post_processor: post, decoder, model };
  const config = { tokenizer_class: 'LlamaTokenizer', bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>', pad_token: null, add_bos_token: true, add_eos_token: false, clean_up_tokenization_spaces: false, legacy: !modern };
  return { json, config, vocab };
}

describe('pretrained tokenizer.json files through the wrapper', () => {
  for (const modern of [false, true]) {
    it(`Llama/SentencePiece style (${modern ? 'Metaspace pre-tokenizer' : 'Prepend+Replace normalizer'}): pieces, byte fallback, decode`, () => {
      const { json, config, vocab } = llamaStyle(modern);
      const tok = tokenizerFromJson(json, config);
      expect(tok).toBeInstanceOf(HfTokenizer);
      expect(tok.specials).toMatchObject({ bos: 1, eos: 2, pad: 2 });
      expect(tok.addBos).toBe(true);
      expect(tok.encode('Hello world')).toEqual([vocab['▁Hello'], vocab['▁world']]);
      // é is not a piece: its UTF-8 bytes C3 A9 as byte tokens
      expect(tok.encode('Hello wé')).toEqual([vocab['▁Hello'], vocab['▁w'], 3 + 0xc3, 3 + 0xa9]);
      expect(tok.decode(tok.encode('Hello wé'))).toBe('Hello wé');
      expect(tok.decode([1, vocab['▁Hello']!, 2], { skipSpecialTokens: true })).toBe('Hello');
      expect(tok.decode([])).toBe('');
      expect(tok.decode([99999])).toBe('');
      expect(tok.vocabSize).toBe(Object.keys(vocab).length);
      expect(tok.specials.think_open).toBeUndefined();
      expect(tok.toJSON()).toBe(json);
    });
  }

  it('SmolLM2-like GPT-2 byte-level BPE with a digit-splitting pre-tokenizer goes through the reference', () => {
    const vocab: Record<string, number> = { '<|endoftext|>': 0, '<|im_start|>': 1, '<|im_end|>': 2 };
    for (const ch of BYTE_TO_CHAR) vocab[ch] = Object.keys(vocab).length;
    for (const p of ['Ġt', 'he', 'Ġthe', '12']) vocab[p] = Object.keys(vocab).length;
    const json = {
      version: '1.0', truncation: null, padding: null,
      added_tokens: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'].map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
      normalizer: null,
      pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Digits', individual_digits: true }, { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true }] },
      post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
      decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, vocab, merges: [['Ġ', 't'], ['h', 'e'], ['Ġt', 'he'], ['1', '2']] },
    };
    const config = { bos_token: '<|im_start|>', eos_token: '<|im_end|>', pad_token: '<|im_end|>', chat_template: '{{ messages }}' };
    const tok = tokenizerFromJson(json, config);
    expect(tok).toBeInstanceOf(HfTokenizer);
    // digits are split one by one before BPE, so the "12" merge never applies
    expect(tok.encode(' the 12')).toEqual([vocab['Ġthe'], vocab['Ġ'], vocab['1'], vocab['2']]);
    expect(tok.decode(tok.encode('<|im_start|>user\n the 12 ü<|im_end|>'))).toBe('<|im_start|>user\n the 12 ü<|im_end|>');
    expect(tok.specials).toMatchObject({ bos: 1, eos: 2, pad: 2 });
    expect(tok.addBos).toBe(false);
    expect((tok as HfTokenizer).chatTemplate).toBe('{{ messages }}');
    expect(tokenizerConfigJson(tok, { modelMaxLength: 8192 })).toEqual(config);
  });

  it('names what is wrong with a broken tokenizer.json', () => {
    expect(() => tokenizerFromJson('{"model": ')).toThrow(/tokenizer.json is not valid JSON/);
    expect(() => tokenizerFromJson({ version: '1.0' })).toThrow(/no "model" object/);
    const { json } = llamaStyle(true);
    expect(() => tokenizerFromJson(json, { eos_token: '</eos>' })).toThrow(/eos_token "<\/eos>" is not in tokenizer.json's vocabulary/);
    expect(() => tokenizerFromJson(json, {})).toThrow(/no end-of-sequence token/);
    expect(tokenizerFromJson(json, {}, { fallbackIds: { eos: 2, bos: 1 } }).specials).toMatchObject({ bos: 1, eos: 2, pad: 2 });
  });
});

import { describe, expect, it } from 'vitest';
import { AddedTokenSplitter } from './added-tokens';
import { BYTE_TO_CHAR, GPT2_SPLIT, byteLevelString } from './byte-level';
import { trainBpe, addedTokenList } from './bpe-train';
import { ByteLevelBpeTokenizer } from './bpe-tokenizer';
import { tokenizerFromJson } from './tokenizer-json';
import { BOS, EOS, FORMAT_TOKENS, PAD } from './types';
import { kgEntityNames, medqaTexts, syntheticCorpus } from './test-corpus';

/**
 * The textbook algorithm, slow on purpose: re-count every pair over every word before each merge.
 * Same tie rule as the real trainer (most frequent, then the smaller (left id, right id)).
 */
function naiveMerges(corpus: string[], vocabSize: number, added: string[], minFrequency: number): Array<[string, string]> {
  const adds = addedTokenList(added);
  const vocab: string[] = adds.map((t) => t.content);
  for (const ch of BYTE_TO_CHAR) if (!vocab.includes(ch)) vocab.push(ch);
  const splitter = new AddedTokenSplitter(adds.map((t) => t.content));
  const freq = new Map<string, number>();
  for (const text of corpus)
    for (const s of splitter.split(text)) if (!s.added) for (const p of s.text.match(GPT2_SPLIT) ?? []) freq.set(p, (freq.get(p) ?? 0) + 1);
  let words = [...freq].map(([p, f]) => ({ syms: [...byteLevelString(p)].map((c) => vocab.indexOf(c)), f }));
  const banned = new Set<string>();
  const merges: Array<[string, string]> = [];
  while (vocab.length < vocabSize) {
    const counts = new Map<string, number>();
    for (const w of words) for (let i = 0; i + 1 < w.syms.length; i++) {
      const k = `${w.syms[i]},${w.syms[i + 1]}`;
      counts.set(k, (counts.get(k) ?? 0) + w.f);
    }
    let best: [number, number] | null = null;
    let bestC = 0;
    for (const [k, c] of counts) {
      if (banned.has(k)) continue;
      const [a, b] = k.split(',').map(Number) as [number, number];
      if (c > bestC || (c === bestC && best && (a < best[0] || (a === best[0] && b < best[1])))) {
        best = [a, b];
        bestC = c;
      }
    }
    if (!best || bestC < minFrequency) break;
    const [a, b] = best;
    const merged = vocab[a]! + vocab[b]!;
    if (adds.some((t) => t.content === merged)) {
      banned.add(`${a},${b}`);
      continue;
    }
    let c = vocab.indexOf(merged);
    if (c < 0) c = vocab.push(merged) - 1;
    merges.push([vocab[a]!, vocab[b]!]);
    words = words.map((w) => {
      const out: number[] = [];
      for (let i = 0; i < w.syms.length; )
        if (i + 1 < w.syms.length && w.syms[i] === a && w.syms[i + 1] === b) (out.push(c), (i += 2));
        else out.push(w.syms[i++]!);
      return { syms: out, f: w.f };
    });
  }
  return merges;
}

describe('byte-level BPE training', () => {
  // ~500 real names, distinct and longer than one character (a one-character name would share the byte symbol's id)
  const entities = [...new Set(kgEntityNames().filter((n, i) => i % 97 === 0 && n.length > 1))];
  const relations = ['presents with', 'is treated by', 'is a', 'causes', 'associates with'];

  it('learns exactly the merges of the textbook re-counting algorithm', () => {
    const corpus = [...medqaTexts(), ...syntheticCorpus(60, entities.slice(0, 40), relations, 3), 'aaaa abab ababab  \n\n  aaa', 'ÄÖÜ ééé 😀😀 東京東京'];
    const added = entities.slice(0, 10);
    const tok = trainBpe(corpus, { vocabSize: 700, addedTokens: added, minFrequency: 2 });
    const reference = naiveMerges(corpus, 700, added, 2);
    expect(reference.length).toBeGreaterThan(300);
    expect(tok.mergeRules()).toEqual(reference);
  });

  it('puts BOS, EOS, PAD, the format markers and the caller’s tokens first, and reaches the vocabulary size', () => {
    const corpus = syntheticCorpus(400, entities, relations);
    const tok = trainBpe(corpus, { vocabSize: 2000, addedTokens: entities });
    expect(tok.vocabSize).toBe(2000);
    expect(tok.specials).toEqual({ bos: 0, eos: 1, pad: 2, think_open: 3, think_close: 4, answer_open: 5, answer_close: 6 });
    expect(tok.tokenToId(BOS)).toBe(0);
    expect(tok.tokenToId(EOS)).toBe(1);
    expect(tok.tokenToId(PAD)).toBe(2);
    FORMAT_TOKENS.forEach((t, i) => expect(tok.encode(t)).toEqual([3 + i]));
    entities.forEach((e, i) => expect(tok.encode(e), e).toEqual([7 + i]));
    // no BPE token spells an added token
    const addedSet = new Set(tok.addedTokens().map((t) => t.content));
    for (let id = 7 + entities.length; id < tok.vocabSize; id++) expect(addedSet.has(tok.idToToken(id)!)).toBe(false);
  });

  it('round-trips any text, including bytes it never saw in training', () => {
    const tok = trainBpe(syntheticCorpus(200, entities, relations), { vocabSize: 1200, addedTokens: entities });
    const texts = [
      'Plain ASCII, digits 0123456789 and   runs   of spaces\n\n\ttabs\r\n',
      'Accents: Sjögren, Ménière, naïve café — en–dash “quotes” ‘single’ …',
      'Emoji 😀👍🏽🧬 and CJK 東京都 and Arabic مرحبا and Hindi नमस्ते',
      '<think>reasoning</think><answer>B</answer>',
      `${entities[3]}, ${entities[4]}; (${entities[5]}) "${entities[6]}".`,
      '', ' ', '\n', "it's they're we've I'm you'll he'd",
      'a\u00a0b\u2003c\u3000d', // NBSP, em space, ideographic space
      '\u0000\u0001\u007f\u0085\ufeff',
    ];
    for (const t of texts) expect(tok.decode(tok.encode(t))).toBe(t);
  });

  it('matches added tokens leftmost-longest, inside words and next to punctuation', () => {
    const tok = trainBpe(['filler text'], { vocabSize: 300, addedTokens: ['Type 2 diabetes', 'Type 2 diabetes mellitus', 'ab', 'bc', 'b', 'abc d'] });
    const id = (t: string) => tok.tokenToId(t)!;
    expect(tok.encode('Type 2 diabetes mellitus,')).toEqual([id('Type 2 diabetes mellitus'), ...tok.encode(',')]);
    expect(tok.encode('(Type 2 diabetes)')).toEqual([...tok.encode('('), id('Type 2 diabetes'), ...tok.encode(')')]);
    // leftmost first: "ab" starts before "bc"; then "c" is plain text
    expect(tok.encode('abc')).toEqual([id('ab'), ...tok.encode('c')]);
    expect(tok.encode('abc d')).toEqual([id('abc d')]);
    expect(tok.encode('xbcx')).toEqual([...tok.encode('x'), id('bc'), ...tok.encode('x')]);
  });

  it('stops at min_frequency when the corpus runs out of repeated pairs', () => {
    let stopped = '';
    const tok = trainBpe(['the cat sat on the mat, the end'], { vocabSize: 5000, minFrequency: 2 }, (s) => (stopped = s.stoppedBy));
    expect(stopped).toBe('min_frequency');
    expect(tok.vocabSize).toBeLessThan(300);
    expect(tok.encode(' the')).toHaveLength(1); // " the" occurs twice; merged
  });

  it('refuses a vocabulary smaller than the added tokens plus 256 bytes, and empty added tokens', () => {
    expect(() => trainBpe(['x'], { vocabSize: 100 })).toThrow(/vocabSize must be an integer ≥ 263/);
    expect(() => trainBpe(['x'], { vocabSize: 400, addedTokens: ['ok', ''] })).toThrow(/addedTokens\[1\] is empty/);
  });

  it('an added token that is also a byte symbol keeps one id', () => {
    const tok = trainBpe(['A cat. A dog.'], { vocabSize: 300, addedTokens: ['A'] });
    expect(tok.tokenToId('A')).toBe(7);
    expect(tok.encode('A')).toEqual([7]);
    expect(tok.decode(tok.encode('A cat'))).toBe('A cat');
  });

  it('reloads from its tokenizer.json into the same encoder', () => {
    const tok = trainBpe(syntheticCorpus(100, entities, relations), { vocabSize: 900, addedTokens: entities.slice(0, 50) });
    const back = tokenizerFromJson(JSON.stringify(tok.toJSON()), { bos_token: BOS, eos_token: EOS, pad_token: PAD });
    expect(back).toBeInstanceOf(ByteLevelBpeTokenizer);
    expect(back.specials).toEqual(tok.specials);
    expect(back.vocabSize).toBe(tok.vocabSize);
    for (const t of syntheticCorpus(30, entities, relations, 9)) expect(back.encode(t)).toEqual(tok.encode(t));
    expect(back.toJSON()).toEqual(tok.toJSON());
  });
});

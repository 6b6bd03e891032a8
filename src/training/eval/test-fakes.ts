/**
 * Test doubles for evaluation: a character tokenizer and a CausalLM whose generate() returns
 * scripted completions per prompt, so the bookkeeping around generation (batching, order,
 * extraction, tiers, pass@k) can be checked exactly. The real models are tested in model/.
 */
import type { CausalLM, Generation, GenerateOptions } from '../model/causal-lm';
import { presetConfig, type LlamaConfig } from '../model/config';
import type { Tokenizer } from '../tokenizer/types';

/** ids: 0 BOS, 1 EOS, 2 PAD, then UTF-16 code unit + 3 */
export const charTokenizer: Tokenizer = {
  vocabSize: 0x3000,
  specials: { bos: 0, eos: 1, pad: 2 },
  encode: (text) => [...text].map((c) => c.charCodeAt(0) + 3),
  decode: (ids) => ids.map((i) => (i === 0 ? '<|bos|>' : i === 1 ? '<|eos|>' : i === 2 ? '' : String.fromCharCode(i - 3))).join(''),
  idToToken: (id) => (id < 3 ? ['<|bos|>', '<|eos|>', '<|pad|>'][id] : String.fromCharCode(id - 3)),
  tokenToId: (t) => (t === '<|bos|>' ? 0 : t === '<|eos|>' ? 1 : t === '<|pad|>' ? 2 : t.length === 1 ? t.charCodeAt(0) + 3 : undefined),
  toJSON: () => ({}),
};

export interface Script {
  /** the greedy completion */
  greedy: string;
  /** sampled completions, handed out in turn (a counter per prompt) */
  samples?: string[];
}

/** A CausalLM that answers each prompt (decoded, BOS dropped) from a script; records its generate() calls. */
export class ScriptedModel implements Partial<CausalLM> {
  readonly backend = 'cpu' as const;
  readonly config: LlamaConfig;
  readonly calls: { rows: number; opts: GenerateOptions }[] = [];
  private readonly drawn = new Map<string, number>();

  constructor(
    private readonly script: (prompt: string) => Script,
    maxPositions = 4096,
  ) {
    this.config = { ...presetConfig('micro', charTokenizer.vocabSize), max_position_embeddings: maxPositions };
  }

  async generate(prompts: number[][], opts: GenerateOptions): Promise<Generation> {
    this.calls.push({ rows: prompts.length, opts });
    const tokens: number[][] = [];
    const truncated: boolean[] = [];
    prompts.forEach((p) => {
      if (p.length + opts.max_new_tokens > this.config.max_position_embeddings) throw new Error('prompt too long for the context');
      const prompt = charTokenizer.decode(p.slice(1));
      const s = this.script(prompt);
      let text = s.greedy;
      if (opts.temperature > 0 && s.samples) {
        const k = this.drawn.get(prompt) ?? 0;
        this.drawn.set(prompt, k + 1);
        text = s.samples[k % s.samples.length]!;
      }
      const ids = [...charTokenizer.encode(text), charTokenizer.specials.eos];
      const cut = ids.slice(0, opts.max_new_tokens);
      tokens.push(cut);
      truncated.push(cut.length < ids.length);
    });
    return { tokens, truncated };
  }
}

export const asCausalLM = (m: ScriptedModel) => m as unknown as CausalLM;

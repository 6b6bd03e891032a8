import { describe, expect, it } from 'vitest';
import { chatPrompt } from '../../synthesis/export/formats';
import type { QuestionRecord } from '../../synthesis/record';
import { charTokenizer } from '../eval/test-fakes';
import { AddedTokenMatcher } from './added-tokens';
import { buildPrompt, completionText, encodeCompletion, encodePlainPrompt, plainPrompt, sftExample } from './prompt';

const r: QuestionRecord = {
  id: 'q',
  question: 'asthma is_a ?',
  options: { A: 'allergic disease', B: 'lung disease' },
  answer_idx: 'A',
  answer: 'allergic disease',
  difficulty: 'easy',
  type: 'chain-1hop',
  source: 'kg-closed-book',
  status: 'accepted',
};

describe('prompts', () => {
  it('plain: stem and option lines, context first, ending in a newline', () => {
    expect(plainPrompt(r)).toBe('asthma is_a ?\nA. allergic disease\nB. lung disease\n');
    expect(plainPrompt({ ...r, context: ['asthma is a allergic disease.', 'x is a y.'] })).toBe('asthma is a allergic disease.\nx is a y.\nasthma is_a ?\nA. allergic disease\nB. lung disease\n');
  });

  it('chat: the export messages', () => {
    expect(buildPrompt(r, 'chat')).toEqual({ style: 'chat', messages: chatPrompt(r) });
    expect(buildPrompt(r, 'plain')).toEqual({ style: 'plain', text: plainPrompt(r) });
  });

  it('token conventions: BOS + prompt, completion + EOS, loss from the completion on', () => {
    const p = encodePlainPrompt(charTokenizer, 'ab');
    expect(p).toEqual([0, 'a'.charCodeAt(0) + 3, 'b'.charCodeAt(0) + 3]);
    expect(encodeCompletion(charTokenizer, 'c').at(-1)).toBe(charTokenizer.specials.eos);
    const ex = sftExample(charTokenizer, p, completionText('x', 'A'));
    expect(ex.completionStart).toBe(3);
    expect(charTokenizer.decode(ex.ids.slice(ex.completionStart))).toBe('<think>x</think><answer>A</answer><|eos|>');
  });
});

describe('added-token splitting', () => {
  it('takes the longest token at the leftmost position, like tokenizers', () => {
    const m = new AddedTokenMatcher(['brain', 'brain disease', 'is_a', 'disease']);
    expect(m.segment('brain disease is_a brain?')).toEqual([
      { text: 'brain disease', added: true },
      { text: ' ', added: false },
      { text: 'is_a', added: true },
      { text: ' ', added: false },
      { text: 'brain', added: true },
      { text: '?', added: false },
    ]);
    // leftmost wins even when a longer token starts later
    expect(new AddedTokenMatcher(['ab', 'bcd']).segment('abcd').map((p) => p.text)).toEqual(['ab', 'cd']);
  });
});

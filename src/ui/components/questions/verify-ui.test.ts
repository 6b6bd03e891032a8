import { describe, expect, it } from 'vitest';
import type { LlmVerification } from '../../../synthesis/llm-verify/types';
import type { QuestionRecord } from '../../../synthesis/record';
import { idsWithVerdict, isStale, summaryLine, voteText } from './verify-ui';

const v = (verdict: LlmVerification['verdict'], key = 'A'): LlmVerification => ({
  method: 'llm_vote',
  endpoint: 'http://x/v1',
  model: 'm',
  k: 3,
  temperature: 0.7,
  key,
  votes: [{ letters: ['A'] }, { letters: ['A', 'C'] }, { letters: null, error: 'HTTP 500' }],
  readable: 2,
  counts: { A: 2, C: 1 },
  agreement: 0.5,
  threshold: 0.8,
  verdict,
  reason: 'r',
  at: '2026-01-01T00:00:00.000Z',
});
const q = (id: string, verification?: LlmVerification, answer_idx = 'A'): QuestionRecord => ({ id, question: id, options: { A: 'a', B: 'b', C: 'c' }, answer_idx, answer: 'a', difficulty: 'easy', type: 't', source: 'synthetic', status: 'pending', ...(verification ? { verification } : {}) });

describe('verifier results in words', () => {
  it('votes, the summary line and stale verdicts', () => {
    expect(v('flag').votes.map(voteText)).toEqual(['A', 'A, C', 'no vote (HTTP 500)']);
    expect(voteText({ letters: [] })).toBe('none correct');
    expect(summaryLine({ n: 10, keep: 6, flag: 3, drop: 1, unverified: 0, failedCalls: 0, unreadableVotes: 2, meanAgreement: 0.83 })).toBe('10 verified · 6 kept · 3 flagged for review · 1 dropped (rejected if pending) · 2 unreadable votes · mean agreement 83%');
    expect(isStale(q('a', v('keep', 'A'), 'B'))).toBe(true);
    expect(isStale(q('a', v('keep', 'A')))).toBe(false);
    expect(idsWithVerdict([q('a', v('flag')), q('b', v('keep')), q('c'), q('d', v('flag', 'A'), 'B')], 'flag')).toEqual(['a']);
  });
});

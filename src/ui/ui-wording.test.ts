/**
 * Wording a user relies on to read the app the right way round: connectedness (the hub is
 * "more connected than", a long-tail entity "rarer than"), percentages that never round a
 * real share to 0 or 100, what an export takes by default, and what α and p do in numbers.
 */
import { describe, expect, it } from 'vitest';
import { connectedness, pct } from './components/graph/NodeDetailsPanel';
import { alphaExplained, withholdExplained } from './components/questions/GeneratePanel';
import { inExportScope } from './views/QuestionsView';

describe('connectedness', () => {
  it('says the hub is more connected than nearly all of its type, never "100th percentile"', () => {
    const hub = connectedness({ type: 'disease', rarity: 0, lessConnectedShare: 0.9993 });
    expect(hub).toBe('the most connected of the disease entities in this graph (more connected than >99.9% of them)');
    const near = connectedness({ type: 'disease', rarity: 0.001, lessConnectedShare: 0.998 });
    expect(near).toMatch(/^more connected than 99\.8% of disease entities; 0\.1% have more relations$/);
  });
  it('says a long-tail entity is rarer than most, and why that matters', () => {
    const rare = connectedness({ type: 'pharmacologic_class', rarity: 0.82, lessConnectedShare: 0.05 });
    expect(rare).toBe('rarer than 82% of pharmacologic class entities (they have more relations): the long tail, which question sampling favours');
  });
  it('percentages never round a real share to 0 or 100', () => {
    expect(pct(0)).toBe('0');
    expect(pct(1)).toBe('100');
    expect(pct(0.0003)).toBe('<0.1');
    expect(pct(0.99995)).toBe('>99.9');
    expect(pct(0.5)).toBe('50');
    expect(pct(0.056)).toBe('5.6');
  });
});

describe('exports', () => {
  it('leave rejected items out unless asked', () => {
    const st = (status: 'pending' | 'accepted' | 'rejected') => ({ status });
    expect(['pending', 'accepted', 'rejected'].filter((s) => inExportScope(st(s as 'pending'), 'usable'))).toEqual(['pending', 'accepted']);
    expect(['pending', 'accepted', 'rejected'].filter((s) => inExportScope(st(s as 'pending'), 'accepted'))).toEqual(['accepted']);
    expect(['pending', 'accepted', 'rejected'].filter((s) => inExportScope(st(s as 'pending'), 'all'))).toHaveLength(3);
  });
});

describe('generation settings explained', () => {
  it('α in numbers: how much more often a sparse entity is drawn than a hub', () => {
    expect(alphaExplained(0)).toMatch(/uniform/);
    // weight ∝ (degree+1)^−α: (101/3)^1 = 33.7
    expect(alphaExplained(1)).toContain('drawn 33.7× as often as a hub with 100');
    expect(alphaExplained(2)).toContain('1,133×');
  });
  it('p in numbers: clues shown on average', () => {
    expect(withholdExplained(0)).toMatch(/every clue/);
    expect(withholdExplained(0.25)).toContain('shows 3.0 on average');
  });
});

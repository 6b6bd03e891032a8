import { describe, expect, it } from 'vitest';
import { KnowledgeGraph } from './knowledge-graph';
import { boundedEditDistance, NameIndex } from './name-index';
import { packGraph } from './packed-graph';
import { smallGraphFile } from './test-graph.fixture';

const kg = () => new KnowledgeGraph(packGraph(smallGraphFile(), 'h', 'g'));
const names = (hits: { name: string }[]) => hits.map((h) => h.name);

describe('name search', () => {
  it('puts the exact name first, then longer names it prefixes', () => {
    const hits = kg().search('asthma');
    expect(hits[0]).toMatchObject({ name: 'asthma', kind: 'exact' });
  });

  it('matches while typing (prefix), case- and punctuation-insensitively', () => {
    expect(names(kg().search('ASTH'))).toEqual(['asthma']);
    expect(names(kg().search('chronic obstr'))).toEqual(['chronic obstructive pulmonary disease']);
  });

  it('matches any word of a name or synonym, in any order', () => {
    expect(names(kg().search('pulmonary chronic'))).toEqual(['chronic obstructive pulmonary disease']);
    const hit = kg().search('salbut')[0]!;
    expect(hit).toMatchObject({ name: 'albuterol', matched: 'salbutamol' });
    expect(names(kg().search('copd'))).toEqual(['chronic obstructive pulmonary disease']);
  });

  it('tolerates typos (fuzzy) but ranks exact matches above them', () => {
    const hit = kg().search('astmha')[0]!;
    expect(hit).toMatchObject({ name: 'asthma', kind: 'fuzzy' });
    expect(names(kg().search('budesonid'))).toEqual(['budesonide']);
    expect(kg().search('wheezign').map((h) => h.name)).toContain('wheezing');
    expect(kg().search('astmha', { fuzzy: false })).toEqual([]);
  });

  it('catches a wrong first letter, and prefers a typo match that covers the whole name', () => {
    expect(kg().search('qsthma')[0]).toMatchObject({ name: 'asthma', kind: 'fuzzy' });
    const idx = new NameIndex({
      nodeCount: 2,
      keysOf: (i) => [['tuberculosis', 'pulmonary tuberculosis'][i]!],
      weight: (i) => [1, 30][i]!,
      nodeType: () => 0,
    });
    expect(idx.search('tuberculosiss').map((h) => h.node)).toEqual([0, 1]);
  });

  it('filters by node type and honours the limit', () => {
    const g = kg();
    const drug = g.nodeTypes.indexOf('drug');
    expect(names(g.search('a', { types: [drug] })).sort()).toEqual(['albuterol']);
    expect(g.search('d', { limit: 1 })).toHaveLength(1);
  });

  it('looks identifiers up directly', () => {
    expect(kg().search('DOID:2841')[0]).toMatchObject({ name: 'asthma', kind: 'exact' });
    expect(kg().search('DrugBank:DB01222')[0]).toMatchObject({ name: 'budesonide' });
  });

  it('returns nothing for an empty or punctuation-only query', () => {
    expect(kg().search('')).toEqual([]);
    expect(kg().search(' ,; ')).toEqual([]);
  });

  it('scales to many keys without losing prefix correctness', () => {
    const n = 20000;
    const idx = new NameIndex({ nodeCount: n, keysOf: (i) => [`entity ${i.toString(36)} alpha`], weight: () => 0, nodeType: () => 0 });
    const hits = idx.search('entity zz', { limit: 100 });
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(h.node.toString(36).startsWith('zz')).toBe(true);
  });
});

describe('boundedEditDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions', () => {
    expect(boundedEditDistance('asthma', 'asthma', 2)).toBe(0);
    expect(boundedEditDistance('asthma', 'astma', 2)).toBe(1);
    expect(boundedEditDistance('asthma', 'asthmas', 2)).toBe(1);
    expect(boundedEditDistance('asthma', 'asthme', 2)).toBe(1);
    expect(boundedEditDistance('asthma', 'ashtma', 2)).toBe(1);
    expect(boundedEditDistance('asthma', 'bronchitis', 2)).toBe(3);
  });
});

describe('typo search over a large vocabulary', () => {
  it('finds typos after the first letter, a missing or extra first letter and swapped first letters', () => {
    const g = kg();
    for (const q of ['asthna', 'sthma', 'xasthma', 'sathma', 'budesonid', 'budesoinde']) {
      expect(names(g.search(q, { limit: 3 })), q).toContain(q.includes('bud') ? 'budesonide' : 'asthma');
    }
    // the prefix comparison reads the token's prefix in place
    expect(boundedEditDistance('bude', 'budesonide', 1, 4)).toBe(0);
    expect(boundedEditDistance('bxde', 'budesonide', 1, 4)).toBe(1);
  });
});

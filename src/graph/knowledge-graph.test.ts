import { describe, expect, it } from 'vitest';
import { computeRarity, KnowledgeGraph } from './knowledge-graph';
import { packGraph } from './packed-graph';
import { smallGraphFile } from './test-graph.fixture';

const kg = () => new KnowledgeGraph(packGraph(smallGraphFile(), 'h', 'g'));

describe('KnowledgeGraph', () => {
  it('walks each edge type in both directions', () => {
    const g = kg();
    const asthma = g.findById('DOID:2841');
    const treats = g.edgeTypeIndex('treats');
    const presents = g.edgeTypeIndex('presents');
    expect(Array.from(g.neighbours(asthma, presents, 'out')).map((i) => g.nodeName(i)).sort()).toEqual(['cough', 'wheezing']);
    expect(Array.from(g.neighbours(asthma, treats, 'in')).map((i) => g.nodeName(i)).sort()).toEqual(['albuterol', 'budesonide']);
    expect(Array.from(g.neighbours(asthma, treats, 'out'))).toEqual([]);
    const cough = g.findById('SYMP:0000614');
    expect(Array.from(g.neighbours(cough, presents, 'in')).map((i) => g.nodeName(i)).sort()).toEqual(['asthma', 'chronic obstructive pulmonary disease']);
  });

  it('finds nodes by cross-reference as well as by primary id', () => {
    const g = kg();
    expect(g.nodeName(g.findById('DrugBank:DB01001'))).toBe('albuterol');
    expect(g.findById('MESH:D001249')).toBe(g.findById('DOID:2841'));
    expect(g.findById('DOID:0')).toBe(-1);
  });

  it('reports degree per edge type with labels read from the node, and the datasets of the node', () => {
    const d = kg().details(0);
    expect(d.degree).toBe(5);
    expect(d.degreeByEdgeType).toEqual(
      expect.arrayContaining([
        { edgeType: 'presents', direction: 'out', label: 'presents', otherType: 'symptom', count: 2 },
        { edgeType: 'treats', direction: 'in', label: 'is treated by', otherType: 'drug', count: 2 },
        { edgeType: 'is_a', direction: 'out', label: 'is a', otherType: 'disease', count: 1 },
      ]),
    );
    expect(d.datasets).toEqual(['Source A', 'Source B']);
  });

  it('yields each neighbour edge with the datasets that assert it', () => {
    const g = kg();
    const edges = [...g.neighbourEdges(g.findById('SYMP:0000614'))];
    expect(edges.map((e) => [g.nodeName(e.node), e.direction, e.datasets]).sort()).toEqual([
      ['asthma', 'in', 3],
      ['chronic obstructive pulmonary disease', 'in', 1],
    ]);
  });

  it('ranks rarity within a node type: the hub is 0, the least connected highest', () => {
    const r = computeRarity(Uint16Array.from([0, 0, 0, 0, 1]), Uint32Array.from([5, 1, 1, 3, 0]), 2);
    expect(Array.from(r)).toEqual([0, 0.5, 0.5, 0.25, 0]);
  });
});

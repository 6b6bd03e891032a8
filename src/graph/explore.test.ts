import { describe, expect, it } from 'vitest';
import { KnowledgeGraph } from './knowledge-graph';
import { neighbourGroups, shortestPath } from './explore';
import { packGraph } from './packed-graph';
import { smallGraphFile } from './test-graph.fixture';

const g = new KnowledgeGraph(packGraph(smallGraphFile(), 'h', 'test'));
const id = (x: string) => g.findById(x);

describe('explorer queries', () => {
  it('groups an entity’s neighbours by edge type and direction, with edge datasets', () => {
    const groups = neighbourGroups(g, id('DOID:2841'));
    const byLabel = Object.fromEntries(groups.map((x) => [x.label, x]));
    expect(Object.keys(byLabel).sort()).toEqual(['is a', 'is treated by', 'presents']);
    expect(byLabel['is treated by']!.nodes.map((n) => n.name).sort()).toEqual(['albuterol', 'budesonide']);
    expect(byLabel['is treated by']!.otherType).toBe('drug');
    const bud = byLabel['is treated by']!.nodes.find((n) => n.name === 'budesonide')!;
    expect(bud.datasets).toEqual(['Source A', 'Source B']);
  });

  it('cuts a large group to the most connected and says so; filters by type', () => {
    const [grp] = neighbourGroups(g, id('DOID:2841'), { limit: 1 }, { edgeType: 'presents', direction: 'out' });
    expect(grp).toMatchObject({ total: 2, sampled: true });
    expect(grp!.nodes).toHaveLength(1);
    expect(neighbourGroups(g, id('DOID:2841'), { nodeTypes: ['drug'] }).map((x) => x.edgeType)).toEqual(['treats']);
    expect(neighbourGroups(g, id('DOID:2841'), { edgeTypes: ['is_a'] }).map((x) => x.label)).toEqual(['is a']);
  });

  it('finds the shortest path either way along edges, within the depth bound', () => {
    const path = shortestPath(g, id('DrugCentral:200'), id('SYMP:0000604'), 4)!;
    expect(path.map((s) => s.node.name)).toEqual(['budesonide', 'asthma', 'wheezing']);
    expect(path[1]!.via).toEqual({ edgeType: 'treats', label: 'treats' });
    expect(path[2]!.via).toEqual({ edgeType: 'presents', label: 'presents' });
    expect(shortestPath(g, id('DrugCentral:200'), id('SYMP:0000604'), 1)).toBeNull();
    expect(shortestPath(g, id('DOID:1205'), id('DrugCentral:100'), 4)!.map((s) => s.via?.label ?? '-')).toEqual(['-', 'has subtype', 'is treated by']);
  });
});

import { describe, expect, it } from 'vitest';
import { neighbourGroups, shortestPath } from '../../../graph/explore';
import type { GraphFileV1 } from '../../../graph/format';
import { KnowledgeGraph } from '../../../graph/knowledge-graph';
import { packGraph } from '../../../graph/packed-graph';
import { buildCanvas, elementCount, MAX_ELEMENTS, PER_EXPANSION } from './canvas-model';
import type { ExplorerState } from './explorer-url';

/** Ten diseases, each presenting with 400 symptoms of its own; disease 0 is treated by 3 drugs. */
function hubGraph(): KnowledgeGraph {
  const ids: string[] = [];
  const type: number[] = [];
  for (let d = 0; d < 10; d++) (ids.push(`D:${d}`), type.push(0));
  for (let s = 0; s < 4000; s++) (ids.push(`S:${s}`), type.push(1));
  for (let r = 0; r < 3; r++) (ids.push(`R:${r}`), type.push(2));
  const file: GraphFileV1 = {
    format: 'fleming-kg',
    version: 1,
    name: 'hubs',
    datasets: [{ id: 'a', name: 'A', licence: 'CC0', attribution: 'A' }],
    nodeTypes: ['disease', 'symptom', 'drug'],
    edgeTypes: [
      { name: 'presents', source: 'disease', target: 'symptom', label: 'presents with', inverseLabel: 'is a symptom of' },
      { name: 'treats', source: 'drug', target: 'disease', label: 'treats', inverseLabel: 'is treated by' },
    ],
    nodes: { id: ids, name: ids, type, xrefs: ids.map(() => []), synonyms: ids.map(() => []), datasets: ids.map(() => 1) },
    edges: [
      { type: 0, src: Array.from({ length: 4000 }, (_, s) => Math.floor(s / 400)), dst: Array.from({ length: 4000 }, (_, s) => 10 + s), datasets: new Array(4000).fill(1) },
      { type: 1, src: [4010, 4011, 4012], dst: [0, 0, 0], datasets: [1, 1, 1] },
    ],
  };
  return new KnowledgeGraph(packGraph(file, 'h', 'hubs'));
}

function fakeApi(g: KnowledgeGraph) {
  return {
    summary: async (id: string) => (g.findById(id) < 0 ? null : g.summary(g.findById(id))),
    neighbours: async (id: string, o: Parameters<typeof neighbourGroups>[2] & { only?: Parameters<typeof neighbourGroups>[3] } = {}) => neighbourGroups(g, g.findById(id), o, o.only),
    shortestPath: async (a: string, b: string, depth = 4) => shortestPath(g, g.findById(a), g.findById(b), depth),
  };
}

const base: ExplorerState = { node: 'D:0', exp: [], hideNodeTypes: [], hideEdgeTypes: [] };

describe('canvas model', () => {
  it('shows the opened entity with one summary node per neighbour group', async () => {
    const m = await buildCanvas(fakeApi(hubGraph()), base);
    expect(m.nodes.filter((n) => n.kind === 'group').map((n) => n.name).sort()).toEqual(['is treated by (3 drug)', 'presents with (400 symptom)']);
    expect(m.edges).toHaveLength(2);
  });

  it('cuts a large expansion and says so; expanding replaces the summary node', async () => {
    const m = await buildCanvas(fakeApi(hubGraph()), { ...base, exp: [{ node: 'D:0', edgeType: 'presents', direction: 'out' }] });
    expect(m.nodes.filter((n) => n.type === 'symptom' && n.kind === 'entity')).toHaveLength(PER_EXPANSION);
    expect(m.nodes.some((n) => n.key === 'group:presents:out')).toBe(false);
    expect(m.notes[0]).toMatch(/showing the 150 most connected of 400/);
  });

  it('never holds more than MAX_ELEMENTS, however many groups are expanded', async () => {
    const exp = Array.from({ length: 10 }, (_, d) => ({ node: `D:${d}`, edgeType: 'presents', direction: 'out' as const }));
    const m = await buildCanvas(fakeApi(hubGraph()), { ...base, exp });
    expect(elementCount(m)).toBeLessThanOrEqual(MAX_ELEMENTS);
    expect(elementCount(m)).toBeGreaterThan(MAX_ELEMENTS - 10);
    expect(m.notes.some((n) => /canvas is full/.test(n))).toBe(true);
  });

  it('hides filtered types and marks the path', async () => {
    const m = await buildCanvas(fakeApi(hubGraph()), { ...base, hideNodeTypes: ['symptom'], path: { from: 'R:0', to: 'S:5', depth: 3 } });
    expect(m.nodes.some((n) => n.kind === 'group' && n.type === 'symptom')).toBe(false);
    expect(m.path!.map((s) => s.node.id)).toEqual(['R:0', 'D:0', 'S:5']);
    expect(m.edges.filter((e) => e.onPath)).toHaveLength(2);
  });
});

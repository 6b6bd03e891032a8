import { describe, expect, it } from 'vitest';
import { starLayout } from './star-layout';

describe('star layout', () => {
  const star = (n: number) => ({
    nodes: [{ id: 'hub' }, ...Array.from({ length: n }, (_, i) => ({ id: `g${i}` }))],
    edges: Array.from({ length: n }, (_, i) => ({ id: `e${i}`, source: 'hub', target: `g${i}` })),
  });
  it('puts the hub in the middle and spreads the spokes so neighbouring labels (≤ 110 px) do not touch', () => {
    const { nodes, edges } = star(11);
    const pos = starLayout(nodes, edges)!;
    expect(pos.hub).toEqual({ x: 0, y: 0 });
    const spokes = nodes.slice(1).map((n) => pos[n.id]!);
    for (let i = 0; i < spokes.length; i++) {
      for (let j = i + 1; j < spokes.length; j++) {
        const a = spokes[i]!;
        const b = spokes[j]!;
        // two labels 110 px wide and ~14 px tall overlap only if both gaps are small
        expect(Math.abs(a.x - b.x) >= 110 || Math.abs(a.y - b.y) >= 16).toBe(true);
      }
    }
  });
  it('leaves anything that is not a fresh star to the force layout', () => {
    const { nodes, edges } = star(5);
    expect(starLayout([...nodes, { id: 'x' }], [...edges, { id: 'ex', source: 'g1', target: 'x' }])).toBeNull();
    expect(starLayout(nodes.map((n, i) => (i === 2 ? { ...n, fixed: true, x: 1, y: 1 } : n)), edges)).toBeNull();
    expect(starLayout(star(50).nodes, star(50).edges)).toBeNull();
  });
});

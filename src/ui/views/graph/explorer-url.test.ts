import { describe, expect, it } from 'vitest';
import { formatExplorer, parseExplorer, type ExplorerState } from './explorer-url';

describe('explorer URL state', () => {
  it('round-trips every part of the view through the hash', () => {
    const s: ExplorerState = {
      graph: 'import-kg-1',
      node: 'DOID:2841',
      sel: 'DrugCentral:100',
      exp: [
        { node: 'DOID:2841', edgeType: 'treats', direction: 'in' },
        { node: 'DrugCentral:100', edgeType: 'in_class', direction: 'out' },
      ],
      hideNodeTypes: ['gene'],
      hideEdgeTypes: ['associates', 'is_a'],
      path: { from: 'DOID:2841', to: 'SYMP:1', depth: 3 },
    };
    const hash = formatExplorer(s);
    expect(hash).toMatch(/^#\/graph\?g=import-kg-1&node=DOID%3A2841&sel=/);
    expect(parseExplorer(new URLSearchParams(hash.split('?')[1]))).toEqual(s);
  });

  it('ignores malformed expansions and bounds the path depth', () => {
    const s = parseExplorer(new URLSearchParams('exp=a~b~sideways&exp=x&from=a&to=b&depth=99'));
    expect(s.exp).toEqual([]);
    expect(s.path).toEqual({ from: 'a', to: 'b', depth: 6 });
  });
});

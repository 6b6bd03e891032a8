import { describe, expect, it } from 'vitest';
import { graphFileStats } from './graph-stats';
import { checkPacked, packGraph, stringAt, stringListAt } from './packed-graph';
import { smallGraphFile } from './test-graph.fixture';

describe('packGraph', () => {
  it('keeps every string and list', () => {
    const g = smallGraphFile();
    const p = packGraph(g, 'hash', 'g');
    g.nodes.name.forEach((name, i) => expect(stringAt(p.names, i)).toBe(name));
    g.nodes.synonyms.forEach((syn, i) => expect(stringListAt(p.synonyms, i)).toEqual(syn));
    g.nodes.xrefs.forEach((x, i) => expect(stringListAt(p.xrefs, i)).toEqual(x));
    expect(p.header.edgeCount).toBe(8);
    expect(checkPacked(p)).toBeNull();
  });

  it('rejects a dangling edge, naming the edge type and position', () => {
    const g = smallGraphFile();
    g.edges[1]!.dst[2] = 99;
    expect(graphFileStats(g).danglingEdges).toBe(1);
    expect(() => packGraph(g, 'h', 'g.json')).toThrow(/g\.json: edges\[1\] \(treats\) edge 2: dangling edge 4 → 99: the graph has 7 nodes/);
  });

  it('rejects an edge whose endpoints have the wrong node types', () => {
    const g = smallGraphFile();
    g.edges[1]!.src[0] = 2; // a symptom cannot treat
    expect(() => packGraph(g, 'h', 'g')).toThrow(/SYMP:0000604 → DOID:2841 joins symptom → disease, but treats joins drug → disease/);
  });

  it('detects any altered column through the checksum', () => {
    const p = packGraph(smallGraphFile(), 'h', 'g');
    p.edges[0]!.dst[1] = 2;
    expect(checkPacked(p)).toMatch(/checksum/);
    const q = packGraph(smallGraphFile(), 'h', 'g');
    q.names = { ...q.names, text: q.names.text.replace('asthma', 'asthmb') };
    expect(checkPacked(q)).toMatch(/checksum/);
    const r = packGraph(smallGraphFile(), 'h', 'g');
    r.types = r.types.subarray(0, 3);
    expect(checkPacked(r)).toMatch(/wrong length/);
  });
});

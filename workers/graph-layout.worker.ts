/// <reference lib="webworker" />
/**
 * Force-directed layout (cytoscape-fcose) off the main thread: a headless cytoscape
 * holds the elements, fcose places them, and only positions go back. Nodes already on
 * the canvas stay where they are, so expanding a group does not reshuffle what the user saw.
 */
import * as Comlink from 'comlink';
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import type { GraphLayoutApi } from './graph-layout-api';
import { starLayout } from './star-layout';

cytoscape.use(fcose);

const api: GraphLayoutApi = {
  async layout(nodes, edges) {
    const star = starLayout(nodes, edges);
    if (star) return star;
    const cy = cytoscape({
      headless: true,
      styleEnabled: true,
      style: [{ selector: 'node', style: { width: 24, height: 24 } }],
      elements: [
        ...nodes.map((n) => ({ group: 'nodes' as const, data: { id: n.id }, position: { x: n.x ?? 0, y: n.y ?? 0 } })),
        ...edges.map((e) => ({ group: 'edges' as const, data: { id: e.id, source: e.source, target: e.target } })),
      ],
    });
    // Seen nodes are pinned where they are (fixedNodeConstraint) and fcose places the new
    // ones around them. randomize stays on: with randomize: false, fcose 2.2 returned
    // every node on the line x = y in testing.
    const fixed = nodes.filter((n) => n.fixed && n.x !== undefined && n.y !== undefined).map((n) => ({ nodeId: n.id, position: { x: n.x!, y: n.y! } }));
    if (fixed.length === nodes.length) return Object.fromEntries(fixed.map((f) => [f.nodeId, f.position]));
    cy.layout({
      name: 'fcose',
      animate: false,
      randomize: true,
      ...(fixed.length ? { fixedNodeConstraint: fixed } : {}),
      quality: nodes.length > 800 ? 'draft' : 'default',
      // more room per node as the canvas fills, so an expanded group of dozens does not pile up
      // labels are up to 110 px wide: a small star needs long edges for them not to touch
      nodeRepulsion: () => (nodes.length > 40 ? 9000 : 8000),
      idealEdgeLength: () => (nodes.length > 40 ? 95 : 120),
      numIter: 1500,
    } as cytoscape.LayoutOptions).run();
    const out: Record<string, { x: number; y: number }> = {};
    cy.nodes().forEach((n) => {
      const p = n.position();
      out[n.id()] = { x: p.x, y: p.y };
    });
    cy.destroy();
    return out;
  },
};

Comlink.expose(api);

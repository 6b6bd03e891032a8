/**
 * The cytoscape canvas. Elements come from the CanvasModel (already within the element
 * budget); positions come from the layout worker, so a layout never blocks the page.
 * Nodes already seen keep their place; new ones start beside the node they came from.
 * On a crowded canvas (an expanded group of dozens) every name at once overlaps, so
 * names show for the opened, selected and path entities, for groups, on hover, and for
 * all once the user zooms in past ZOOM_FOR_ALL_LABELS.
 */
import cytoscape from 'cytoscape';
import { useEffect, useRef } from 'react';
import type { CanvasModel } from '../../views/graph/canvas-model';
import { layoutWorker } from './layout-client';
import { typeColour } from './type-colours';

/** up to this many entities, every name is shown */
export const LABEL_ALL_UP_TO = 30;
/** zoom level from which every name is shown on a crowded canvas */
export const ZOOM_FOR_ALL_LABELS = 1.6;

interface Props {
  model: CanvasModel;
  selected?: string;
  onSelect(id: string): void;
  onExpandGroup(edgeType: string, direction: 'in' | 'out'): void;
}

export function ExplorerCanvas({ model, selected, onSelect, onExpandGroup }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  const positions = useRef(new Map<string, { x: number; y: number }>());
  const handlers = useRef({ onSelect, onExpandGroup });
  handlers.current = { onSelect, onExpandGroup };

  useEffect(() => {
    const cy = cytoscape({
      container: box.current,
      minZoom: 0.1,
      maxZoom: 3,
      style: [
        { selector: 'node', style: { 'background-color': 'data(colour)', label: 'data(label)', 'font-size': 9, 'text-valign': 'bottom', 'text-margin-y': 3, width: 18, height: 18, 'text-max-width': '110px', 'text-wrap': 'ellipsis', 'min-zoomed-font-size': 6, 'text-background-color': '#ffffff', 'text-background-opacity': 0.8, 'text-background-padding': '1px' } },
        { selector: 'node.quiet', style: { label: '' } },
        { selector: 'node.quiet.hover, node.quiet:selected', style: { label: 'data(label)', 'z-index': 20, 'font-size': 11 } },
        { selector: 'node[kind = "group"]', style: { shape: 'round-rectangle', width: 26, height: 14, 'border-width': 1, 'border-color': '#555', 'border-style': 'dashed', 'font-style': 'italic', 'font-size': 11, 'z-index': 10, 'text-background-opacity': 0.95 } },
        { selector: 'node[?focus]', style: { width: 30, height: 30, 'border-width': 3, 'border-color': '#16324f', 'font-size': 12, 'font-weight': 'bold' } },
        { selector: 'node[?onPath]', style: { 'border-width': 3, 'border-color': '#d9534f' } },
        { selector: 'node:selected', style: { 'overlay-color': '#2a6f97', 'overlay-opacity': 0.25, 'overlay-padding': 6 } },
        { selector: 'edge', style: { width: 1, 'line-color': '#b8c2cc', 'curve-style': 'haystack', 'haystack-radius': 0 } },
        { selector: 'edge[?onPath]', style: { width: 3, 'line-color': '#d9534f', 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'target-arrow-color': '#d9534f', label: 'data(label)', 'font-size': 8 } },
      ],
      wheelSensitivity: 0.3,
      // cheaper frames while panning / zooming a full canvas
      hideEdgesOnViewport: true,
      textureOnViewport: true,
    });
    cy.on('tap', 'node', (ev) => {
      const n = ev.target as cytoscape.NodeSingular;
      if (n.data('kind') === 'group') handlers.current.onExpandGroup(n.data('edgeType'), n.data('direction'));
      else handlers.current.onSelect(n.id());
    });
    cy.on('dragfree', 'node', (ev) => positions.current.set(ev.target.id(), { ...ev.target.position() }));
    cy.on('mouseover', 'node', (ev) => (ev.target as cytoscape.NodeSingular).addClass('hover'));
    cy.on('mouseout', 'node', (ev) => (ev.target as cytoscape.NodeSingular).removeClass('hover'));
    // zoomed in far enough, a crowded canvas has room for every name
    let zoomedIn = false;
    cy.on('zoom', () => {
      const z = cy.zoom() >= ZOOM_FOR_ALL_LABELS;
      if (z === zoomedIn) return;
      zoomedIn = z;
      box.current?.setAttribute('data-all-labels', String(z));
      cy.batch(() => (z ? cy.nodes('.crowded').removeClass('quiet') : cy.nodes('.crowded').addClass('quiet')));
    });
    cyRef.current = cy;
    return () => {
      cy.destroy();
      cyRef.current = null;
    };
  }, []);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const known = positions.current;
    const focus = model.nodes.find((n) => n.focus);
    const start = (key: string, i: number) => {
      const p = known.get(key);
      if (p) return p;
      const anchor = known.get(model.anchorOf[key] ?? focus?.key ?? '') ?? { x: 0, y: 0 };
      const a = (i * 2.399) % (2 * Math.PI); // golden angle: spread new nodes around their anchor
      const r = 50 + 14 * Math.sqrt(i); // a spiral, not a ring: room for a hundred new nodes
      return { x: anchor.x + r * Math.cos(a), y: anchor.y + r * Math.sin(a) };
    };
    cy.batch(() => {
      cy.elements().remove();
      cy.add([
        ...model.nodes.map((n, i) => ({
          group: 'nodes' as const,
          data: { id: n.key, label: n.name, colour: typeColour(n.type), kind: n.kind, focus: !!n.focus, onPath: !!n.onPath, edgeType: n.group?.edgeType, direction: n.group?.direction },
          position: start(n.key, i),
        })),
        ...model.edges.map((e) => ({ group: 'edges' as const, data: { id: e.key, source: e.source, target: e.target, label: e.label, onPath: !!e.onPath } })),
      ]);
      // crowded: ordinary entities keep their names for hover / selection / zoom
      const crowded = model.nodes.filter((n) => n.kind === 'entity').length > LABEL_ALL_UP_TO;
      box.current?.setAttribute('data-crowded', String(crowded));
      if (crowded) {
        const quiet = cy.nodes('[kind = "entity"][!focus][!onPath]');
        quiet.addClass('crowded');
        if (cy.zoom() < ZOOM_FOR_ALL_LABELS) quiet.addClass('quiet');
      }
    });
    if (known.size === 0) cy.fit(undefined, 40);
    let stale = false;
    const seen = new Set(known.keys());
    void layoutWorker()
      .layout(
        model.nodes.map((n) => {
          const p = cy.getElementById(n.key).position();
          return { id: n.key, x: p.x, y: p.y, fixed: seen.has(n.key) };
        }),
        model.edges.map((e) => ({ id: e.key, source: e.source, target: e.target })),
      )
      .then((pos) => {
        if (stale || cyRef.current !== cy) return;
        cy.batch(() => {
          for (const [id, p] of Object.entries(pos)) {
            cy.getElementById(id).position(p);
            known.set(id, p);
          }
        });
        cy.fit(undefined, 40);
        box.current?.setAttribute('data-layout', 'done');
      })
      .catch(() => box.current?.setAttribute('data-layout', 'failed'));
    box.current?.setAttribute('data-layout', 'running');
    return () => {
      stale = true;
    };
  }, [model]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.nodes(':selected').unselect();
    if (selected) cy.getElementById(selected).select();
  }, [selected, model]);

  return <div ref={box} className="explorer-canvas" data-testid="explorer-canvas" data-elements={model.nodes.length + model.edges.length} role="img" aria-label={`Graph canvas: ${model.nodes.length} nodes, ${model.edges.length} edges`} />;
}

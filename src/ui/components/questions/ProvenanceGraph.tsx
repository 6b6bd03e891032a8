/** The item's provenance subgraph in cytoscape: masked answer, evidence path, distractors and their contradicting facts. */
import cytoscape from 'cytoscape';
import { useEffect, useRef } from 'react';
import type { QuestionRecord } from '../../../synthesis/record';
import { provenanceElements } from './provenance-elements';

const STYLE: cytoscape.StylesheetJson = [
  { selector: 'node', style: { label: 'data(label)', 'font-size': 9, 'text-wrap': 'wrap', 'text-max-width': '110px', width: 18, height: 18, 'background-color': '#9aa7b4' } },
  { selector: 'node.answer', style: { 'background-color': '#16324f', shape: 'star', width: 30, height: 30, 'font-weight': 'bold' } },
  { selector: 'node.evidence', style: { 'background-color': '#2a9d8f' } },
  { selector: 'node.dropped', style: { 'background-color': '#e9c46a', 'border-style': 'dashed', 'border-width': 2, 'border-color': '#8a6d00' } },
  { selector: 'node.hidden', style: { 'background-color': '#ffffff', 'border-width': 2, 'border-color': '#16324f' } },
  { selector: 'node.distractor', style: { 'background-color': '#e76f51', shape: 'diamond' } },
  { selector: 'edge', style: { width: 1.5, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', label: 'data(label)', 'font-size': 7, 'line-color': '#b8c2cc', 'target-arrow-color': '#b8c2cc' } },
  { selector: 'edge.evidence', style: { 'line-color': '#2a9d8f', 'target-arrow-color': '#2a9d8f', width: 2.5 } },
  { selector: 'edge.chain', style: { 'line-color': '#16324f', 'target-arrow-color': '#16324f', width: 2.5, 'line-style': 'dotted' } },
  { selector: 'edge.dropped', style: { 'line-style': 'dashed', 'line-color': '#e9c46a' } },
  { selector: 'edge.contradiction', style: { 'line-color': '#d62828', 'target-arrow-color': '#d62828', 'line-style': 'dashed', color: '#d62828' } },
];

export function ProvenanceGraph({ record }: { record: QuestionRecord }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current || !record.provenance) return;
    const cy = cytoscape({
      container: el.current,
      elements: provenanceElements(record),
      style: STYLE,
      layout: { name: 'breadthfirst', directed: false, roots: [record.provenance.answer_node.id], spacingFactor: 1.1, padding: 10 },
      userZoomingEnabled: true,
      wheelSensitivity: 0.3,
    });
    return () => cy.destroy();
  }, [record]);
  if (!record.provenance) return <p className="muted">Imported item: no KG provenance.</p>;
  return (
    <figure className="provenance">
      <div ref={el} className="provenance-canvas" data-testid="provenance-graph" aria-label="Provenance subgraph" />
      <figcaption className="legend muted">
        <span className="lg answer">★ masked answer</span> <span className="lg evidence">evidence shown</span> <span className="lg dropped">evidence withheld</span>{' '}
        <span className="lg hidden">hidden hop</span> <span className="lg distractor">◆ distractor</span> <span className="lg contradiction">fact ruling it out</span>
      </figcaption>
    </figure>
  );
}

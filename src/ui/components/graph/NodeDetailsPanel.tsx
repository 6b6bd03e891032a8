/**
 * Details of one entity: type, identifiers with their source, synonyms, degree per
 * edge type, rarity percentile, and the source datasets of each of its edges on the canvas.
 */
import { useEffect, useState } from 'react';
import type { NodeDetails } from '../../../graph/knowledge-graph';
import type { CanvasEdge } from '../../views/graph/canvas-model';
import { graphWorker } from '../../clients/graph-client';
import { useApp } from '../../store';
import { typeClass } from './type-colours';

/** "DrugBank:DB01001" → ["DrugBank", "DB01001"]; a bare id has no stated source. */
function splitCurie(x: string): [string, string] {
  const k = x.indexOf(':');
  return k > 0 ? [x.slice(0, k), x.slice(k + 1)] : ['—', x];
}

interface Props {
  id: string;
  canvasEdges: CanvasEdge[];
  names: Map<string, string>;
  actions?: React.ReactNode;
}

export function NodeDetailsPanel({ id, canvasEdges, names, actions }: Props) {
  const ready = useApp((s) => s.graph.phase === 'ready');
  const [d, setD] = useState<NodeDetails | null | undefined>(undefined);
  useEffect(() => {
    if (!ready) return;
    let stale = false;
    void graphWorker()
      .details(id)
      .then((x) => !stale && setD(x));
    return () => {
      stale = true;
    };
  }, [id, ready]);
  if (d === undefined) return null;
  if (d === null) return <div className="panel">No entity with id {id} in this graph.</div>;
  const edges = canvasEdges.filter((e) => (e.source === d.id || e.target === d.id) && e.datasets.length);
  const percentile = Math.round((1 - d.rarity) * 100);
  return (
    <div className="panel details" data-testid="node-details">
      <h3>
        <span className={`badge ${typeClass(d.type)}`}>{d.type}</span> {d.name}
      </h3>
      <p>
        degree {d.degree} · rarity: {percentile}th percentile ({(d.rarity * 100).toFixed(1)}% of {d.type} nodes are more connected)
      </p>
      <table className="identifiers" aria-label="Identifiers">
        <tbody>
          {[d.id, ...d.xrefs].map((x) => {
            const [src, local] = splitCurie(x);
            return (
              <tr key={x}>
                <td className="muted">{src}</td>
                <td>
                  <code>{local}</code>
                  {x === d.id ? <span className="muted"> (primary)</span> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {d.synonyms.length > 0 && <p>Also known as: {d.synonyms.join('; ')}</p>}
      <p>From: {d.datasets.join(', ')}</p>
      <table aria-label="Degree per edge type">
        <tbody>
          {d.degreeByEdgeType.map((e) => (
            <tr key={e.edgeType + e.direction}>
              <td>{e.label}</td>
              <td>{e.count}</td>
              <td>{e.otherType}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {edges.length > 0 && (
        <details>
          <summary>Sources of its {edges.length} edges on the canvas</summary>
          <ul className="edge-sources">
            {edges.slice(0, 200).map((e) => (
              <li key={e.key}>
                {names.get(e.source) ?? e.source} <em>{e.label}</em> {names.get(e.target) ?? e.target}: <span className="muted">{e.datasets.join(', ')}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {actions}
    </div>
  );
}

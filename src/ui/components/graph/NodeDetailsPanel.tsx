/**
 * Details of one entity: type, identifiers with their source, synonyms, degree per
 * edge type, how connected it is among its type (in words), and the source datasets of each
 * of its edges on the canvas.
 */
import { useEffect, useState } from 'react';
import type { EntityDetails } from '../../../../workers/graph-api';
import type { CanvasEdge } from '../../views/graph/canvas-model';
import { Term } from '../help/Term';
import { graphWorker } from '../../clients/graph-client';
import { useApp } from '../../store';
import { typeClass } from './type-colours';

/** a share as a percentage that never rounds a non-zero share to 0 or a partial one to 100 */
export function pct(x: number): string {
  const p = x * 100;
  if (p === 0 || p === 100) return String(p);
  if (p < 0.1) return '<0.1';
  if (p > 99.9) return '>99.9';
  return p < 10 || p > 90 ? p.toFixed(1) : p.toFixed(0);
}

/**
 * Where the entity stands among entities of its type, in words that read the right way
 * round: the hub is "more connected than 99.9% of diseases", a long-tail entity is
 * "rarer than 80% of symptoms" — the ones long-tail sampling favours.
 */
export function connectedness(d: Pick<EntityDetails, 'rarity' | 'lessConnectedShare' | 'type'>): string {
  const kind = `${d.type.replace(/_/g, ' ')} entities`;
  if (d.rarity === 0) return `the most connected of the ${kind} in this graph (more connected than ${pct(d.lessConnectedShare)}% of them)`;
  if (d.lessConnectedShare >= d.rarity) return `more connected than ${pct(d.lessConnectedShare)}% of ${kind}; ${pct(d.rarity)}% have more relations`;
  return `rarer than ${pct(d.rarity)}% of ${kind} (they have more relations): the long tail, which question sampling favours`;
}

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
  const [d, setD] = useState<EntityDetails | null | undefined>(undefined);
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
  return (
    <div className="panel details" data-testid="node-details">
      <h3>
        <span className={`badge ${typeClass(d.type)}`}>{d.type}</span> {d.name}
      </h3>
      <p data-testid="connectedness">
        <Term k="degree" /> {d.degree.toLocaleString('en')} · <Term k="connectedness" />: {connectedness(d)}
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

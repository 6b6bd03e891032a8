/**
 * Graph view (foundation): the default graph's load state and make-up, and name search
 * with a details panel. The cytoscape explorer builds on this.
 */
import { useEffect, useState } from 'react';
import type { NodeDetails } from '../../graph/knowledge-graph';
import type { SearchHitDto } from '../../../workers/graph-api';
import { graphWorker } from '../clients/graph-client';
import { formatHash } from '../routes';
import { loadGraph } from '../start';
import { useApp } from '../store';

function fmtBytes(b: number): string {
  return b > 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${(b / 1e3).toFixed(0)} kB`;
}

function LoadStatus() {
  const graph = useApp((s) => s.graph);
  if (graph.phase === 'error') {
    return (
      <div className="panel error" role="alert">
        <p>The knowledge graph could not be loaded: {graph.message}</p>
        <button onClick={() => void loadGraph()}>Try again</button>
      </div>
    );
  }
  if (graph.phase === 'loading') {
    const p = graph.progress;
    const pct = p?.done !== undefined && p.total ? Math.min(100, (100 * p.done) / p.total) : undefined;
    return (
      <div className="panel" role="status" data-testid="graph-loading">
        <p>{p?.message ?? 'Starting the graph worker'}…</p>
        <progress max={100} value={pct} />
      </div>
    );
  }
  const r = graph.result;
  return (
    <div className="panel" data-testid="graph-ready">
      <p>
        <strong>{r.name}</strong>: <span data-testid="node-count">{r.stats.nodes.toLocaleString('en')}</span> nodes,{' '}
        <span data-testid="edge-count">{r.stats.edges.toLocaleString('en')}</span> edges — loaded{' '}
        <span data-testid="load-source">{r.source === 'cache' ? 'from the IndexedDB cache' : 'from the app files'}</span> in {Math.round(r.timings.total ?? 0)} ms,{' '}
        {fmtBytes(r.memoryBytes)} in memory.
        {r.cacheNote && r.source === 'network' ? <span className="muted"> (cache: {r.cacheNote})</span> : null}
      </p>
      <details>
        <summary>Node and edge types</summary>
        <div className="type-tables">
          <table>
            <thead>
              <tr><th>node type</th><th>count</th></tr>
            </thead>
            <tbody>
              {Object.entries(r.stats.nodeTypes).map(([t, c]) => (
                <tr key={t}><td><span className={`badge t-${t}`}>{t}</span></td><td>{c.toLocaleString('en')}</td></tr>
              ))}
            </tbody>
          </table>
          <table>
            <thead>
              <tr><th>edge type</th><th>count</th></tr>
            </thead>
            <tbody>
              {Object.entries(r.stats.edgeTypes).map(([t, c]) => (
                <tr key={t}><td>{t}</td><td>{c.toLocaleString('en')}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

function Search({ onOpen }: { onOpen(id: string): void }) {
  const ready = useApp((s) => s.graph.phase === 'ready');
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHitDto[]>([]);
  useEffect(() => {
    if (!ready || query.trim().length === 0) {
      setHits([]);
      return;
    }
    let stale = false;
    void graphWorker()
      .search(query, 20)
      .then((h) => !stale && setHits(h));
    return () => {
      stale = true;
    };
  }, [query, ready]);
  return (
    <div className="search">
      <input type="search" placeholder={ready ? 'Search diseases, symptoms, drugs, genes… (name or id)' : 'Loading the graph…'} aria-label="Search entities" value={query} onChange={(e) => setQuery(e.target.value)} disabled={!ready} />
      <ul className="hits" data-testid="search-results">
        {hits.map((h) => (
          <li key={h.id}>
            <button onClick={() => onOpen(h.id)}>
              <span className={`badge t-${h.type}`}>{h.type}</span> {h.name}
              {h.matched !== h.name ? <span className="muted"> ({h.kind === 'fuzzy' ? '≈ ' : ''}{h.matched})</span> : null}
              <span className="muted right">degree {h.degree}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Details({ id }: { id: string }) {
  const ready = useApp((s) => s.graph.phase === 'ready');
  const [d, setD] = useState<NodeDetails | null | undefined>(undefined);
  useEffect(() => {
    if (!ready) return;
    void graphWorker().details(id).then(setD);
  }, [id, ready]);
  if (d === undefined) return null;
  if (d === null) return <div className="panel">No entity with id {id} in this graph.</div>;
  return (
    <div className="panel details" data-testid="node-details">
      <h3>
        <span className={`badge t-${d.type}`}>{d.type}</span> {d.name}
      </h3>
      <p>
        <code>{d.id}</code> · degree {d.degree} · {(d.rarity * 100).toFixed(1)}% of {d.type} nodes are more connected (rarity)
      </p>
      {d.xrefs.length > 0 && <p>Identifiers: {d.xrefs.map((x) => <code key={x}>{x} </code>)}</p>}
      {d.synonyms.length > 0 && <p>Also known as: {d.synonyms.join('; ')}</p>}
      <p>From: {d.datasets.join(', ')}</p>
      <table>
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
    </div>
  );
}

export function GraphView() {
  const params = useApp((s) => s.route.params);
  const selected = params.get('node');
  return (
    <section>
      <h2>Knowledge graph</h2>
      <LoadStatus />
      <div className="graph-columns">
        <Search onOpen={(id) => (location.hash = formatHash('graph', { node: id }))} />
        {selected ? <Details id={selected} /> : null}
      </div>
    </section>
  );
}

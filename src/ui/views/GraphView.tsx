/**
 * Graph view: load state and make-up of the active graph, the graph library (switch,
 * import, delete), and the explorer — search, an entity with its neighbours grouped by
 * edge type, expand / collapse, type filters, details, shortest path — all of whose
 * state lives in the URL.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { NeighbourGroup } from '../../graph/explore';
import type { SearchHitDto } from '../../../workers/graph-api';
import { graphWorker } from '../clients/graph-client';
import { ExplorerCanvas, LABEL_ALL_UP_TO } from '../components/graph/ExplorerCanvas';
import { GraphLibrary, switchGraph } from '../components/graph/GraphLibrary';
import { NodeDetailsPanel } from '../components/graph/NodeDetailsPanel';
import { typeClass } from '../components/graph/type-colours';
import { Term } from '../components/help/Term';
import { fmtBytes } from '../format';
import '../components/graph/explorer.css';
import { loadGraph } from '../start';
import { useApp } from '../store';
import { buildCanvas, elementCount, MAX_ELEMENTS, type CanvasModel } from './graph/canvas-model';
import { navigate, parseExplorer, sameExpansion, type ExplorerState, type Expansion } from './graph/explorer-url';

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
        <strong data-testid="graph-name">{r.name}</strong>: <span data-testid="node-count">{r.stats.nodes.toLocaleString('en')}</span> nodes,{' '}
        <span data-testid="edge-count">{r.stats.edges.toLocaleString('en')}</span> edges — loaded{' '}
        <span data-testid="load-source">{r.source === 'cache' ? 'from the IndexedDB cache' : r.id && r.id !== 'default' ? 'from the imported file' : 'from the app files'}</span> in{' '}
        {Math.round(r.timings.total ?? 0)} ms, {fmtBytes(r.memoryBytes)} in memory.
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
                <tr key={t}><td><span className={`badge ${typeClass(t)}`}>{t}</span></td><td>{c.toLocaleString('en')}</td></tr>
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

/**
 * Search as you type; the results are an overlay under the box (the canvas never moves)
 * that closes on a pick, Escape or a click elsewhere; arrow keys and Enter pick too.
 */
function Search({ onOpen }: { onOpen(id: string): void }) {
  const ready = useApp((s) => s.graph.phase === 'ready');
  const graphId = useApp((s) => (s.graph.phase === 'ready' ? s.graph.result.id : undefined));
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<{ query: string; hits: SearchHitDto[] } | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ready || query.trim().length === 0) {
      setResult(null);
      return;
    }
    let stale = false;
    void graphWorker()
      .search(query, 20)
      .then((hits) => {
        if (stale) return;
        setResult({ query, hits });
        setActive(0);
      });
    return () => {
      stale = true;
    };
  }, [query, ready, graphId]);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);
  const q = query.trim();
  const hits = result && result.query === query ? result.hits : null;
  const pick = (id: string) => {
    setOpen(false);
    onOpen(id);
  };
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape' && open) {
      e.preventDefault(); // keep the query (a search box clears itself on Escape); a second Escape clears it
      setOpen(false);
    }
    else if (e.key === 'ArrowDown' && hits?.length) {
      e.preventDefault();
      if (!open) return setOpen(true);
      setActive((a) => Math.min(hits.length - 1, a + 1));
    } else if (e.key === 'ArrowUp' && hits?.length) {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter' && open && hits?.[active]) {
      e.preventDefault();
      pick(hits[active]!.id);
    }
  };
  const shown = open && q.length > 0;
  return (
    <div className="search" ref={box}>
      <input
        type="search"
        placeholder={ready ? 'Search diseases, symptoms, drugs, genes… (name, synonym or id such as DOID:2841)' : 'Loading the graph…'}
        aria-label="Search entities"
        aria-controls="entity-search-results"
        aria-expanded={shown}
        aria-autocomplete="list"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onClick={() => setOpen(true)}
        onKeyDown={onKey}
        disabled={!ready}
      />
      {shown && (
        <ul className="hits" id="entity-search-results" data-testid="search-results">
          {hits === null ? (
            <li className="hits-note muted">Searching…</li>
          ) : hits.length === 0 ? (
            <li className="hits-note" data-testid="no-match">
              No entity matches “{q}”. Try fewer letters (“asth”), another name or a synonym (“heart attack”), or an identifier such as DOID:2841 or DB01222; one or
              two typos per word are forgiven.
            </li>
          ) : (
            hits.map((h, i) => (
              <li key={h.id}>
                <button className={i === active ? 'active' : ''} onMouseEnter={() => setActive(i)} onClick={() => pick(h.id)}>
                  <span className={`badge ${typeClass(h.type)}`}>{h.type}</span> {h.name}
                  {h.matched !== h.name ? <span className="muted"> ({h.kind === 'fuzzy' ? '≈ ' : ''}{h.matched})</span> : null}
                  <span className="muted right">degree {h.degree}</span>
                </button>
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}

/** An entity's display name, looked up in the worker (ids are never shown where a name exists). */
function useEntityName(id: string | undefined, known?: Map<string, string>): string | undefined {
  const ready = useApp((s) => s.graph.phase === 'ready');
  const [name, setName] = useState<{ id: string; name: string } | null>(null);
  const fromCanvas = id ? known?.get(id) : undefined;
  useEffect(() => {
    if (!id || fromCanvas || !ready) return;
    let stale = false;
    void graphWorker()
      .summary(id)
      .then((s) => !stale && setName({ id, name: s?.name ?? id }));
    return () => {
      stale = true;
    };
  }, [id, fromCanvas, ready]);
  if (!id) return undefined;
  return fromCanvas ?? (name?.id === id ? name.name : undefined);
}

/** The selected entity's neighbour groups, each with expand / collapse. */
function NeighbourGroups({ id, state }: { id: string; state: ExplorerState }) {
  const ready = useApp((s) => s.graph.phase === 'ready');
  const [groups, setGroups] = useState<NeighbourGroup[] | null>(null);
  useEffect(() => {
    if (!ready) return;
    let stale = false;
    void graphWorker()
      .neighbours(id, { limit: 0 })
      .then((g) => !stale && setGroups(g));
    return () => {
      stale = true;
    };
  }, [id, ready]);
  if (!groups) return null;
  const visible = groups.filter((g) => !state.hideEdgeTypes.includes(g.edgeType) && !state.hideNodeTypes.includes(g.otherType));
  return (
    <section className="panel" aria-label="Neighbours" data-testid="neighbour-groups">
      <strong>Neighbours by relation</strong>
      <ul className="groups">
        {visible.map((g) => {
          const exp: Expansion = { node: id, edgeType: g.edgeType, direction: g.direction };
          const open = state.exp.some((e) => sameExpansion(e, exp));
          const text = `${g.label} (${g.total.toLocaleString('en')} ${g.otherType})`;
          return (
            <li key={g.edgeType + g.direction}>
              <span>{text}</span>
              <button
                aria-label={`${open ? 'Collapse' : 'Expand'} ${text}`}
                onClick={() => navigate({ ...state, exp: open ? state.exp.filter((e) => !sameExpansion(e, exp)) : [...state.exp, exp] })}
              >
                {open ? 'Collapse' : 'Expand'}
              </button>
            </li>
          );
        })}
        {visible.length === 0 && <li className="muted">No neighbours{groups.length ? ' of the visible types' : ''}.</li>}
      </ul>
    </section>
  );
}

function Filters({ state }: { state: ExplorerState }) {
  const result = useApp((s) => (s.graph.phase === 'ready' ? s.graph.result : null));
  if (!result) return null;
  const toggle = (key: 'hideNodeTypes' | 'hideEdgeTypes', t: string) => {
    const cur = state[key];
    navigate({ ...state, [key]: cur.includes(t) ? cur.filter((x) => x !== t) : [...cur, t] });
  };
  return (
    <details className="panel">
      <summary>Filter node and edge types</summary>
      <fieldset className="filters">
        <legend>Node types shown</legend>
        {Object.keys(result.stats.nodeTypes).map((t) => (
          <label key={t}>
            <input type="checkbox" checked={!state.hideNodeTypes.includes(t)} onChange={() => toggle('hideNodeTypes', t)} /> {t}
          </label>
        ))}
      </fieldset>
      <fieldset className="filters">
        <legend>Edge types shown</legend>
        {Object.keys(result.stats.edgeTypes).map((t) => (
          <label key={t}>
            <input type="checkbox" checked={!state.hideEdgeTypes.includes(t)} onChange={() => toggle('hideEdgeTypes', t)} /> {t}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

function PathPanel({ state, model, names }: { state: ExplorerState; model: CanvasModel | null; names: Map<string, string> }) {
  const fromName = useEntityName(state.path?.from, names);
  const toName = useEntityName(state.path?.to, names);
  if (!state.path) return null;
  const p = state.path;
  return (
    <section className="panel" aria-label="Shortest path" data-testid="path-result">
      <div className="path-form">
        <strong>
          <Term k="path">Path</Term>
        </strong>{' '}
        {fromName ?? '…'} → {toName ?? '…'}, at most
        <select aria-label="Path depth" value={p.depth} onChange={(e) => navigate({ ...state, path: { ...p, depth: Number(e.target.value) } })}>
          {[1, 2, 3, 4, 5, 6].map((d) => (
            <option key={d} value={d}>{d}</option>
          ))}
        </select>
        <Term k="hop">hops</Term> <button onClick={() => navigate({ ...state, path: undefined })}>Clear path</button>
      </div>
      {model?.path === undefined ? <p className="muted">Searching…</p> : model.path === null ? <p>No path within {p.depth} hops: allow more hops above, or show hidden relation types in the filters.</p> : (
        <ol className="path-steps">
          {model.path.map((s) => (
            <li key={s.node.id}>
              {s.via ? <em>{s.via.label} </em> : null}
              <span className={`badge ${typeClass(s.node.type)}`}>{s.node.type}</span> {s.node.name}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Explorer({ state }: { state: ExplorerState }) {
  const ready = useApp((s) => s.graph.phase === 'ready');
  const graphId = useApp((s) => (s.graph.phase === 'ready' ? s.graph.result.id : undefined));
  const [model, setModel] = useState<CanvasModel | null>(null);
  /** the first end of a path being chosen: the next entity picked is the other end */
  const [pathStart, setPathStart] = useState<{ id: string; name: string } | null>(null);
  const key = JSON.stringify([state.node, state.exp, state.hideNodeTypes, state.hideEdgeTypes, state.path]);
  useEffect(() => {
    if (!ready || !state.node) {
      setModel(null);
      return;
    }
    let stale = false;
    void buildCanvas(graphWorker(), state).then((m) => !stale && setModel(m));
    return () => {
      stale = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, ready, graphId]);
  const names = useMemo(() => new Map((model?.nodes ?? []).filter((n) => n.kind === 'entity').map((n) => [n.id, n.name])), [model]);
  useEffect(() => {
    if (!pathStart) return;
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && setPathStart(null);
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [pathStart]);
  if (!state.node) return null;
  const selected = state.sel ?? state.node;
  const entities = (model?.nodes ?? []).filter((n) => n.kind === 'entity');
  const startPath = () =>
    void graphWorker()
      .summary(selected)
      .then((s) => setPathStart({ id: selected, name: s?.name ?? names.get(selected) ?? selected }));
  return (
    <div className="explorer">
      <div className="explorer-side">
        {pathStart && (
          <div className="panel path-pick" role="status" data-testid="path-pick">
            <p>
              <strong>Shortest path from {pathStart.name}.</strong> Now choose the other end: click an entity on the canvas or in the list under it, or search for one above; then
              press <em>Shortest path from {pathStart.name} to here</em>.
            </p>
            <button type="button" onClick={() => setPathStart(null)}>
              Cancel path
            </button>
          </div>
        )}
        <NeighbourGroups id={selected} state={state} />
        <NodeDetailsPanel
          id={selected}
          canvasEdges={model?.edges ?? []}
          names={names}
          actions={
            <p>
              {selected !== state.node && <button onClick={() => navigate({ ...state, node: selected, sel: undefined })}>Open on its own</button>}{' '}
              {pathStart ? (
                pathStart.id !== selected ? (
                  <button className="primary" onClick={() => { navigate({ ...state, path: { from: pathStart.id, to: selected, depth: state.path?.depth ?? 4 } }); setPathStart(null); }}>
                    Shortest path from {pathStart.name} to here
                  </button>
                ) : (
                  <span className="muted">Path starts here: choose the other end.</span>
                )
              ) : (
                <button onClick={startPath} title="Find the fewest relations linking this entity to another one you choose next">
                  Path from here…
                </button>
              )}
            </p>
          }
        />
        <PathPanel state={state} model={model} names={names} />
      </div>
      <div>
        <Filters state={state} />
        {model && model.notes.length > 0 && (
          <div className="canvas-notes" data-testid="canvas-notes">
            {model.notes.map((n) => <p key={n}>{n}</p>)}
          </div>
        )}
        <ExplorerCanvas
          model={model ?? { nodes: [], edges: [], focusGroups: [], notes: [], path: undefined, anchorOf: {} }}
          selected={selected}
          onSelect={(id) => navigate({ ...state, sel: id })}
          onExpandGroup={(edgeType, direction) => navigate({ ...state, exp: [...state.exp, { node: state.node!, edgeType, direction }] })}
        />
        <p className="muted">
          {model ? `${elementCount(model).toLocaleString('en')} of at most ${MAX_ELEMENTS.toLocaleString('en')} elements on the canvas.` : 'Building the view…'} Click a node for its details, a dashed
          group to expand it; drag to rearrange; scroll to zoom.
          {entities.length > LABEL_ALL_UP_TO ? ' With this many entities, names show on hover, for the selected ones, and once you zoom in.' : ''}
        </p>
        <details open>
          <summary>Entities on the canvas ({entities.length})</summary>
          <ul className="canvas-nodes" data-testid="canvas-nodes">
            {entities.map((n) => (
              <li key={n.id}>
                <button onClick={() => navigate({ ...state, sel: n.id })} aria-label={`Details of ${n.name}`}>
                  <span className={`badge ${typeClass(n.type)}`}>{n.type}</span> {n.name}
                </button>
              </li>
            ))}
          </ul>
        </details>
      </div>
    </div>
  );
}

export function GraphView() {
  const params = useApp((s) => s.route.params);
  const graph = useApp((s) => s.graph);
  const state = useMemo(() => parseExplorer(params), [params]);
  const activeId = graph.phase === 'ready' ? (graph.result.id ?? 'default') : undefined;
  // A shared link names its graph: open that one when it is in this browser's library.
  // Acts when the link's graph changes, not when the active graph does (an import or a
  // switch changes the active graph first and the URL right after).
  const seen = useRef<string | null>(null);
  useEffect(() => {
    if (!state.graph || !activeId || seen.current === state.graph) return;
    seen.current = state.graph;
    if (state.graph === activeId) return;
    void graphWorker()
      .listGraphs()
      .then((l) => (l.some((g) => g.id === state.graph) ? switchGraph(state.graph!) : undefined));
  }, [state.graph, activeId]);
  const open = (id: string) => navigate({ graph: activeId, node: id, exp: [], hideNodeTypes: state.hideNodeTypes, hideEdgeTypes: state.hideEdgeTypes });
  return (
    <section>
      <h2>Knowledge graph</h2>
      <LoadStatus />
      <GraphLibrary onSwitched={(id) => navigate({ graph: id, exp: [], hideNodeTypes: [], hideEdgeTypes: [] })} />
      <Search onOpen={open} />
      <Explorer state={state} />
    </section>
  );
}

/**
 * Virtualised question table: fixed-height rows, only the visible window is in the DOM,
 * so thousands of items scroll smoothly. Each row gives the stem the whole width (two
 * lines, wrapped; the full text on hover) with type, tier, status and source as a line of
 * small facts beneath, so it reads at any width. The selected row is kept in view.
 */
import { useEffect, useRef, useState } from 'react';
import type { QuestionRecord } from '../../../synthesis/record';

/** row height: two lines of stem and one line of facts */
export const ROW = 62;
const HEIGHT = 440;
const OVERSCAN = 6;

export function QuestionTable({ rows, selectedId, onSelect, graphName }: { rows: QuestionRecord[]; selectedId: string | null; onSelect(id: string): void; graphName?: (id: string) => string }) {
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const selectedIndex = selectedId ? rows.findIndex((r) => r.id === selectedId) : -1;

  useEffect(() => {
    const el = box.current;
    if (!el || selectedIndex < 0) return;
    const y = selectedIndex * ROW;
    if (y < el.scrollTop) el.scrollTop = y;
    else if (y + ROW > el.scrollTop + HEIGHT - ROW) el.scrollTop = y + 2 * ROW - HEIGHT;
  }, [selectedIndex]);

  const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((top + HEIGHT) / ROW) + OVERSCAN);
  return (
    <div className="q-table" role="grid" aria-label="Questions" aria-rowcount={rows.length} data-testid="question-table">
      <div className="q-row q-head" role="row">
        <span role="columnheader">question · type · tier · status · source</span>
      </div>
      <div ref={box} className="q-body" style={{ height: HEIGHT }} onScroll={(e) => setTop((e.target as HTMLDivElement).scrollTop)}>
        <div style={{ height: rows.length * ROW, position: 'relative' }}>
          {rows.slice(first, last).map((r, k) => {
            const i = first + k;
            const graph = r.source === 'synthetic' && r.provenance && graphName ? graphName(r.provenance.graph) : null;
            return (
              <div
                key={r.id}
                role="row"
                aria-rowindex={i + 1}
                aria-selected={r.id === selectedId}
                data-testid="question-row"
                data-id={r.id}
                className={`q-row${r.id === selectedId ? ' selected' : ''} st-${r.status}`}
                style={{ position: 'absolute', top: i * ROW, height: ROW, left: 0, right: 0 }}
                onClick={() => onSelect(r.id)}
              >
                <span className="q-stem" role="gridcell" title={r.question}>
                  {r.question}
                </span>
                <span className="q-facts" role="gridcell">
                  <span>{r.type.replace(/_/g, ' ')}</span>
                  <span className={`tier tier-${r.difficulty}`}>{r.difficulty}</span>
                  <span data-testid="row-status" className={`status status-${r.status}`}>
                    {r.status}
                  </span>
                  <span>{graph ? `synthetic · ${graph}` : r.source}</span>
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/**
 * The validity report of a generation run (src/synthesis/validity.ts): how many items fall in
 * each defect class a clinician reviewer found, the tier split per type, and the types the
 * graph could not feed. The counts check the run against the engine's own definitions; a
 * clinician (or the LLM verifier) still has the last word, and the text says so.
 */
import type { UnavailableType } from '../../../synthesis/engine';
import { DEFECT_CLASSES, DEFECT_LABELS, type ValidityReport } from '../../../synthesis/validity';

export function ValidityReportView({ report, unavailable }: { report?: ValidityReport; unavailable?: UnavailableType[] }) {
  return (
    <div className="validity-report" data-testid="validity-report">
      {unavailable?.length ? (
        <ul className="unavailable" data-testid="unavailable-types">
          {unavailable.map((u) => (
            <li key={u.type}>
              <strong>{u.type.replace(/_/g, ' ')}</strong>
              {u.reason.startsWith('off by default')
                ? ` was not run — ${u.reason} (tick it under Question types to run it anyway).`
                : ` could not run on this graph: ${u.reason}.`}
            </li>
          ))}
        </ul>
      ) : null}
      {report && (
        <details open={DEFECT_CLASSES.some((c) => report.counts[c] > 0)}>
          <summary>
            Consistency check: {report.secondRightAnswer} of {report.items} items with a possible second right answer by the generator&apos;s own rules;{' '}
            {DEFECT_CLASSES.reduce((a, c) => a + (report.counts[c] > 0 ? 1 : 0), 0)} defect classes found
          </summary>
          <p className="hint" data-testid="validity-caveat">
            Each count is the number of items with at least one defect of that class, re-checked against the graph with the same rules the generator uses (edge
            trust, relatives, clinical groups, organ systems, the display lexicon). A count of 0 means the items are consistent with those rules — not that a
            clinician would sign them off: the rules can be wrong or incomplete where the graph is. Review a sample, or run the LLM verifier.
          </p>
          <table>
            <tbody>
              {DEFECT_CLASSES.map((c) => (
                <tr key={c} className={report.counts[c] > 0 ? 'defect-found' : undefined}>
                  <td>{report.counts[c]}</td>
                  <td>{DEFECT_LABELS[c]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            Tiers per type (easy / moderate / difficult):{' '}
            {Object.entries(report.tiersPerType)
              .map(([t, d]) => `${t.replace(/_/g, ' ')} ${d.easy}/${d.moderate}/${d.difficult}`)
              .join('; ')}
            .
          </p>
        </details>
      )}
    </div>
  );
}

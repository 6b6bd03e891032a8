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
              <strong>{u.type.replace(/_/g, ' ')}</strong> could not run on this graph: {u.reason}.
            </li>
          ))}
        </ul>
      ) : null}
      {report && (
        <details open={DEFECT_CLASSES.some((c) => report.counts[c] > 0)}>
          <summary>
            Validity report: {report.secondRightAnswer} of {report.items} items with a possible second right answer;{' '}
            {DEFECT_CLASSES.reduce((a, c) => a + (report.counts[c] > 0 ? 1 : 0), 0)} defect classes found
          </summary>
          <p className="hint">
            Each count is the number of items with at least one defect of that class, re-checked against the graph. The checks use the same definitions the
            generator was built to (what counts as a relative, a weak edge, a finding), so they show consistency, not clinical truth: review a sample.
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

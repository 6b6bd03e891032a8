/**
 * The Table-4 ablation (base → +CoT SFT → +RL stage 1 → +RL stage 2) as a table: accuracy per
 * difficulty tier on the held-out synthetic items, overall, on the imported benchmark items, the
 * format rate, and the gain over the base row — as the paper's Table 4 reports Δ Avg. Rendered to
 * CSV and Markdown for export. Pure.
 */
import { mdText } from '../../../synthesis/export/markdown-text';
import { DIFFICULTIES } from '../../../synthesis/record';
import type { AblationResult, AblationRow } from '../../../../workers/training-api';

export const ROW_LABELS: Record<AblationRow['row'], string> = { base: 'Base', sft: '+CoT SFT', rl_stage1: '+RL stage 1', rl_stage2: '+RL stage 2' };

export interface AblationCell {
  /** accuracy in percent, or null when the row or set is missing */
  value: number | null;
  n: number;
}

export interface AblationLine {
  row: AblationRow['row'];
  label: string;
  step: number | null;
  easy: AblationCell;
  moderate: AblationCell;
  difficult: AblationCell;
  overall: AblationCell;
  imported: AblationCell;
  format: number | null;
  /** overall accuracy minus the base row's, in points */
  delta: number | null;
}

export const COLUMNS = ['Easy', 'Moderate', 'Difficult', 'Held-out overall', 'Imported benchmark', 'Format', 'Δ overall'] as const;

const pct = (x: number | undefined | null) => (x === undefined || x === null || !Number.isFinite(x) ? null : x * 100);

export function ablationLines(a: AblationResult): AblationLine[] {
  const base = a.rows.find((r) => r.row === 'base')?.heldout?.accuracy;
  return a.rows.map((r) => {
    const h = r.heldout;
    const tier = (t: (typeof DIFFICULTIES)[number]): AblationCell => ({ value: pct(h?.perDifficulty[t]?.accuracy), n: h?.perDifficulty[t]?.n ?? 0 });
    return {
      row: r.row,
      label: ROW_LABELS[r.row],
      step: r.step,
      easy: tier('easy'),
      moderate: tier('moderate'),
      difficult: tier('difficult'),
      overall: { value: pct(h?.accuracy), n: h?.n ?? 0 },
      imported: { value: pct(h?.imported?.accuracy), n: h?.imported?.n ?? 0 },
      format: pct(h?.formatRate),
      delta: h && base !== undefined ? (h.accuracy - base) * 100 : null,
    };
  });
}

const num = (v: number | null, signed = false) => (v === null ? '' : `${signed && v >= 0 ? '+' : ''}${v.toFixed(1)}`);

function cells(l: AblationLine): string[] {
  return [num(l.easy.value), num(l.moderate.value), num(l.difficult.value), num(l.overall.value), num(l.imported.value), num(l.format), num(l.delta, true)];
}

const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** CSV: one line per row; accuracies in percent; the n of each set in its own columns */
export function ablationCsv(a: AblationResult): string {
  const head = ['variant', 'checkpoint_step', 'easy_acc', 'moderate_acc', 'difficult_acc', 'heldout_acc', 'imported_acc', 'format_rate', 'delta_vs_base', 'n_easy', 'n_moderate', 'n_difficult', 'n_heldout', 'n_imported'];
  const lines = ablationLines(a).map((l) => [l.label, l.step === null ? '' : String(l.step), ...cells(l), String(l.easy.n), String(l.moderate.n), String(l.difficult.n), String(l.overall.n), String(l.imported.n)].map(csvField).join(','));
  return [head.join(','), ...lines].join('\n') + '\n';
}

export function ablationMarkdown(a: AblationResult): string {
  const lines = ablationLines(a);
  const n = lines.find((l) => l.overall.n > 0);
  const out = [
    `Ablation of training stages (accuracy %, ${mdText(a.heldoutName)}${n ? `; n = ${n.easy.n}/${n.moderate.n}/${n.difficult.n} easy/moderate/difficult, ${n.imported.n} imported` : ''}).`,
    '',
    `| Variant | ${COLUMNS.join(' | ')} |`,
    `| --- | ${COLUMNS.map(() => '---:').join(' | ')} |`,
    ...lines.map((l) => `| ${l.label} | ${cells(l).map((c) => c || '–').join(' | ')} |`),
  ];
  return out.join('\n') + '\n';
}

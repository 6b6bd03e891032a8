/**
 * The paper's Table 4 ablation in miniature: one run's checkpoints — base, +CoT cold start
 * (SFT), +RL stage 1, +RL stage 2 — each evaluated on the same held-out items. Pure: rows
 * from per-checkpoint eval results, and CSV / Markdown renderers.
 */
import { DIFFICULTIES, type Difficulty } from '../../synthesis/record';
import type { EvalResult, GroupAccuracy } from './evaluate';

export const ABLATION_ROWS = ['base', 'sft', 'rl_stage1', 'rl_stage2'] as const;
export type AblationRowName = (typeof ABLATION_ROWS)[number];

export const ABLATION_LABELS: Record<AblationRowName, string> = {
  base: 'Base',
  sft: '+CoT cold start',
  rl_stage1: '+RL stage 1',
  rl_stage2: '+RL stage 2',
};

/** one row as `bench:train` writes it: {"row","checkpoint","heldout":{"accuracy","formatRate","perDifficulty"}} */
export interface AblationRow {
  row: AblationRowName;
  checkpoint: string;
  heldout: { accuracy: number; formatRate: number; perDifficulty: Partial<Record<Difficulty, GroupAccuracy>> };
}

export function ablationRows(entries: ReadonlyArray<{ row: AblationRowName; checkpoint: string; result: Pick<EvalResult, 'accuracy' | 'formatRate' | 'perDifficulty'> }>): AblationRow[] {
  const seen = new Set<string>();
  for (const e of entries) {
    if (!ABLATION_ROWS.includes(e.row)) throw new Error(`ablation row "${e.row}" is not one of ${ABLATION_ROWS.join(', ')}`);
    if (seen.has(e.row)) throw new Error(`ablation row "${e.row}" is given twice`);
    seen.add(e.row);
  }
  return [...entries]
    .sort((a, b) => ABLATION_ROWS.indexOf(a.row) - ABLATION_ROWS.indexOf(b.row))
    .map((e) => ({ row: e.row, checkpoint: e.checkpoint, heldout: { accuracy: e.result.accuracy, formatRate: e.result.formatRate, perDifficulty: e.result.perDifficulty } }));
}

const pct = (x: number | undefined) => (x === undefined ? '—' : (100 * x).toFixed(1));
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}`;

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** one line per row; accuracies as fractions (0–1); delta_accuracy against the first row (base when present) */
export function ablationCsv(rows: readonly AblationRow[]): string {
  const head = ['row', 'checkpoint', 'accuracy', 'format_rate', 'delta_accuracy', ...DIFFICULTIES.flatMap((d) => [`${d}_accuracy`, `${d}_n`])];
  const ref = rows[0]?.heldout.accuracy ?? 0;
  const lines = rows.map((r) =>
    [
      r.row,
      csvCell(r.checkpoint),
      String(r.heldout.accuracy),
      String(r.heldout.formatRate),
      String(r.heldout.accuracy - ref),
      ...DIFFICULTIES.flatMap((d) => {
        const t = r.heldout.perDifficulty[d];
        return t ? [String(t.accuracy), String(t.n)] : ['', '0'];
      }),
    ].join(','),
  );
  return [head.join(','), ...lines].join('\n') + '\n';
}

/** the Table-4 layout: per-tier accuracy (%), overall, format rate, Δ overall against the first row */
export function ablationMarkdown(rows: readonly AblationRow[]): string {
  const ns = DIFFICULTIES.map((d) => rows.find((r) => r.heldout.perDifficulty[d])?.heldout.perDifficulty[d]?.n ?? 0);
  const head = `| Variant | ${DIFFICULTIES.map((d, i) => `${d[0]!.toUpperCase()}${d.slice(1)} (n=${ns[i]})`).join(' | ')} | Overall | Format | Δ Overall |`;
  const rule = `|---|${DIFFICULTIES.map(() => '---:').join('|')}|---:|---:|---:|`;
  const ref = rows[0]?.heldout.accuracy ?? 0;
  const body = rows.map((r) => `| ${ABLATION_LABELS[r.row]} | ${DIFFICULTIES.map((d) => pct(r.heldout.perDifficulty[d]?.accuracy)).join(' | ')} | ${pct(r.heldout.accuracy)} | ${pct(r.heldout.formatRate)} | ${signed(r.heldout.accuracy - ref)} |`);
  return [head, rule, ...body].join('\n') + '\n';
}

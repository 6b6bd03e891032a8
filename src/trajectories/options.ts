/** Which option letter shows a KG entity: options are written in sentence form (synthesis/names), entities keep their KG names. */
import { optionName, uninvertName } from '../synthesis/names';
import type { QuestionRecord } from '../synthesis/record';

const fold = (s: string) => uninvertName(s.trim()).toLowerCase().replace(/\s+/g, ' ');

export function letterOfOption(q: Pick<QuestionRecord, 'options'>, name: string): string | null {
  const entries = Object.entries(q.options);
  const exact = entries.find(([, v]) => v === name) ?? entries.find(([, v]) => v === optionName(name)) ?? entries.find(([, v]) => fold(v) === fold(name));
  return exact?.[0] ?? null;
}

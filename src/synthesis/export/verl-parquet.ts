/**
 * verl's RL dataset layout as parquet: data_source, prompt (chat messages), ability,
 * reward_model{style:"rule", ground_truth}, extra_info{split, index, id, difficulty,
 * type, answer_text}. Written with hyparquet-writer (pure JS, runs in a worker) with an
 * explicit nested schema so readers (pandas/pyarrow, datasets) see lists and structs.
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { QuestionRecord } from '../record';
import { chatPrompt } from './formats';

const str = (name: string) => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' }) as const;

const SCHEMA = [
  { name: 'root', num_children: 5 },
  str('data_source'),
  { name: 'prompt', repetition_type: 'REQUIRED', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  { name: 'element', repetition_type: 'REQUIRED', num_children: 2 },
  str('role'),
  str('content'),
  str('ability'),
  { name: 'reward_model', repetition_type: 'REQUIRED', num_children: 2 },
  str('style'),
  str('ground_truth'),
  { name: 'extra_info', repetition_type: 'REQUIRED', num_children: 6 },
  str('split'),
  { name: 'index', type: 'INT64', repetition_type: 'REQUIRED' },
  str('id'),
  str('difficulty'),
  str('type'),
  str('answer_text'),
] as const;

export function toVerlParquet(records: QuestionRecord[], split = 'train'): ArrayBuffer {
  return parquetWriteBuffer({
    columnData: [
      { name: 'data_source', data: records.map((r) => `fleming/${r.source}`) },
      { name: 'prompt', data: records.map(chatPrompt) },
      { name: 'ability', data: records.map(() => 'medical_mcq') },
      { name: 'reward_model', data: records.map((r) => ({ style: 'rule', ground_truth: r.answer_idx })) },
      { name: 'extra_info', data: records.map((r, i) => ({ split, index: BigInt(i), id: r.id, difficulty: r.difficulty, type: r.type, answer_text: r.answer })) },
    ],
    // the writer's SchemaElement type is wider than this literal; the shape is checked by the read-back test
    schema: SCHEMA as unknown as Parameters<typeof parquetWriteBuffer>[0]['schema'],
  });
}

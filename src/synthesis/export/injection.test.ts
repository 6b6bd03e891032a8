/**
 * Exports of items whose text is hostile or awkward (HTML and script, Markdown and table
 * syntax, quotes, line breaks, commas): every format must carry the text exactly and
 * keep its own structure — one JSON object per line, parquet rows that read back the
 * same, a dataset card whose tables keep their columns and that holds no live HTML.
 */
import { parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import type { QuestionRecord } from '../record';
import { datasetCard } from './dataset-card';
import { toMedqaJsonl, toTrlChatJsonl } from './formats';
import { mdCell, mdText, mdUrl } from './markdown-text';
import { toVerlParquet } from './verl-parquet';

const XSS = ['<img src=x onerror=window.__xss=1>', '<script>window.__xss=1</script>', '| a | b |\n| --- | --- |', '[click](javascript:alert(1)) *bold* `code` _u_ ~s~ &amp;', 'line one\r\nline two, "quoted", \u2028 sep'];

const rec = (i: number): QuestionRecord => ({
  id: `x-${i}`,
  question: `${XSS[i % XSS.length]} which one?`,
  options: { A: XSS[(i + 1) % XSS.length]!, B: `plain ${i}`, C: XSS[(i + 2) % XSS.length]! },
  answer_idx: 'A',
  answer: XSS[(i + 1) % XSS.length]!,
  difficulty: 'easy',
  type: XSS[(i + 3) % XSS.length]!,
  source: 'synthetic',
  status: 'accepted',
  provenance: { graph: XSS[i % XSS.length]!, seed: 1, alpha: 1, features: { optionCount: 3 } } as unknown as QuestionRecord['provenance'],
});
const records = XSS.map((_, i) => rec(i));

describe('exports of hostile text', () => {
  it('JSONL (MedQA and TRL): one object per line, the text exactly as stored', () => {
    for (const out of [toMedqaJsonl(records), toTrlChatJsonl(records)]) {
      const lines = out.split('\n').filter(Boolean);
      expect(lines).toHaveLength(records.length);
      lines.forEach((l, i) => {
        const o = JSON.parse(l);
        expect(o.id).toBe(records[i]!.id);
        expect(o.options).toEqual(records[i]!.options);
      });
    }
    const med = toMedqaJsonl(records).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(med.map((o) => o.question)).toEqual(records.map((r) => r.question));
  });

  it('verl parquet reads back the same text', async () => {
    const rows = (await parquetReadObjects({ file: toVerlParquet(records) })) as Array<{ prompt: { content: string }[]; extra_info: { answer_text: string } }>;
    expect(rows).toHaveLength(records.length);
    rows.forEach((r, i) => {
      expect(r.prompt[1]!.content).toContain(records[i]!.question);
      expect(r.extra_info.answer_text).toBe(records[i]!.answer);
    });
  });

  it('dataset card: no live HTML, links or emphasis from the data; tables keep two columns; text survives', () => {
    const card = datasetCard({
      title: 'Set <b>bold</b>',
      records,
      filterNote: 'text "<script>x</script>" | and more',
      graphDatasets: [
        { id: 'i', name: 'evil <img src=x onerror=alert(1)>.tsv', licence: 'CC0 | MIT', attribution: '*see* [here](javascript:alert(1))', url: 'javascript:alert(1)' },
        { id: 'h', name: 'Hetionet v1.0', licence: 'CC0 1.0', attribution: 'Himmelstein et al. 2017', url: 'https://het.io' },
      ],
    });
    // no raw tag openers and no unescaped link syntax anywhere the data went
    expect(card).not.toMatch(/(^|[^\\])<(img|script|b)\b/i);
    expect(card).not.toMatch(/(^|[^\\])\[here\]/);
    expect(card).toContain('<https://het.io>');
    expect(card).toContain('javascript:alert(1)'); // shown as text, not as a link target
    expect(card).not.toContain('<javascript:');
    // every table row has exactly three unescaped pipes: | key | n |
    const rows = card.split('\n').filter((l) => l.startsWith('| '));
    expect(rows.length).toBeGreaterThan(10);
    for (const r of rows) expect(r.replace(/\\\|/g, '').match(/\|/g), r).toHaveLength(3);
    // a type named like an Object.prototype member is counted like any other
    const proto = datasetCard({ title: 't', records: [{ ...records[0]!, type: '__proto__' }, { ...records[1]!, type: 'constructor' }] });
    expect(proto).toContain('| \\_\\_proto\\_\\_ | 1 |');
    expect(proto).toContain('| constructor | 1 |');
    // a line break in the data never starts a new Markdown block
    expect(card).not.toMatch(/\nline two/);
  });

  it('the escaping helpers: literal text out, nothing lost', () => {
    expect(mdText('<b>x</b> | *y* & z')).toBe('\\<b\\>x\\</b\\> \\| \\*y\\* &amp; z');
    expect(mdText('a\nb\r\nc')).toBe('a b c');
    expect(mdCell('')).toBe(' ');
    // unescaping the backslash escapes and the one entity gives the text back
    for (const s of XSS) expect(mdText(s).replace(/\\(.)/g, '$1').replace(/&amp;/g, '&')).toBe(s.replace(/\r\n?|\n/g, ' '));
    expect(mdUrl('https://example.org/a?b=1')).toBe('https://example.org/a?b=1');
    expect(mdUrl('javascript:alert(1)')).toBeNull();
    expect(mdUrl('https://x.org/<script>')).toBeNull();
  });
});

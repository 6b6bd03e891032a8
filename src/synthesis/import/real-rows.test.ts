/**
 * Rows of the kinds that the full public files contain and that the first importers
 * rejected: the MedQA US 4-option test file (1,273 rows) lost 6 rows and PubMedQA
 * ori_pqal.json (1,000) lost 4, because "null hypothesis" / "p53-null" / "undefined"
 * matched the placeholder filter for machine-written text, and arrow-only options of
 * lab-value tables ("↓ ↓ ↓" vs "↓ ↑ ↑") all folded to the same empty text. The rows here
 * are written in the files' own layouts (see ../shared/formats) to reproduce those cases.
 */
import { describe, expect, it } from 'vitest';
import { toMedqaJsonl } from '../export/formats';
import { importQa } from './index';

const medqa = (question: string, options: Record<string, string>, answer_idx: string, meta_info = 'step1') =>
  JSON.stringify({ question, answer: options[answer_idx], options, meta_info, answer_idx, metamap_phrases: ['placeholder phrase'] });

const MEDQA_ROWS = [
  medqa(
    'A research group wants to assess whether a new antihypertensive lowers systolic blood pressure more than hydrochlorothiazide. They randomize 200 patients to the two drugs and compare the mean reduction after 12 weeks. Which of the following is the null hypothesis of this study?',
    {
      A: 'The mean reduction in systolic blood pressure is greater with the new drug',
      B: 'The mean reduction in systolic blood pressure does not differ between the two drugs',
      C: 'The new drug causes fewer adverse effects than hydrochlorothiazide',
      D: 'Hydrochlorothiazide lowers systolic blood pressure more than the new drug',
    },
    'B',
  ),
  medqa(
    'Investigators compare the incidence of colorectal cancer among 5,000 patients taking daily aspirin and 5,000 taking placebo. The p-value of the comparison is 0.03 with a significance level of 0.05. Which of the following statements is correct?',
    { A: 'The null hypothesis is rejected', B: 'The null hypothesis is accepted', C: 'A type II error has occurred', D: 'The study lacks power' },
    'A',
  ),
  medqa(
    'A 54-year-old woman with chronic kidney disease has fatigue and bone pain. Which of the following sets of laboratory findings is most likely in this patient? Serum calcium | Serum phosphate | Parathyroid hormone',
    { A: '↓ ↑ ↑', B: '↓ ↓ ↓', C: '↑ ↓ ↑', D: '↑ ↑ ↓' },
    'A',
  ),
  medqa(
    'A 23-year-old man has been vomiting for 3 days. Which of the following arterial blood gas changes is expected? pH | PaCO2 | HCO3-',
    { A: '↑ ↑ ↑', B: '↓ ↓ ↓', C: '↑ ↓ ↓', D: '↓ ↑ ↑' },
    'A',
    'step2&3',
  ),
  medqa(
    'A 61-year-old man is evaluated for anemia of undefined cause after a normal colonoscopy. Which of the following is the most appropriate next step?',
    { A: 'Serum ferritin', B: 'Bone marrow biopsy', C: 'Capsule endoscopy', D: 'Repeat colonoscopy' },
    'A',
  ),
  medqa(
    'A newborn is found to have a null allele of the CFTR gene on both chromosomes. Which of the following is the most likely presentation in the first days of life?',
    { A: 'Meconium ileus', B: 'Jaundice', C: 'Hypoglycemia', D: 'Hypocalcemia' },
    'A',
  ),
];

const pubmed = (pmid: string, question: string, contexts: string[], decision: string) =>
  `  "${pmid}": ${JSON.stringify({ QUESTION: question, CONTEXTS: contexts, LABELS: contexts.map(() => 'RESULTS'), MESHES: ['Humans'], YEAR: '2010', reasoning_required_pred: decision, reasoning_free_pred: decision, final_decision: decision, LONG_ANSWER: 'The results support this.' })}`;

const PUBMEDQA_FILE = `{\n${[
  pubmed('20000001', 'Does early mobilisation shorten hospital stay after hip fracture?', ['We compared 120 patients mobilised within 24 h with 118 mobilised later.', 'The null hypothesis of no difference in length of stay was rejected (p = 0.01).'], 'yes'),
  pubmed('20000002', 'Is serum procalcitonin useful to rule out bacteremia in febrile infants?', ['Procalcitonin was measured in 410 febrile infants.', 'We could not reject the null hypothesis that the areas under the curve were equal.'], 'no'),
  pubmed('20000003', 'Do p53-null tumours respond to cisplatin?', ['Xenografts of p53-null and wild-type cells were treated with cisplatin.'], 'maybe'),
  pubmed('20000004', 'Are undefined lesions on screening mammography malignant more often than expected?', ['Lesions of undefined significance were followed for 2 years.'], 'no'),
].join(',\n')}\n}\n`;

describe('real benchmark rows import whole and keep their text', () => {
  it('MedQA: null hypothesis, "undefined", "null allele" and arrow-only options all import', () => {
    const r = importQa('medqa', MEDQA_ROWS.join('\n') + '\n');
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.records).toHaveLength(MEDQA_ROWS.length);
    const labs = r.records[2]!;
    expect(labs.options).toEqual({ A: '↓ ↑ ↑', B: '↓ ↓ ↓', C: '↑ ↓ ↑', D: '↑ ↑ ↓' });
    expect(labs.answer).toBe('↓ ↑ ↑');
    // every text is the file's, character for character
    MEDQA_ROWS.forEach((line, i) => {
      const src = JSON.parse(line) as { question: string; options: Record<string, string>; answer_idx: string };
      expect(r.records[i]!.question).toBe(src.question);
      expect(r.records[i]!.options).toEqual(src.options);
      expect(r.records[i]!.answer_idx).toBe(src.answer_idx);
    });
  });

  it('PubMedQA keyed file: abstracts mentioning the null hypothesis or p53-null cells all import', () => {
    const r = importQa('pubmedqa', PUBMEDQA_FILE);
    expect(r.problems).toEqual([]);
    expect(r.records.map((q) => [q.id, q.answer])).toEqual([
      ['pubmedqa-20000001', 'yes'],
      ['pubmedqa-20000002', 'no'],
      ['pubmedqa-20000003', 'maybe'],
      ['pubmedqa-20000004', 'no'],
    ]);
    expect(r.records[1]!.question).toContain('We could not reject the null hypothesis that the areas under the curve were equal.');
  });

  it('still rejects broken rows: exactly identical options, a missing answer, no options', () => {
    const text = [
      medqa('Which value?', { A: '↓ ↑', B: '↓ ↑', C: '↑ ↑', D: '↓ ↓' }, 'C'),
      JSON.stringify({ question: 'Which value?', options: { A: 'x', B: 'y' } }),
      JSON.stringify({ question: 'Which value?', options: {}, answer_idx: 'A' }),
    ].join('\n');
    const r = importQa('medqa', text);
    expect(r.problems.map((p) => [p.line, p.reason])).toEqual([
      [1, 'duplicate_options'],
      [2, 'bad_answer'],
      [3, 'missing_options'],
    ]);
  });

  it('keeps surrounding spaces and inner line breaks, and exports the same text', () => {
    const row = medqa('  A patient has\nchest pain.  Which drug?', { A: ' aspirin', B: 'heparin ', C: 'warfarin', D: 'alteplase' }, 'A');
    const r = importQa('medqa', row);
    expect(r.records[0]!.question).toBe('  A patient has\nchest pain.  Which drug?');
    expect(r.records[0]!.options.A).toBe(' aspirin');
    const back = JSON.parse(toMedqaJsonl(r.records).trim()) as { question: string; options: Record<string, string> };
    expect(back.question).toBe('  A patient has\nchest pain.  Which drug?');
    expect(back.options).toEqual({ A: ' aspirin', B: 'heparin ', C: 'warfarin', D: 'alteplase' });
  });

  it('a row repeated word for word without an id imports twice under distinct ids; a repeated source id is an error', () => {
    const row = MEDQA_ROWS[4]!;
    const r = importQa('medqa', `${row}\n${row}\n`);
    expect(r.problems).toEqual([]);
    expect(new Set(r.records.map((q) => q.id)).size).toBe(2);
  });

  it('MMLU keeps option text exactly, spaces included', () => {
    const r = importQa('mmlu', 'Which is the largest bone?, femur,tibia , fibula,patella,A\n');
    expect(r.records[0]!.options).toEqual({ A: ' femur', B: 'tibia ', C: ' fibula', D: 'patella' });
    expect(r.records[0]!.answer).toBe(' femur');
  });
});

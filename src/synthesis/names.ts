import { anatomyPhrase } from './lexicon';

/**
 * Names as a clinician writes them: ontology and MeSH names un-inverted ("Obesity,
 * Abdominal" → "abdominal obesity"), title-case headings lower-cased inside a sentence,
 * options and stems starting with a capital, and a test for the giveaway of a stem that
 * shares a content word with its key ("retinal vascular occlusion … vasculature of retina").
 */

/**
 * Un-invert a MeSH-style name: "Hearing Loss, Noise-Induced" → "Noise-Induced Hearing Loss",
 * "Purpura, Thrombocytopenic, Idiopathic" → "Idiopathic Thrombocytopenic Purpura". Names
 * whose comma parts are not short qualifiers ("type 2", "with …") are left as they are.
 */
export function uninvertName(name: string): string {
  const parts = name.split(', ');
  if (parts.length < 2 || parts.length > 3) return name;
  const quals = parts.slice(1);
  const qualifier = (q: string) => q.length > 0 && q.split(/\s+/).length <= 3 && !/[\d()[\]]/.test(q) && !/^(and|or|with|without|due|not|type|other|unspecified|in|of|by)\b/i.test(q);
  if (!quals.every(qualifier)) return name;
  return [...quals.reverse(), parts[0]!].join(' ');
}

const TITLE_WORD = /^[A-Z][a-z']*(?:-[A-Za-z][a-z']*)*,?$/;
const FUNCTION_WORD = /^(of|and|the|in|with|to|for|by|or|on|from|without)$/;
const ADJECTIVE_END = /(al|ic|ar|ous|ive|ary|ed|ing|ile|oid|ent|ant)$/;

/**
 * Title-case headings ("Angina Pectoris", "Noise-Induced Hearing Loss") read lower-case in
 * a sentence; names already in sentence case, acronyms and gene symbols ("familial
 * Mediterranean fever", "HIV infection", "pH") are kept, and an eponym keeps its capital
 * ("Alzheimer Disease" → "Alzheimer disease").
 */
export function lowerHeading(s: string): string {
  const words = s.split(/\s+/);
  const isTitle = (w: string) => TITLE_WORD.test(w) && w.replace(/[^A-Za-z]/g, '').length > 1;
  // a hyphenated word mixing a title-case part with lower-case or code parts: "beta2-Agonists", "beta-Adrenergic", "Glucagon-like", "Peptide-2"
  const parts = (w: string) => w.replace(/^[(]|[),]$/g, '').split(/[-/]/);
  const titlePart = (p: string) => /^[A-Z][a-z']+$/.test(p) && p.length > 1;
  const isMixed = (w: string) => /[-/]/.test(w) && parts(w).some(titlePart) && parts(w).every((p) => titlePart(p) || /^[a-z][a-z0-9]*$/.test(p) || KEEP_WORD.test(p));
  const headingWord = (w: string) => isTitle(w) || isMixed(w);
  if (!words.some(headingWord) || FUNCTION_WORD.test(words[0]!)) return s;
  // a lower-case Greek prefix ("beta Lactamase Inhibitor") sits in a heading as it is
  const greek = (w: string) => /^(alpha|beta|gamma|delta|kappa|mu|omega)[0-9]*$/.test(w);
  if (!words.every((w) => headingWord(w) || FUNCTION_WORD.test(w) || greek(w) || KEEP_WORD.test(w) || KEEP_WORD.test(w.replace(/^[(]|[),]$/g, '')))) return s;
  const first = words[0]!.replace(/,$/, '');
  const eponymHead = words.length > 1 && /^(Disease|Syndrome|Sign|Phenomenon|Reflex|Palsy)$/.test(words[words.length - 1]!) && !ADJECTIVE_END.test(first.toLowerCase());
  const lowerWord = (w: string) => (isTitle(w) ? w.toLowerCase() : isMixed(w) ? w.replace(/[^-/]+/g, (p) => (titlePart(p.replace(/^[(]|[),]$/g, '')) ? p.toLowerCase() : p)) : w);
  if (eponymHead) return [words[0], ...words.slice(1).map(lowerWord)].join(' ');
  return words.map(lowerWord).join(' ');
}

/** tokens a heading keeps as they are: single letters ("Hepatitis B"), acronyms and codes ("NS3/4A", "HMG-CoA", "2", "II") */
const KEEP_WORD = /^([A-Z]|[A-Z0-9][A-Za-z0-9/-]*[A-Z0-9][A-Za-z0-9/-]*|\d+[a-z]?|[IVX]+),?$/;

const sentenceCache = new Map<string, string>();

/** A name inside a sentence: un-inverted, headings lower-cased, a restated binomial dropped (memoised: node names repeat). */
export function inSentence(name: string): string {
  let v = sentenceCache.get(name);
  if (v === undefined) {
    if (sentenceCache.size > 100_000) sentenceCache.clear();
    sentenceCache.set(name, (v = dropRestatedBinomial(lowerHeading(uninvertName(name.trim())))));
  }
  return v;
}

/**
 * "Trichomonas vaginalis trichomoniasis" → "trichomoniasis": a disease name that restates
 * its organism's binomial before the disease word formed from the same genus.
 */
export function dropRestatedBinomial(name: string): string {
  const m = /^([A-Z][a-z]+) ([a-z]+) ([a-z]+.*)$/.exec(name);
  if (!m) return name;
  const genus = m[1]!.toLowerCase();
  return genus.length >= 5 && m[3]!.startsWith(genus.slice(0, 5)) ? m[3]! : name;
}

/**
 * Capitalise the first letter when the text starts with an ordinary lower-case word
 * ("esomeprazole" → "Esomeprazole"), not a symbol or mixed-case token ("mRNA", "pH", "α-").
 */
export function capitaliseFirst(s: string): string {
  const m = /^([a-z])([a-z'-]*)(\b|$)/.exec(s);
  if (!m) return s;
  const word = /^[^\s,]+/.exec(s)![0];
  // mRNA, pH, p53: a capital, or a digit inside the first part, marks a symbol; "interleukin-1", "histamine-1" are words
  if (/[A-Z]/.test(word.slice(1)) || /[0-9]/.test(word.split('-')[0]!.slice(1))) return s;
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * How an option is shown: un-inverted, sentence case (headings lower-cased, first letter
 * capital, so that no option stands out by its casing), taxonomy brackets dropped
 * ("[Haemophilus] ducreyi"), anatomy labels as clinicians name them ("telencephalon" →
 * "cerebrum", lexicon.ts).
 */
const optionCache = new Map<string, string>();
export function optionName(name: string): string {
  let v = optionCache.get(name);
  if (v === undefined) {
    if (optionCache.size > 100_000) optionCache.clear();
    optionCache.set(name, (v = capitaliseFirst(inSentence(anatomyPhrase(name.replace(/\[([^\]]+)\]/g, '$1'))))));
  }
  return v;
}

/**
 * The casing an option would stand out by: a title-case word after the first ("Adrenergic
 * beta2-Agonists", "Estrogen Agonist/Antagonist"), or a lower-case start ("interleukin-1
 * receptor antagonist" among capitalised options).
 */
export function hasInnerCapital(option: string): boolean {
  return (
    /^[a-z]/.test(option) ||
    option
      .split(/\s+/)
      .slice(1)
      .some((w) => w.replace(/^[(]/, '').split(/[-/]/).some((p) => /^[A-Z][a-z]{2,}/.test(p)))
  );
}

/** Sentence case for a whole stem: the first letter capital (a stem never starts lower-case). */
export function sentenceCase(text: string): string {
  const t = text.trimStart();
  return capitaliseFirst(t);
}

/** words that carry no identity of their own in a medical name */
const GENERIC = new Set(
  (
    'a an the of and or with without in on to for by at from as is are which what following most likely patient presents ' +
    'disease diseases disorder disorders syndrome syndromes condition infection infectious type acute chronic primary secondary ' +
    'congenital familial hereditary inherited idiopathic benign malignant agent agents drug drugs class classes human system ' +
    'structure structures tissue tissues part body cell cells organ left right upper lower other unspecified due related ' +
    'associated finding findings sign signs symptom symptoms deficiency abnormality abnormal'
  ).split(' '),
);

/** Latin/Greek organ adjectives and the organ they name, so "renal carcinoma" gives "kidney" away. */
const ORGAN_ADJECTIVES: Record<string, string> = {
  renal: 'kidney',
  nephric: 'kidney',
  hepatic: 'liver',
  cardiac: 'heart',
  coronary: 'heart',
  pulmonary: 'lung',
  gastric: 'stomach',
  cerebral: 'brain',
  encephalic: 'brain',
  ocular: 'eye',
  ophthalmic: 'eye',
  cutaneous: 'skin',
  dermal: 'skin',
  nasal: 'nose',
  oral: 'mouth',
  dental: 'tooth',
  otic: 'ear',
  aural: 'ear',
  vesical: 'bladder',
  cystic: 'bladder',
  osseous: 'bone',
  splenic: 'spleen',
  pancreatic: 'pancreas',
  thyroid: 'thyroid',
  colonic: 'colon',
  rectal: 'rectum',
  anal: 'anus',
  vaginal: 'vagina',
  vulvar: 'vulva',
  cervical: 'cervix',
  ovarian: 'ovary',
  testicular: 'testis',
  prostatic: 'prostate',
  mammary: 'breast',
  laryngeal: 'larynx',
  pharyngeal: 'pharynx',
  esophageal: 'esophagus',
  oesophageal: 'esophagus',
  tracheal: 'trachea',
  bronchial: 'bronchus',
  duodenal: 'duodenum',
  ileal: 'ileum',
  jejunal: 'jejunum',
  biliary: 'bile',
  gingival: 'gingiva',
  lingual: 'tongue',
  muscular: 'muscle',
  vascular: 'vessel',
  arterial: 'artery',
  venous: 'vein',
  spinal: 'spine',
  vertebral: 'spine',
  adrenal: 'adrenal',
  uterine: 'uterus',
  retinal: 'retina',
  corneal: 'cornea',
  conjunctival: 'conjunctiva',
};

/** Greek and Latin roots inside medical words and the organ they name ("ophthalmomyiasis" → eye, "glomerulonephritis" → kidney). */
const ORGAN_ROOTS: [RegExp, string][] = [
  [/ophthalm|^ocul/, 'eye'],
  [/nephr/, 'kidney'],
  [/hepat/, 'liver'],
  [/^gastr|gastri/, 'stomach'],
  [/^cardi|cardi(o|al|tis)/, 'heart'],
  [/^pneum|pulmon/, 'lung'],
  [/^derm|dermat/, 'skin'],
  [/^oste|osteo/, 'bone'],
  [/encephal|cerebr/, 'brain'],
  [/^colon|^colit|^colo(rect|scop)/, 'colon'],
  [/^rhin/, 'nose'],
  [/^ot(itis|o|ic)/, 'ear'],
  [/^splen/, 'spleen'],
  [/^cyst(itis|o)/, 'bladder'],
  [/^arthr/, 'joint'],
  [/^myo/, 'muscle'],
  [/^mening/, 'meninges'],
  [/^laryng/, 'larynx'],
  [/^pharyng/, 'pharynx'],
  [/^esophag|^oesophag/, 'esophagus'],
  [/^bronch/, 'bronchus'],
  [/^pancrea/, 'pancreas'],
  [/^thyro/, 'thyroid'],
  [/^vagin|^vulv/, 'vagina'],
  [/^uter|^metr|^endometr/, 'uterus'],
  [/^orch/, 'testis'],
  [/^oophor|^ovar/, 'ovary'],
  [/^mamm/, 'breast'],
  [/vascul/, 'vessel'],
  [/^lymph/, 'lymph'],
];

const ORGANS = new Set([...Object.values(ORGAN_ADJECTIVES), ...ORGAN_ROOTS.map(([, o]) => o)]);

const SUFFIXES = ['itis', 'osis', 'oma', 'ine', 'ial', 'ary', 'ous', 'ic', 'al', 'ar', 'us', 'um', 'ia', 'ae', 'es', 'a', 'y', 's', 'e'];

/** A crude stem: the word without one common Latin/Greek/English ending, never shorter than 4 letters. */
const stemCache = new Map<string, string>();
export function wordStem(w: string): string {
  let v = stemCache.get(w);
  if (v === undefined) {
    v = w;
    for (const s of SUFFIXES) {
      if (w.endsWith(s) && w.length - s.length >= 4) {
        v = w.slice(0, -s.length);
        break;
      }
    }
    if (stemCache.size > 100_000) stemCache.clear();
    stemCache.set(w, v);
  }
  return v;
}

const wordsCache = new Map<string, string[]>();

/** content words of a name or text, lower-case, with organ adjectives and roots read as their organ too (memoised: node names repeat) */
export function contentWords(text: string): string[] {
  if (text.length > 100) return computeContentWords(text); // a whole stem: not worth keeping
  let w = wordsCache.get(text);
  if (!w) {
    if (wordsCache.size > 100_000) wordsCache.clear();
    wordsCache.set(text, (w = computeContentWords(text)));
  }
  return w;
}

function computeContentWords(text: string): string[] {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => (w.length >= 4 || ORGANS.has(w)) && !GENERIC.has(w) && !/^\d+$/.test(w));
  const out: string[] = [];
  for (const w of words) {
    out.push(w);
    for (const o of organsOf(w)) out.push(o);
  }
  return out;
}

const organCache = new Map<string, readonly string[]>();
const NO_ORGANS: readonly string[] = [];
/** the organs a word names by adjective or root (memoised per word: words repeat across stems) */
function organsOf(w: string): readonly string[] {
  let v = organCache.get(w);
  if (v === undefined) {
    const out: string[] = [];
    const organ = Object.hasOwn(ORGAN_ADJECTIVES, w) ? ORGAN_ADJECTIVES[w] : undefined; // a word like "constructor" is not a key
    if (organ) out.push(organ);
    for (const [re, o] of ORGAN_ROOTS) if (re.test(w) && o !== w) out.push(o);
    if (organCache.size > 100_000) organCache.clear();
    organCache.set(w, (v = out.length ? out : NO_ORGANS));
  }
  return v;
}

const sameWord = (a: string, b: string): boolean => {
  if (a === b) return true;
  if (a.length < 4 || b.length < 4) return false;
  // one Latin/Greek root: "mandibular" / "mandible", "hemiparesis" / "hemiplegic"
  if (a.length >= 5 && b.length >= 5 && a.slice(0, 5) === b.slice(0, 5)) return true;
  const sa = wordStem(a);
  const sb = wordStem(b);
  return sa.length >= 4 && sb.length >= 4 && (sa.startsWith(sb) || sb.startsWith(sa));
};

const sharedCache = new Map<string, string | null>();

/** The first content word the text and the key name share (by stem), or null (memoised for short texts: names against names). */
export function sharedKeyWord(text: string, keyName: string): string | null {
  if (text.length > 100) return computeShared(text, keyName);
  const key = `${text}\u0000${keyName}`;
  let v = sharedCache.get(key);
  if (v === undefined) {
    if (sharedCache.size > 300_000) sharedCache.clear();
    sharedCache.set(key, (v = computeShared(text, keyName)));
  }
  return v;
}

function computeShared(text: string, keyName: string): string | null {
  const keyWords = contentWords(uninvertName(keyName));
  if (!keyWords.length) return null;
  for (const w of contentWords(text)) for (const k of keyWords) if (sameWord(w, k)) return k;
  return null;
}

/** Does the name read as an inverted ontology name ("obesity, abdominal")? */
export function looksInverted(name: string): boolean {
  return uninvertName(name) !== name;
}

/**
 * A test for "does this text share a content word with the key" that reads the key once: for
 * checking many short names (the subjects of one answer) against one key.
 */
export function keyWordTest(keyName: string): (text: string) => boolean {
  const keyWords = contentWords(uninvertName(keyName));
  if (!keyWords.length) return () => false;
  return (text) => {
    for (const w of contentWords(text)) for (const k of keyWords) if (sameWord(w, k)) return true;
    return false;
  };
}

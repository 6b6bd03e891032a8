/**
 * Question types as metapath templates over template roles (schema-map.ts): what the stem
 * shows (a clinical picture of findings, or one named entity), the hidden chain from it to
 * the answer, the relation roles a graph must have for the type to run, and the stems in
 * clinical English. The engine (engine.ts) samples, verifies and judges distractors per
 * type; names are rendered by names.ts.
 */
import type { NodeRole } from './schema-map';
import { inSentence, sentenceCase } from './names';
import { findingPhrase } from './lexicon';

/** What a stem is built from: the findings shown (already in sentence form), the named entity, optional context. */
export interface StemParts {
  findings: string[];
  /** the entity the stem names (one-hop types) */
  subject: string;
  anatomy?: string;
  specialty?: string;
  /** who the picture is about when the disease implies it ("A 3-month-old", premise.ts); "A patient" otherwise */
  patient?: string;
}

export interface ChainStep {
  /** relation role */
  rel: string;
  dir: 'out' | 'in';
}

export interface QuestionTemplate {
  type: string;
  title: string;
  /** the metapath in arrow notation, stored in provenance */
  metapath: string;
  /** 'picture': the stem shows findings of a hidden disease; 'named': the stem names the subject */
  stem: 'picture' | 'named';
  /** node role of the subject: the hidden disease (picture) or the named entity */
  subjectRole: NodeRole;
  answerRole: NodeRole;
  /** hidden hops from the subject to the answer */
  chain: ChainStep[];
  /** relation roles the graph must have */
  requires: string[];
  stems: ((p: StemParts) => string)[];
}

/** "a", "a and b", "a, b and c" (semicolons when an item has its own comma) */
export function listPhrase(xs: string[]): string {
  if (xs.length <= 1) return xs[0] ?? '';
  const sep = xs.some((x) => x.includes(',')) ? '; ' : ', ';
  return `${xs.slice(0, -1).join(sep)} and ${xs[xs.length - 1]}`;
}

const findings = (p: StemParts) => listPhrase(p.findings);
const referred = (p: StemParts) => (p.specialty ? ` referred to ${p.specialty}` : '');
const who = (p: StemParts) => p.patient ?? 'A patient';

export const TEMPLATES: QuestionTemplate[] = [
  {
    type: 'diagnosis',
    title: 'Diagnosis',
    metapath: 'symptom ←presents— disease',
    stem: 'picture',
    subjectRole: 'disease',
    answerRole: 'disease',
    chain: [],
    requires: ['presents'],
    stems: [
      (p) => `${who(p)}${referred(p)} presents with ${findings(p)}. Which is the most likely diagnosis?`,
      (p) => `${who(p)}${referred(p)} has ${findings(p)}. Which diagnosis best explains these findings?`,
    ],
  },
  {
    type: 'treatment',
    title: 'Treatment',
    metapath: 'disease ←treats— drug',
    stem: 'named',
    subjectRole: 'disease',
    answerRole: 'drug',
    chain: [{ rel: 'treats', dir: 'in' }],
    requires: ['treats'],
    stems: [(p) => `${who(p)} has been diagnosed with ${p.subject}. Which of the following drugs is used to treat this condition?`, (p) => `Which drug is indicated for the treatment of ${p.subject}?`],
  },
  {
    type: 'two_hop_treatment',
    title: 'Two-hop treatment',
    metapath: 'symptom ←presents— [disease] ←treats— drug',
    stem: 'picture',
    subjectRole: 'disease',
    answerRole: 'drug',
    chain: [{ rel: 'treats', dir: 'in' }],
    requires: ['presents', 'treats'],
    stems: [
      (p) => `${who(p)} presents with ${findings(p)}. Which drug is used to treat the most likely underlying condition?`,
      (p) => `${who(p)} has ${findings(p)}. Which of the following drugs treats the condition that best explains these findings?`,
    ],
  },
  {
    type: 'drug_class',
    title: 'Drug class',
    metapath: 'drug —in_class→ pharmacologic_class',
    stem: 'named',
    subjectRole: 'drug',
    answerRole: 'pharmacologic_class',
    chain: [{ rel: 'in_class', dir: 'out' }],
    requires: ['in_class'],
    stems: [(p) => `To which pharmacologic class does ${p.subject} belong?`, (p) => `${p.subject} belongs to which class of drugs?`],
  },
  {
    type: 'mechanism',
    title: 'Mechanism (drug target)',
    metapath: 'drug —targets→ gene',
    stem: 'named',
    subjectRole: 'drug',
    answerRole: 'gene',
    chain: [{ rel: 'targets', dir: 'out' }],
    requires: ['targets'],
    stems: [(p) => `Which gene encodes a molecular target of ${p.subject}?`, (p) => `${p.subject} acts on the product of which gene?`],
  },
  {
    type: 'localisation',
    title: 'Localisation',
    metapath: 'disease —localizes→ anatomy',
    stem: 'named',
    subjectRole: 'disease',
    answerRole: 'anatomy',
    chain: [{ rel: 'localizes', dir: 'out' }],
    requires: ['localizes'],
    // "primarily": a disease that spreads (invasive aspergillosis to the brain) makes a secondary site literally right under "involves" (review round 5)
    stems: [(p) => `Which of the following structures does ${p.subject} primarily affect?`, (p) => `${p.subject} primarily involves which of the following structures?`],
  },
  {
    type: 'contraindicated',
    title: 'Contraindicated choice',
    metapath: 'disease ←not_indicated_for— drug (vs drug —treats→ disease)',
    stem: 'named',
    subjectRole: 'disease',
    answerRole: 'drug',
    chain: [{ rel: 'not_indicated_for', dir: 'in' }],
    requires: ['not_indicated_for', 'treats'],
    stems: [
      (p) => `Which of the following drugs is NOT indicated for ${p.subject}?`,
      (p) => `${who(p)} has ${p.subject}. All of the following drugs are used to treat it EXCEPT which one?`,
    ],
  },
  {
    type: 'causative_agent',
    title: 'Causative agent',
    metapath: 'symptom ←presents— [disease] —caused_by→ pathogen',
    stem: 'picture',
    subjectRole: 'disease',
    answerRole: 'pathogen',
    chain: [{ rel: 'caused_by', dir: 'out' }],
    requires: ['presents', 'caused_by'],
    stems: [
      (p) => `${who(p)} presents with ${findings(p)}. Which organism is the most likely cause?`,
      (p) => `${who(p)} has ${findings(p)}. Infection with which organism best explains these findings?`,
    ],
  },
  {
    type: 'presentation_class',
    title: 'Drug class for a presentation',
    metapath: 'symptom ←presents— [disease] ←treats— [drug] —in_class→ pharmacologic_class',
    stem: 'picture',
    subjectRole: 'disease',
    answerRole: 'pharmacologic_class',
    chain: [
      { rel: 'treats', dir: 'in' },
      { rel: 'in_class', dir: 'out' },
    ],
    requires: ['presents', 'treats', 'in_class'],
    stems: [(p) => `${who(p)} presents with ${findings(p)}. A drug of which pharmacologic class is used to treat the most likely underlying condition?`],
  },
  {
    type: 'target_pathway',
    title: 'Pathway of the drug target',
    metapath: 'symptom ←presents— [disease] ←treats— [drug] —targets→ [gene] —participates_pathway→ pathway',
    stem: 'picture',
    subjectRole: 'disease',
    answerRole: 'pathway',
    chain: [
      { rel: 'treats', dir: 'in' },
      { rel: 'targets', dir: 'out' },
      { rel: 'participates_pathway', dir: 'out' },
    ],
    requires: ['presents', 'treats', 'targets', 'participates_pathway'],
    stems: [
      (p) => `${who(p)} presents with ${findings(p)}. A drug used for the most likely underlying condition acts on a gene product that takes part in which pathway?`,
    ],
  },
];

export const QUESTION_TYPES = TEMPLATES.map((t) => t.type);

/**
 * Types a default run leaves out, and why: they cannot be made trustworthy with the default
 * graph. Asking for one by name (--types, the Generate panel's checkbox) still runs it.
 */
export const OFF_BY_DEFAULT: Readonly<Record<string, string>> = {
  presentation_class:
    'a drug class is recorded per drug, not per indication, so the class that makes a drug right for the hidden disease cannot be told apart from a class it holds for another use; with distractor classes required to have no member used for any disease that fits the picture, the graph yields almost no items',
  target_pathway:
    'the graph holds a 5,000-edge sample of the gene–pathway memberships and its drug targets carry no mechanism-of-action flag, so a wrong pathway option cannot be shown to be wrong (its members may simply be missing) and a chain may run through an off-target effect (doxycycline → MMP1 for anthrax); on the default graph it now yields none, since no picture leaves one disease whose drugs reach one pathway',
};

/** the types a run draws when none are named */
export const DEFAULT_QUESTION_TYPES = QUESTION_TYPES.filter((t) => !OFF_BY_DEFAULT[t]);

export function templateByType(type: string): QuestionTemplate {
  const t = TEMPLATES.find((x) => x.type === type);
  if (!t) throw new Error(`unknown question type "${type}" (known: ${QUESTION_TYPES.join(', ')})`);
  return t;
}

/** hops from the shown evidence to the answer */
export const templateHops = (t: QuestionTemplate) => (t.stem === 'picture' ? 1 : 0) + t.chain.length;

/** The stem text for a template and its parts: names in sentence form, a capital first letter. */
export function renderStem(t: QuestionTemplate, variant: number, parts: StemParts): string {
  const p: StemParts = {
    findings: parts.findings.map((f) => inSentence(findingPhrase(f))),
    subject: inSentence(parts.subject),
    ...(parts.anatomy ? { anatomy: inSentence(parts.anatomy) } : {}),
    ...(parts.specialty ? { specialty: inSentence(parts.specialty) } : {}),
    ...(parts.patient ? { patient: parts.patient } : {}),
  };
  return sentenceCase(t.stems[variant % t.stems.length]!(p));
}

/**
 * The display lexicon: ontology terms as a clinician writes them in a vignette. Symptom
 * Ontology and DO labels are built for classification ("pharynx inflammation", "airway
 * stenosis", "apthous ulcer", "blister"); a stem shows "pharyngitis", "airflow obstruction",
 * "aphthous ulcers", "vesicular rash". Each finding also has a CONCEPT: two findings of one
 * concept ("hematochezia", "rectorrhagia", "bloody stool") restate each other and are never
 * shown together. Terms that are processes, pathology or too vague to be a finding
 * ("inflammation", "necrosis", "allergic reaction") are BLOCKED: never shown in a stem.
 * Findings are looked up by their lower-case name, so the lexicon serves any graph whose
 * symptoms use these labels (SYMP, MeSH) and leaves other names as they are.
 */

/** [display phrase, concept, ...ontology names] — names are matched lower-case */
const FINDING_GROUPS: readonly (readonly string[])[] = [
  ['pharyngitis', 'pharyngitis', 'pharynx inflammation', 'pharyngitis', 'sore throat', 'throat pain'],
  ['airflow obstruction', 'airflow obstruction', 'airway stenosis', 'airway obstruction'],
  ['aphthous ulcers', 'aphthous ulcer', 'apthous ulcer', 'aphthous ulcer', 'aphthous stomatitis'],
  ['vesicular rash', 'vesicles', 'blister', 'blisters', 'vesicle', 'vesicular rash'],
  ['red eyes', 'red eye', 'bloodshot eye', 'red eye'],
  ['conjunctival injection', 'conjunctival injection', 'conjunctival congestion'],
  ['hypertension', 'hypertension', 'high blood pressure', 'hypertension'],
  ['hypotension', 'hypotension', 'low blood pressure', 'hypotension'],
  ['shock', 'hypotension', 'shock'],
  ['leukopenia', 'leukopenia', 'low white blood cell count', 'leukopenia'],
  ['lymphadenopathy', 'lymphadenopathy', 'lymphadenopathy', 'enlargement of lymph nodes', 'lymph gland swelling', 'adenopathy', 'swollen lymph nodes'],
  ['loss of appetite', 'anorexia', 'anorexia', 'loss of appetite', 'decreased appetite', 'lack of appetite'],
  ['epistaxis', 'epistaxis', 'nasal bleeding', 'epistaxis', 'nosebleed'],
  ['bleeding gums', 'gingival bleeding', 'gum bleeding'],
  ['oral bleeding', 'oral bleeding', 'mouth bleeding'],
  ['hematochezia', 'rectal bleeding', 'hematochezia'],
  ['rectal bleeding', 'rectal bleeding', 'rectorrhagia', 'rectal bleeding'],
  ['blood in the stool', 'rectal bleeding', 'bloody stool', 'blood in stool'],
  ['difficulty breathing', 'dyspnea', 'breathing problems'],
  ['dyspnea', 'dyspnea', 'dyspnea', 'shortness of breath', 'acute dyspnea'],
  ['fatigue', 'fatigue', 'fatigue', 'tiredness', 'exhaustion'],
  ['skin peeling', 'desquamation', 'skin peeling', 'skin desquamation'],
  ['hoarseness', 'hoarseness', 'hoarseness', 'hoarse voice', 'dysphonia'],
  ['oral lesions', 'oral lesion', 'lesions in mouth', 'mouth papules'],
  ['mouth sores', 'oral lesion', 'mouth sore'],
  ['purpura', 'purpura', 'hemorrhage into skin', 'purpura'],
  ['pulmonary hemorrhage', 'pulmonary hemorrhage', 'bronchopulmonary bleeding'],
  ['patchy hair loss with black dots', 'patchy alopecia', 'patches of hair loss with a black dot pattern'],
  ['stroke', 'stroke', 'cerebrovascular accident'],
  ['developmental delay', 'developmental delay', 'delayed psychomotor development'],
  ['nasal congestion', 'nasal congestion', 'congestion', 'nasal congestion'],
  ['agitation', 'agitation', 'psychomotor agitation', 'agitation', 'restlessness'],
  ['body aches', 'myalgia', 'body ache'],
  ['muscle pain', 'myalgia', 'muscle pain', 'myalgia'],
  ['abdominal cramps', 'abdominal cramp', 'abdominal cramp'],
  ['severe abdominal cramps', 'abdominal cramp', 'severe abdominal cramp'],
  ['muscle cramps', 'muscle cramp', 'muscle cramp', 'cramp'],
  ['sweating', 'sweating', 'sweating', 'sweat', 'diaphoresis'],
  ['night sweats', 'sweating', 'night sweats', 'night sweat'],
  ['fever', 'fever', 'fever', 'pyrexia', 'hyperthermia'],
  ['memory loss', 'memory loss', 'memory loss', 'memory impairment'],
  ['poor concentration', 'inattention', 'limited attention', 'concentration difficulty'],
  ['vision loss', 'vision loss', 'loss of vision', 'blindness'],
  ['corneal clouding', 'corneal clouding', 'cloudy cornea', 'corneal opacity'],
  ['pale stools', 'pale stools', 'acholic stool'],
  ['abnormal behaviour', 'abnormal behaviour', 'abnormal behavior'],
  ['productive cough', 'productive cough', 'wet cough'],
  ['neck stiffness', 'neck stiffness', 'stiff neck'],
  ['itching', 'pruritus', 'itching', 'itch', 'pruritus'],
  ['boils', 'boil', 'boil'],
  ['abscesses', 'abscess', 'abscess'],
  ['papules', 'papule', 'papule'],
  ['hepatitis', 'hepatitis', 'liver inflammation', 'hepatitis'],
  ['arthritis', 'arthritis', 'joint inflammation', 'arthritis'],
  ['joint pain', 'arthralgia', 'joint pain', 'arthralgia'],
  ['anterior scleritis', 'scleritis', 'anterior scleral inflammation'],
  ['poor wound healing', 'poor wound healing', 'poor wound healing', 'abnormal wound healing'],
  ['abnormal scarring', 'abnormal scarring', 'abnormal scar formation'],
  ['gait abnormality', 'gait abnormality', 'abnormality of gait'],
  ['recurrent fevers', 'fever', 'relapsing fever'],
  ['tics', 'tic', 'tics'],
  ['myoclonus', 'myoclonus', 'myoclonus'],
  ['skin lesions', 'skin lesion', 'skin lesion'],
  ['diplopia', 'diplopia', 'double vision', 'diplopia'],
  ['syncope', 'syncope', 'syncope', 'fainting'],
  ['lightheadedness', 'dizziness', 'lightheadedness'],
  ['dizziness', 'dizziness', 'dizziness'],
];

/**
 * Not findings a vignette shows: a pathological process or tissue change ("inflammation",
 * "necrosis", "caseation"), a reaction or a complaint too vague to point anywhere ("pain",
 * "allergic reaction"), an odd or veterinary label ("hind limb paralysis", "left upper
 * quadrant abdominal rigidity", inferred for whole branches of DO), or an imaging phrase.
 */
const BLOCKED = new Set(
  (
    'inflammation|chronic inflammation|acute inflammation|granulomatous inflammation|necrosis|caseation|allergic reaction|pain|acute pain|chronic pain|' +
    'vascular alteration|decreased metabolism|lesions in lung|hind limb paralysis|bone conduction hyperacusis|fever of unknown origin|postoperative pain|' +
    'acute abdomen|anoxia|symptom|general symptom|sensory disturbance|change in body sensation|discomfort|swelling|cachexia of unknown origin|' +
    // diseases and events, not findings: a cause or a complication of the disease ("stroke" for aspiration pneumonitis)
    'stroke|cerebrovascular accident|shock|septic shock|anaphylactic shock|anaphylaxis|myocardial infarction|heart attack|cardiac arrest|sudden death|death|sepsis|' +
    // a measurement or grouping named without its direction ("blood pressure" for hypotension: review round 5), and a term clinicians do not use
    'blood pressure|abnormal blood pressure|body temperature|heart rate|muscle tightness'
  ).split('|'),
);
/** quadrant-specific abdominal rigidity: DO's inferred facets spread it over whole branches */
const BLOCKED_PATTERN = /quadrant abdominal rigidity$/;

/** findings that contradict each other in one patient ("emaciation" and "weight gain"): never shown together */
const CONTRADICTORY: readonly (readonly [RegExp, RegExp])[] = [
  [/emaciation|cachexia|weight loss|underweight|marasm/, /weight gain|obesity|overweight/],
  [/hypotension|low blood pressure|shock/, /hypertension|high blood pressure/],
  [/bradycardia/, /tachycardia/],
  [/hypothermia/, /fever|hyperthermia|pyrexia/],
  [/constipation/, /diarrh/],
];

export const contradicts = (a: string, b: string): boolean => {
  const x = key(a);
  const y = key(b);
  return CONTRADICTORY.some(([p, q]) => (p.test(x) && q.test(y)) || (q.test(x) && p.test(y)));
};

/**
 * Findings a disease's definition rules out, by the disease's name or an ancestor's: no weight
 * gain in marasmus or any undernutrition. Never shown for such a disease, whatever row lists it.
 */
const DISEASE_CONTRADICTIONS: readonly (readonly [RegExp, RegExp])[] = [
  [/marasm|malnutrition|undernutrition|starvation|protein-energy|nutritional deficiency|anorexia nervosa|cachexia|wasting/i, /weight gain|obesity|overweight|increased appetite|hyperphagia/i],
  // a child who is starved stops growing (stunting); "loss of height" is vertebral collapse in an adult (review round 3, N4);
  // marasmus is the wasting form WITHOUT oedema (oedema and a fatty, enlarged liver make it kwashiorkor)
  [/marasm|protein-energy|undernutrition|starvation/i, /loss of height|height loss|decreased height|tall stature/i],
  [/marasm/i, /\b(o)?edema|ascites|anasarca|hepatomegaly|fatty liver/i],
  // the thyroid states: each rules out the other's signs
  [/hypothyroid|myx(o)?edema|cretinism/i, /weight loss|heat intolerance|tachycardia|exophthalmos|hyperactivity|tremor/i],
  [/hyperthyroid|thyrotoxicosis|graves/i, /weight gain|cold intolerance|bradycardia/i],
];

/** does a finding contradict the definition of a disease with these names (its own and its ancestors')? */
export function contradictsDisease(diseaseNames: readonly string[], finding: string): boolean {
  const f = key(finding);
  return DISEASE_CONTRADICTIONS.some(([d, x]) => x.test(f) && diseaseNames.some((n) => d.test(n)));
}

const byName = new Map<string, { phrase: string; concept: string }>();
for (const [phrase, concept, ...names] of FINDING_GROUPS) for (const n of names) if (!byName.has(n!)) byName.set(n!, { phrase: phrase!, concept: concept! });

const key = (name: string) => name.trim().toLowerCase();

/** per-name memo: node names repeat across a run, and each lookup lower-cases and tests patterns */
function memo<T>(f: (name: string) => T): (name: string) => T {
  const cache = new Map<string, T>();
  return (name) => {
    let v = cache.get(name);
    if (v === undefined && !cache.has(name)) {
      if (cache.size > 50_000) cache.clear();
      cache.set(name, (v = f(name)));
    }
    return v as T;
  };
}

/** The finding as a clinician writes it ("pharynx inflammation" → "pharyngitis"); other names unchanged. */
export const findingPhrase = memo((name: string): string => byName.get(key(name))?.phrase ?? name);

/** Findings of one concept restate each other ("hematochezia" / "rectorrhagia"): never both in one stem. */
export const findingConcept = memo((name: string): string => byName.get(key(name))?.concept ?? key(name));

/** A process, pathology or vague complaint, never shown as a finding. */
export const isBlockedFinding = memo((name: string): boolean => {
  const k = key(name);
  return BLOCKED.has(k) || BLOCKED_PATTERN.test(k);
});

/**
 * Constitutional findings: common to so many illnesses that a picture made of them points
 * nowhere, however few diseases a KG happens to annotate with them ("lightheadedness" is on
 * three diseases here, in a thousand in life). A picture needs two findings beyond these.
 */
const CONSTITUTIONAL = new Set(
  (
    'fever|high fever|low grade fever|low-grade fever|mild fever|pyrexia|hyperthermia|fatigue|tiredness|exhaustion|malaise|weakness|generalized weakness|' +
    'progressive weakness|muscle weakness|asthenia|lethargy|listlessness|prostration|chills|shivering|sweating|sweat|night sweat|night sweats|diaphoresis|' +
    'weight loss|loss of appetite|decreased appetite|anorexia|headache|nausea|vomiting|nausea and vomiting|dizziness|lightheadedness|giddiness|pain|ache|' +
    'body ache|muscle pain|myalgia|joint pain|arthralgia|inflammation|swelling|itch|itching|pruritus|rash|bleeding|allergic reaction|irritability|anxiety|' +
    'insomnia|sleep disturbance|discomfort|tenderness|dehydration|necrosis|granulomatous inflammation|chronic inflammation|cramp|sensory disturbance|' +
    'change in body sensation|restlessness|agitation|pallor|depression|emaciation|cachexia|weight gain'
  ).split('|'),
);

/**
 * Common findings beyond the constitutional ones: they point to an organ system but are
 * shared by many conditions in life ("hypoxemia" is on one disease here, in hundreds in life;
 * aphthous ulcers and pharyngitis do not make a picture HIV). They never count as the finding
 * that singles out a diagnosis.
 */
const COMMON = new Set(
  (
    'severe headache|vertigo|cough|dry cough|wet cough|dyspnea|shortness of breath|breathing problems|chest pain|chest discomfort|abdominal pain|' +
    'abdominal discomfort|back pain|backache|diarrhea|constipation|dyspepsia|bloating|maculopapular rash|skin lesion|papule|seizure|convulsion|confusion|' +
    'disorientation|altered mental status|drowsiness|somnolence|stupor|coma|delirium|tremor|syncope|fainting|palpitation|edema|tachypnea|tachycardia|' +
    'hypoxemia|hypoxia|muscle cramp|mouth sore|lymphadenopathy|enlargement of lymph nodes|lymph gland swelling|lymphadenitis|cervical lymphadenopathy|' +
    'pharynx inflammation|pharyngitis|sore throat|apthous ulcer|aphthous ulcer|rhinorrhea|sneezing|congestion|nasal congestion|leukocytosis|leukopenia|' +
    'low white blood cell count|lymphopenia|cytopenia|hypotension|low blood pressure|high blood pressure|hypertension|paresthesia|acute pain|flushing|' +
    'shock|failure to thrive|poor feeding|feeding problem|anemia|anaemia|' +
    // review round 5: signs with many causes in life that made flu-like lists look like pictures (paragonimiasis from
    // urticaria and hepatosplenomegaly, glanders from nasal discharge, ascariasis from wheeze and cramps)
    'urticaria|hives|hepatosplenomegaly|wheezing|wheeze|abdominal cramp|abdominal cramps|nasal discharge|abdominal tenderness|oliguria'
  ).split('|'),
);

const normalFinding = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z -]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** constitutional: not an organ-system anchor of a picture */
export const isNonspecificFinding = memo((name: string): boolean => {
  const n = normalFinding(name);
  return CONSTITUTIONAL.has(n) || CONSTITUTIONAL.has(n.replace(/s$/, '')) || isBlockedFinding(name);
});

/** constitutional or common: never the finding that singles out a diagnosis */
export const isCommonFinding = memo((name: string): boolean => {
  const n = normalFinding(name);
  return isNonspecificFinding(name) || COMMON.has(n) || COMMON.has(n.replace(/s$/, ''));
});

/** Anatomy labels as a clinician names the structure ("telencephalon" → "cerebrum"). */
const ANATOMY_PHRASES: Readonly<Record<string, string>> = {
  telencephalon: 'cerebrum',
  'internal ear': 'inner ear',
  'skeletal joint': 'joints',
  'renal system': 'urinary system',
  'zone of skin': 'skin',
  'integumental system': 'skin',
  'respiration organ': 'respiratory system',
};
/** anatomy labels that name no structure a clinician would offer as an answer */
const UNNATURAL_ANATOMY = /^(material anatomical entity|anatomical (structure|entity|system)|thoracic cavity element|organ|multicellular organism|body proper|.*\bcell\b.*|.*\btissue\b.*|prosencephalon|rhombencephalon|mesencephalon|metencephalon|myelencephalon|diencephalon)$/i;

export const anatomyPhrase = memo((name: string): string => ANATOMY_PHRASES[key(name)] ?? name);

export const isUnnaturalAnatomy = memo((name: string): boolean => UNNATURAL_ANATOMY.test(name.trim()));

/**
 * Taxa above the genus: "Fungi", "Bacteria", "Enterobacteriaceae", "Herpesviridae",
 * "Nematoda". A cause a clinician names is a species or a genus.
 */
const ABOVE_GENUS_NAMES = /^(fungi|bacteria|viruses|virus|protozoa|protista|protists|eukaryota|archaea|metazoa|animalia|helminths|helminthes|worms|yeasts?|molds?|moulds?|dermatophytes)$/i;
const ABOVE_GENUS_SUFFIX = /(aceae|idae|ales|virales|viridae|virinae|viricetes|viricota|virae|viria|virineae|mycetes|mycota|mycotina|phyta|phyceae|zoa|ota|oda|oidea|formes|morpha|stomi|ineae|inae|ptera|poda|phora|asida|orea|acea)$/i;

export const isAboveGenus = memo((name: string): boolean => {
  const clean = name.replace(/[[\]]/g, '').trim();
  if (ABOVE_GENUS_NAMES.test(clean)) return true;
  const words = clean.split(/\s+/);
  return words.length === 1 && ABOVE_GENUS_SUFFIX.test(clean);
});

/**
 * The organ systems an anatomy label belongs to, by its words (the graph's anatomy hierarchy
 * is partial: "lower respiratory tract" has no parent). Two structures of one system are one
 * clinical neighbourhood: a disease of the lung may well involve the trachea or the pleura.
 */
const ORGAN_SYSTEMS: readonly [string, RegExp][] = [
  ['respiratory', /respirat|\blung|pulmon|bronch|trache|pleura|alveol|\bnas(al|e)\b|\bnose\b|sinus|larynx|laryng|pharynx|pharyng|airway|thoracic cavity|wheez|cough|dyspn|breath|hemoptysis|sputum|stridor|airflow|rhinorrh|sneez|hypox|tachypn|hoarse|epistaxis/],
  ['cardiovascular', /cardi|heart|\bvessel|vascul|arter|\bvein|venous|aort|circulat|valve|pericard|myocard|endocard|atri(um|al)|coronary|palpitat|tachycard|bradycard|arrhythm|hypertens|hypotens|blood pressure|murmur|edema|phlebitis/],
  ['nervous', /nerv|neur|brain|cerebr|cerebell|encephal|spinal cord|mening|cortex|\bcns\b|ganglion|telencephal|diencephal|hypothalam|thalam|pons|medulla oblongata|hippocamp|seizure|convuls|paralys|paresis|plegia|ataxia|dysarthria|aphasia|confus|coma|stupor|delirium|memory|neck stiffness|photophobia|tremor|myoclon|paresthes|numb|dementia|cognit|behaviou?r|hallucinat|somnolen|drowsiness|consciousness/],
  ['digestive', /digest|gastr|stomach|intestin|bowel|colon|rect|anus|anal\b|duoden|jejun|ileum|esophag|oesophag|liver|hepat|portal vein|bile|biliar|gall|pancrea|mouth|oral|tongue|teeth|tooth|gingiv|gums|saliv|peritone|abdom|cecum|appendix|diarrh|jaundice|stool|melena|hematochezia|hematemesis|dysphagia|constipat|bloat|dyspeps|ascites|steatorrh|aphthous/],
  ['urinary', /renal|kidney|nephr|urin|ureth|ureter|bladder|excretory|hematuria|proteinuria|dysuria|oliguria|polyuria/],
  ['reproductive', /reproduct|uter|ovar|vagin|vulv|cervix|endometr|myometr|testi|prostat|penis|scrot|placent|mammary|breast|fallopian|oviduct|genital|seminal|menorrh|menstru|dyspareunia|epididym|infertil/],
  ['musculoskeletal', /muscul|muscle|skelet|bone|\bjoint|articul|cartilag|tendon|ligament|spine|vertebr|limb|extremit|\bhand\b|\bfoot\b|\bknee|\bhip\b|femur|tibia|skull|synovi|arthr|myalg|cramp|contractur|gait/],
  ['integumentary', /skin|integument|derm|cutaneous|hair|nail|epiderm|rash|itch|prurit|vesic|blister|papul|macul|urticaria|eschar|petechia|purpura|eczema|alopecia|desquamat|peeling|pustul|ulcer of skin|skin ulcer/],
  ['endocrine', /endocrin|thyroid|adrenal|pituitar|parathyroid|gland(?!ular system)|islet|goit/],
  ['blood and lymph', /\bblood\b|lymph|spleen|splen|thymus|bone marrow|hemat(?!uria|emesis|ochezia)|haemat|immune|tonsil|anemi|anaemi|leukocyt|leukopen|thrombocyt|lymphopen|cytopen|bleeding|hemorrhag|bruis/],
  ['eye', /\beye|ocular|retin|cornea|conjunctiv|lens\b|uvea|iris|sclera|orbit|optic|lacrimal|eyelid|choroid|vision|visual|diplopia|blind|ptosis|photophob|keratitis|uveitis/],
  ['ear', /\bear\b|auditory|cochlea|vestibul|tympan|otic|\boti|hearing|tinnitus|vertigo|otalg|deaf|hyperacusis/],
];

/**
 * (Headache, nausea, vomiting and backache name no system here: they come with so many
 * illnesses that sharing one says nothing about a differential.)
 */
export const organSystems = memo((name: string): string[] => {
  const n = name.toLowerCase();
  return ORGAN_SYSTEMS.filter(([, re]) => re.test(n)).map(([s]) => s);
});

/**
 * Name normalisation for conservative merging by name: Unicode-folded, lowercase,
 * apostrophes removed ("Crohn's" = "Crohns"), other punctuation/whitespace collapsed
 * to one space, and a simple plural strip per token ("seizures" = "seizure").
 */
export function normName(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['\u2019`]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  if (!s) return '';
  return s
    .split(' ')
    .map((t) => (t.length > 3 && t.endsWith('s') && !/(ss|us|is)$/.test(t) ? t.slice(0, -1) : t))
    .join(' ');
}

/** MeSH-style inverted names: "Pain, Abdominal" -> "Abdominal Pain"; undefined if not inverted. */
export function uninvert(name: string): string | undefined {
  const parts = name.split(', ');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return `${parts[1]} ${parts[0]}`;
}

/** Slug used for name-keyed ids (specialties, Wikidata-only symptoms). */
export function slug(name: string): string {
  return normName(name).replace(/ /g, '_');
}

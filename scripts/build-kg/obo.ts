/** Minimal OBO 1.2 [Term] reader: ids, names, synonyms, is_a, xrefs (no definitions). */
export interface OboTerm {
  id: string;
  name: string;
  synonyms: { text: string; scope: string }[];
  isA: string[];
  xrefs: string[];
  obsolete: boolean;
}

export function parseObo(text: string): OboTerm[] {
  const terms: OboTerm[] = [];
  let cur: OboTerm | undefined;
  let inTerm = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      if (cur) terms.push(cur);
      cur = undefined;
      inTerm = line === '[Term]';
      if (inTerm) cur = { id: '', name: '', synonyms: [], isA: [], xrefs: [], obsolete: false };
      continue;
    }
    if (!inTerm || !cur || !line) continue;
    const i = line.indexOf(': ');
    if (i < 0) continue;
    const tag = line.slice(0, i);
    const val = line.slice(i + 2);
    if (tag === 'id') cur.id = val;
    else if (tag === 'name') cur.name = val;
    else if (tag === 'is_a') cur.isA.push(val.split(' ')[0] ?? '');
    else if (tag === 'xref') cur.xrefs.push(val.split(' ')[0] ?? '');
    else if (tag === 'is_obsolete') cur.obsolete = val === 'true';
    else if (tag === 'synonym') {
      const m = /^"((?:[^"\\]|\\.)*)"\s+(\w+)/.exec(val);
      if (m?.[1] && m[2]) cur.synonyms.push({ text: m[1].replace(/\\(.)/g, '$1'), scope: m[2] });
    }
  }
  if (cur) terms.push(cur);
  return terms.filter((t) => t.id);
}

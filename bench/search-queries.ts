/**
 * A deterministic mix of the queries people type into an entity search: whole names,
 * prefixes while typing, a word with a typo, and two partial words.
 */
export function searchQueries(names: readonly string[], count: number, seed = 1): string[] {
  let s = seed >>> 0 || 1;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const pick = () => names[Math.floor(rnd() * names.length)]!;
  const out: string[] = [];
  while (out.length < count) {
    const name = pick();
    const r = rnd();
    if (r < 0.4) out.push(name);
    else if (r < 0.7) out.push(name.slice(0, 3 + Math.floor(rnd() * 6)));
    else if (r < 0.9) {
      const word = name.split(/\s+/).find((w) => w.length >= 5) ?? name;
      const at = 1 + Math.floor(rnd() * (word.length - 2));
      out.push(word.slice(0, at) + 'xq'[Math.floor(rnd() * 2)] + word.slice(at + 1));
    } else {
      const words = name.split(/\s+/);
      out.push(words.length > 1 ? `${words[0]!.slice(0, 4)} ${words[1]!.slice(0, 3)}` : name.slice(0, 4));
    }
  }
  return out;
}

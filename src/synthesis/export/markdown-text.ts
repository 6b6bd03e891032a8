/**
 * Text that came from a user or an imported file (graph names, dataset sources, filter
 * notes, run names), placed into a Markdown file the app writes: it must read as the
 * same text wherever the file is rendered (GitHub, the Hugging Face hub, an editor
 * preview) — never as HTML, a link, emphasis, or a broken table. Markdown's own
 * backslash escapes do that and keep the file readable as plain text.
 */

/** characters with a meaning in inline Markdown (CommonMark §2.4: any ASCII punctuation may be escaped) */
const INLINE = /[\\`*_[\]<>|~&]/g;

/** one line of literal text: inline markup escaped, line breaks folded to spaces */
export function mdText(s: string): string {
  return s.replace(/\r\n?|\n/g, ' ').replace(INLINE, (c) => (c === '&' ? '&amp;' : `\\${c}`));
}

/** a table cell: as mdText (which also escapes the cell separator "|"), never empty */
export function mdCell(s: string): string {
  const t = mdText(s).trim();
  return t === '' ? ' ' : t;
}

/** a URL for an autolink `<…>`, or null when it is not a plain http(s) URL (then show it as text) */
export function mdUrl(s: string): string | null {
  return /^https?:\/\/[^\s<>"'`\\]+$/i.test(s) ? s : null;
}

/**
 * A piece of jargon with its plain explanation where it appears: the word, then a small
 * "?" that shows one sentence on hover, focus or click (click keeps it open for touch).
 */
import { useId, useState, type ReactNode } from 'react';
import { GLOSSARY, type GlossaryKey } from './glossary';

export function Term({ k, children }: { k: GlossaryKey; children?: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const g = GLOSSARY[k];
  return (
    <span className={`term${open ? ' open' : ''}`}>
      {children ?? g.term}
      <button type="button" className="term-q" aria-label={`What is ${g.term}?`} aria-describedby={id} aria-expanded={open} onClick={() => setOpen(!open)} onBlur={() => setOpen(false)}>
        ?
      </button>
      <span role="tooltip" id={id} className="term-tip">
        {g.text}
      </span>
    </span>
  );
}

// Highlights: the words of a field whose analyzed term is a query term,
// wrapped in <em>…</em>. Titles come back whole; descriptions as up to two
// fragments of about 150 characters around the first matches. The text around
// and inside the tags is HTML-escaped first, so a highlight is safe markup
// whatever a job's author wrote, and equal to the engine's (encoder: 'html').

import { tokenSpans } from './analysis/analyzer.ts';

export const FRAGMENT_SIZE = 150;
export const MAX_FRAGMENTS = 2;

/**
 * The entities of the engine's html highlight encoder (Lucene's
 * SimpleHTMLEncoder): these six characters and nothing else, so both stores
 * give the same string for the same job.
 */
const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '/': '&#x2F;' };

/** Text as the engine's html highlight encoder writes it. */
export function escapeHighlightText(text: string): string {
  return text.replace(/[&<>"'/]/g, (c) => HTML_ENTITIES[c] ?? c);
}

function wrap(text: string, spans: ReadonlyArray<{ start: number; end: number }>, from: number, to: number): string {
  let out = '';
  let at = from;
  for (const s of spans) {
    if (s.start < from || s.end > to) continue;
    out += `${escapeHighlightText(text.slice(at, s.start))}<em>${escapeHighlightText(text.slice(s.start, s.end))}</em>`;
    at = s.end;
  }
  return out + escapeHighlightText(text.slice(at, to));
}

export function highlightWhole(text: string, terms: ReadonlySet<string>): string | undefined {
  const hits = tokenSpans(text).filter((s) => terms.has(s.term));
  return hits.length === 0 ? undefined : wrap(text, hits, 0, text.length);
}

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

export function highlightFragments(text: string, terms: ReadonlySet<string>, size = FRAGMENT_SIZE, max = MAX_FRAGMENTS): string[] {
  const hits = tokenSpans(text).filter((s) => terms.has(s.term));
  const out: string[] = [];
  let coveredTo = 0;
  for (const h of hits) {
    if (out.length >= max) break;
    if (h.start < coveredTo) continue;
    // Start a little before the match, at a word start; end at a word end.
    let from = Math.max(coveredTo, h.start - Math.floor(size / 5));
    while (from > coveredTo && from < h.start && isWordChar(text[from - 1])) from++;
    while (from < h.start && !isWordChar(text[from])) from++;
    let to = Math.min(text.length, from + size);
    if (to < h.end) to = h.end;
    while (to < text.length && isWordChar(text[to]) && isWordChar(text[to - 1])) to++;
    const frag = wrap(text, hits, from, to).trim();
    out.push(frag);
    coveredTo = to;
  }
  return out;
}

// The one analyzer of the embedded store, kept equal to the search engine's
// `english` analyzer (OpenSearch 2.19, Lucene 9's EnglishAnalyzer):
//
//   standard tokenizer   Unicode UAX #29 word boundaries, as Lucene's
//                        StandardTokenizer applies them (Scanner, wordBreaker.ts)
//   possessive           a trailing 's, ’s or ＇s (or S) is dropped
//   lowercase            per code point, as Java's Character.toLowerCase
//                        (İ -> i, Σ -> σ even at a word's end)
//   stop                 Lucene's `_english_` set
//   porter_stem          the reference Porter algorithm with Porter's own two
//                        departures, "bli" -> "ble" and "logi" -> "log"
//
// tokenize, tokenSpans and TermDictionary.analyze share one scanner;
// tokenizeSlow (tests/support/tokenizeReference.ts) is an independent reference
// built on Intl.Segmenter (ICU) for the unit tests. analyzer.int.spec.ts
// compares the whole chain with the engine's _analyze.
import { normalizeToken, termOfWord } from './tokenFilters.ts';
import { Scanner } from './wordBreaker.ts';

/**
 * Names this analysis. Stores that persist analyzed text (term ids) re-analyze
 * when it changes: bump it with any change to the tokenizer, stop words or stemmer.
 */
export const ANALYZER_VERSION = 'uax29/possessive/java-lowercase/english-stop-33/porter@2';

const scanner = new Scanner();

// Tokens repeat endlessly across documents; a bounded memo (raw token → term)
// makes indexing 100k descriptions cheap.
const termCache = new Map<string, string>();
const termCacheLimit = 200_000;

function termOfToken(token: string): string {
  let t = termCache.get(token);
  if (t === undefined) {
    t = termOfWord(normalizeToken(token));
    if (termCache.size >= termCacheLimit) termCache.clear();
    termCache.set(token, t);
  }
  return t;
}

/** Analyzed terms of a text, in order, stop words removed. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const s = scanner.reset(text);
  while (s.next()) {
    const t = termOfToken(text.slice(s.start, s.end));
    if (t !== '') out.push(t);
  }
  return out;
}

export interface TokenSpan {
  term: string;
  start: number;
  end: number;
}

/**
 * Tokens of a text with their offsets in the original string (for highlights),
 * stop words left out. A span covers the whole token, a possessive `'s`
 * included, as the engine's offsets do.
 */
export function tokenSpans(text: string): TokenSpan[] {
  const out: TokenSpan[] = [];
  const s = scanner.reset(text);
  while (s.next()) {
    const term = termOfToken(text.slice(s.start, s.end));
    if (term !== '') out.push({ term, start: s.start, end: s.end });
  }
  return out;
}

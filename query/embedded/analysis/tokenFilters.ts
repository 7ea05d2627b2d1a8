// The token filters of the analyzer: english_possessive_stemmer, lowercase, stop
// and porter_stem, from a token as written to its term.
import { porterStem } from './porterStem.ts';
import { englishStopWords } from './stopWords.ts';

/** Java's Character.toLowerCase per code point: JavaScript's full mapping differs on İ and a final Σ. */
function javaLowerCase(word: string): string {
  if (word.indexOf('\u0130') < 0 && word.indexOf('\u03a3') < 0) return word.toLowerCase();
  return word.replace(/[\u0130\u03a3]/g, (ch) => (ch === '\u0130' ? 'i' : '\u03c3')).toLowerCase();
}

/** english_possessive_stemmer then lowercase: the word a token stands for. */
export function normalizeToken(token: string): string {
  const n = token.length;
  let w = token;
  if (n >= 2) {
    const last = token.charCodeAt(n - 1);
    const q = token.charCodeAt(n - 2);
    if ((last === 0x73 || last === 0x53) && (q === 0x27 || q === 0x2019 || q === 0xff07)) w = token.slice(0, n - 2);
  }
  return javaLowerCase(w);
}

/** The term of a token, '' for a stop word (stop filter, then Porter). */
export function termOfWord(word: string): string {
  return englishStopWords.has(word) ? '' : porterStem(word);
}

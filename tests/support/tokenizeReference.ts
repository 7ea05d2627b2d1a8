import { normalizeToken, termOfWord } from '../../query/embedded/analysis/tokenFilters.ts';

let segmenter: Intl.Segmenter | undefined;
const hasLetterOrDigit = /[\p{Alphabetic}\p{Nd}]/u;

/**
 * The same analysis on ICU's word segmentation (Intl.Segmenter), an
 * independent reference for tokenize() in the tests. It agrees with the
 * scanner on alphabetic and numeric text; it differs, by design of ICU, on
 * Han/Hiragana/Katakana and Thai (dictionary segmentation), emoji (not words
 * for ICU) and words over 255 characters.
 */
export function tokenizeSlow(text: string): string[] {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'word' });
  const out: string[] = [];
  for (const seg of segmenter.segment(text)) {
    // A word is a segment with a letter or digit: ICU also calls a run of `_`
    // a word, and a word ending in `_` and a mark none (its rule status, not its boundaries).
    if (!hasLetterOrDigit.test(seg.segment)) continue;
    const t = termOfWord(normalizeToken(seg.segment));
    if (t !== '') out.push(t);
  }
  return out;
}

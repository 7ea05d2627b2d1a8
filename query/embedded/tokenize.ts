// The one analyzer of the embedded store, kept equal to the search engine's
// `jobs` text analysis: split on anything that is not a Unicode letter or
// digit, lowercase each word, drop English stop words (Lucene's `_english_` set), then the
// Porter stemmer (the reference algorithm with Porter's own two departures,
// "bli" -> "ble" and "logi" -> "log", as Lucene's `porter_stem` has them).

/**
 * Names this analysis. Stores that persist analyzed text (term ids) re-analyze
 * when it changes: bump it with any change to the tokenizer, stop words or stemmer.
 */
export const ANALYZER_VERSION = 'unicode-alnum/lowercase/english-stop-33/porter@1';

/** Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, the engine's `_english_`. */
export const englishStopWords: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it',
  'no', 'not', 'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these',
  'they', 'this', 'to', 'was', 'will', 'with',
]);

const step2list: Record<string, string> = {
  ational: 'ate', tional: 'tion', enci: 'ence', anci: 'ance', izer: 'ize', bli: 'ble', alli: 'al',
  entli: 'ent', eli: 'e', ousli: 'ous', ization: 'ize', ation: 'ate', ator: 'ate', alism: 'al',
  iveness: 'ive', fulness: 'ful', ousness: 'ous', aliti: 'al', iviti: 'ive', biliti: 'ble', logi: 'log',
};
const step3list: Record<string, string> = { icate: 'ic', ative: '', alize: 'al', iciti: 'ic', ical: 'ic', ful: '', ness: '' };

const c = '[^aeiou]';
const v = '[aeiouy]';
const C = `${c}[^aeiouy]*`;
const V = `${v}[aeiou]*`;
const mgr0 = new RegExp(`^(${C})?${V}${C}`);
const meq1 = new RegExp(`^(${C})?${V}${C}(${V})?$`);
const mgr1 = new RegExp(`^(${C})?${V}${C}${V}${C}`);
const sV = new RegExp(`^(${C})?${v}`);
const cvc = new RegExp(`^${C}${v}[^aeiouwxy]$`);
const step1a1 = /^(.+?)(ss|i)es$/;
const step1a2 = /^(.+?)([^s])s$/;
const step1b1 = /^(.+?)eed$/;
const step1b2 = /^(.+?)(ed|ing)$/;
const step1bAtBlIz = /(at|bl|iz)$/;
const step1bDouble = /([^aeiouylsz])\1$/;
const step1c = /^(.+?)y$/;
const step2 = /^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness|fulness|ousness|aliti|iviti|biliti|logi)$/;
const step3 = /^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$/;
const step4 = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;
const step4ion = /^(.+?)(s|t)(ion)$/;
const step5 = /^(.+?)e$/;

/** The Porter stemmer on one lowercase word. */
export function porterStem(word: string): string {
  if (word.length < 3) return word;
  let w = word;
  const firstY = w.startsWith('y');
  if (firstY) w = `Y${w.slice(1)}`;

  let m = step1a1.exec(w);
  if (m) w = `${m[1]}${m[2]}`;
  else if ((m = step1a2.exec(w))) w = `${m[1]}${m[2]}`;

  if ((m = step1b1.exec(w))) {
    if (mgr0.test(m[1] ?? '')) w = w.slice(0, -1);
  } else if ((m = step1b2.exec(w))) {
    const stem = m[1] ?? '';
    if (sV.test(stem)) {
      w = stem;
      if (step1bAtBlIz.test(w)) w += 'e';
      else if (step1bDouble.test(w)) w = w.slice(0, -1);
      else if (cvc.test(w)) w += 'e';
    }
  }

  if ((m = step1c.exec(w))) {
    const stem = m[1] ?? '';
    if (sV.test(stem)) w = `${stem}i`;
  }

  if ((m = step2.exec(w))) {
    const stem = m[1] ?? '';
    if (mgr0.test(stem)) w = stem + (step2list[m[2] ?? ''] ?? '');
  }

  if ((m = step3.exec(w))) {
    const stem = m[1] ?? '';
    if (mgr0.test(stem)) w = stem + (step3list[m[2] ?? ''] ?? '');
  }

  if ((m = step4.exec(w))) {
    const stem = m[1] ?? '';
    if (mgr1.test(stem)) w = stem;
  } else if ((m = step4ion.exec(w))) {
    const stem = `${m[1]}${m[2]}`;
    if (mgr1.test(stem)) w = stem;
  }

  if ((m = step5.exec(w))) {
    const stem = m[1] ?? '';
    if (mgr1.test(stem) || (meq1.test(stem) && !cvc.test(stem))) w = stem;
  }
  if (w.endsWith('ll') && mgr1.test(w)) w = w.slice(0, -1);

  if (firstY) w = `y${w.slice(1)}`;
  return w;
}

// Stems repeat endlessly across documents; a bounded memo makes indexing
// 100k descriptions cheap.
const stemCache = new Map<string, string>();
const stemCacheLimit = 200_000;

function stemCached(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = porterStem(word);
    if (stemCache.size >= stemCacheLimit) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

const wordRe = /[\p{L}\p{N}]+/gu;
const nonAsciiWordChar = /[\p{L}\p{N}]/u;
/** ASCII letters and digits. */
const asciiWord = new Uint8Array(128);
for (let ch = 0; ch < 128; ch++) asciiWord[ch] = /[A-Za-z0-9]/.test(String.fromCharCode(ch)) ? 1 : 0;

function pushTerm(out: string[], w: string): void {
  if (!englishStopWords.has(w)) out.push(stemCached(w));
}

/** Analyzed terms of a text, in order, stop words removed. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128 ? asciiWord[c] === 0 : !nonAsciiWordChar.test(String.fromCodePoint(text.codePointAt(i) ?? c))) {
      i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
      continue;
    }
    // A word: scan ASCII quickly; anything else decides by Unicode class.
    let j = i;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d < 128) {
        if (asciiWord[d] === 0) break;
        j++;
      } else {
        const cp = text.codePointAt(j) ?? d;
        if (!nonAsciiWordChar.test(String.fromCodePoint(cp))) break;
        j += cp > 0xffff ? 2 : 1;
      }
    }
    // Lowercased per word, after splitting, as the engine's lowercase filter does.
    pushTerm(out, text.slice(i, j).toLowerCase());
    i = j;
  }
  return out;
}

/** The same analysis by regular expression: the reference tokenize() is tested against. */
export function tokenizeSlow(text: string): string[] {
  const out: string[] = [];
  wordRe.lastIndex = 0;
  for (let m = wordRe.exec(text); m !== null; m = wordRe.exec(text)) pushTerm(out, m[0].toLowerCase());
  return out;
}

export interface TokenSpan {
  term: string;
  start: number;
  end: number;
}

/**
 * Words of a text with their offsets in the original string (for highlights).
 * Offsets are taken on the original text, so a lowercase mapping that changes
 * length cannot shift them.
 */
export function tokenSpans(text: string): TokenSpan[] {
  const out: TokenSpan[] = [];
  wordRe.lastIndex = 0;
  for (let m = wordRe.exec(text); m !== null; m = wordRe.exec(text)) {
    const w = m[0].toLowerCase();
    if (englishStopWords.has(w)) continue;
    out.push({ term: stemCached(w), start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * Analysis straight to dense term ids, for indexing: each distinct word is
 * looked up once (stop word, stem, id) and remembered, so indexing costs a
 * scan and one map lookup per word.
 */
export class TermDictionary {
  /** Term (stem) of each id. */
  readonly terms: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Lowercase word → term id, -1 for a stop word (a memo; may be cleared). */
  private readonly words = new Map<string, number>();

  /** Replaces the dictionary by terms whose ids are their indexes (a persisted dictionary). */
  restore(terms: readonly string[]): void {
    this.terms.length = 0;
    this.ids.clear();
    this.words.clear();
    for (const t of terms) this.intern(t);
    if (this.terms.length !== terms.length) throw new Error('term dictionary holds duplicates');
  }

  /** The id of a term, when known. */
  idOf(term: string): number | undefined {
    return this.ids.get(term);
  }

  private intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
    }
    return id;
  }

  private wordId(lower: string): number {
    let id = this.words.get(lower);
    if (id === undefined) {
      id = englishStopWords.has(lower) ? -1 : this.intern(porterStem(lower));
      if (this.words.size >= 500_000) this.words.clear();
      this.words.set(lower, id);
    }
    return id;
  }

  /** Appends the term ids of a text to `out` (same analysis as tokenize). */
  analyze(text: string, out: number[]): number[] {
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 128 ? asciiWord[c] === 0 : !nonAsciiWordChar.test(String.fromCodePoint(text.codePointAt(i) ?? c))) {
        i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
        continue;
      }
      let j = i;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d < 128) {
          if (asciiWord[d] === 0) break;
          j++;
        } else {
          const cp = text.codePointAt(j) ?? d;
          if (!nonAsciiWordChar.test(String.fromCodePoint(cp))) break;
          j += cp > 0xffff ? 2 : 1;
        }
      }
      const id = this.wordId(text.slice(i, j).toLowerCase());
      if (id >= 0) out.push(id);
      i = j;
    }
    return out;
  }
}

// The one analyzer of the embedded store, kept equal to the search engine's
// `english` analyzer (OpenSearch 2.19, Lucene 9's EnglishAnalyzer):
//
//   standard tokenizer   Unicode UAX #29 word boundaries, as Lucene's
//                        StandardTokenizer applies them (see `Scanner` below)
//   possessive           a trailing 's, ’s or ＇s (or S) is dropped
//   lowercase            per code point, as Java's Character.toLowerCase
//                        (İ -> i, Σ -> σ even at a word's end)
//   stop                 Lucene's `_english_` set
//   porter_stem          the reference Porter algorithm with Porter's own two
//                        departures, "bli" -> "ble" and "logi" -> "log"
//
// tokenize, tokenSpans and TermDictionary.analyze share one scanner;
// tokenizeSlow is an independent reference built on Intl.Segmenter (ICU) for
// the unit tests. query/embedded/tokenize.int.spec.ts compares the whole chain
// with the engine's _analyze.

/**
 * Names this analysis. Stores that persist analyzed text (term ids) re-analyze
 * when it changes: bump it with any change to the tokenizer, stop words or stemmer.
 */
export const ANALYZER_VERSION = 'uax29/possessive/java-lowercase/english-stop-33/porter@2';

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

// ---------------------------------------------------------------------------
// Word-break classes (UAX #29 Word_Break values, as far as the rules use them).

const OTHER = 0;
const LETTER = 1; // ALetter
const HEBREW = 2; // Hebrew_Letter
const NUMERIC = 3;
const KATAKANA = 4;
const ENL = 5; // ExtendNumLet
const MID_LETTER = 6;
const MID_NUM = 7;
const MID_NUM_LET = 8;
const SINGLE_QUOTE = 9;
const DOUBLE_QUOTE = 10;
const EXTEND = 11; // Extend, Format and ZWJ: WB4 keeps them with what precedes
const HAN = 12; // one token per ideograph
const HIRAGANA = 13; // one token per character
const COMPLEX = 14; // Line_Break=Complex_Context (Thai, Lao, Khmer, Myanmar…): one token per run
const EMOJI = 15;
const REGIONAL = 16; // Regional_Indicator: flags, by pairs
/** Scanner state after a Hebrew letter and an apostrophe (WB7a). */
const HEBREW_QUOTE = 17;

const reHan = /\p{Script=Han}/u;
// Ideographs assigned after Unicode 12.1, the version of the engine's tables: no tokens there.
const reHanAfterUnicode12 = /[\u4db6-\u4dbf\u9ff0-\u9fff\u{2a6d7}-\u{2a6df}\u{2b735}-\u{2b73f}\u{2cea2}-\u{2ceaf}\u{2ebf0}-\u{2ee5f}\u{30000}-\u{3ffff}]/u;
const reHiragana = /\p{Script=Hiragana}/u;
const reKatakana = /[\p{Script=Katakana}\u3031-\u3035\u309b\u309c\u30a0\u30fc\uff70]/u;
const reComplex = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Myanmar}\p{Script=Khmer}\p{Script=Tai_Le}\p{Script=New_Tai_Lue}\p{Script=Tai_Tham}\p{Script=Tai_Viet}\p{Script=Ahom}]/u;
const reComplexContext = /[\p{L}\p{M}\p{P}\p{S}\p{No}]/u;
// Punctuation and symbols of those scripts that are not Complex_Context in the engine's tables.
const reNotComplexContext = /[\u0e4f\u0e5a\u0e5b\u104a-\u104f\u17d4-\u17d6\u17d8-\u17db\u17f0-\u17f9\u19e0-\u19ff]/u;
// Extend (marks, ZWNJ, halfwidth sound marks; emoji modifiers in classify), Format (Cf but ZWSP) and ZWJ.
const reExtend = /[\p{M}\p{Cf}\uff9e\uff9f]/u;
const reHebrew = /\p{Script=Hebrew}/u;
const reOtherLetter = /\p{Lo}/u;
const reNumeric = /[\p{Nd}\u066b]/u;
const reLetter = /[\p{Alphabetic}\u02c2-\u02c5\u02d2-\u02d7\u02de\u02df\u02ed\u02ef-\u02ff\u055b\u055c\u055e\u05f3\ua720\ua721\ua789\ua78a\uab5b]/u;
const reExtendNumLet = /[\p{Pc}\u202f]/u;
// Emoji and Extended_Pictographic, plus the code points that the engine's older
// emoji tables (Extended_Pictographic with its then-reserved ranges) make emoji
// and JavaScript's do not; found by running every code point through _analyze.
const reEmoji = /[\p{Emoji}\p{Extended_Pictographic}\u2388\u2605\u2607-\u260d\u260f\u2610\u2612\u2616\u2617\u2619-\u261c\u261e\u261f\u2621\u2624\u2625\u2627-\u2629\u262b-\u262d\u2630-\u2637\u263b-\u263f\u2641\u2643-\u2647\u2654-\u265e\u2661\u2662\u2664\u2667\u2669-\u267a\u267c\u267d\u2680-\u2685\u2690\u2691\u2698\u269a\u269d-\u269f\u26a2-\u26a6\u26a8\u26a9\u26ac-\u26af\u26b2-\u26bc\u26bf-\u26c3\u26c6\u26c7\u26c9-\u26cd\u26d0\u26d2\u26d5-\u26e8\u26eb-\u26ef\u26f6\u26fb\u26fc\u26fe-\u2701\u2703\u2704\u270e\u2710\u2711\u2765-\u2767\u{1f000}-\u{1f003}\u{1f005}-\u{1f02b}\u{1f030}-\u{1f093}\u{1f0a0}-\u{1f0ae}\u{1f0b1}-\u{1f0bf}\u{1f0c1}-\u{1f0ce}\u{1f0d1}-\u{1f0f5}\u{1f10d}-\u{1f10f}\u{1f12f}\u{1f16c}-\u{1f16f}\u{1f1ad}\u{1f260}-\u{1f265}\u{1f322}-\u{1f323}\u{1f394}-\u{1f395}\u{1f398}\u{1f39c}-\u{1f39d}\u{1f3f1}-\u{1f3f2}\u{1f3f6}\u{1f4fe}\u{1f546}-\u{1f548}\u{1f54f}\u{1f568}-\u{1f56e}\u{1f571}-\u{1f572}\u{1f57b}-\u{1f586}\u{1f588}-\u{1f589}\u{1f58e}-\u{1f58f}\u{1f591}-\u{1f594}\u{1f597}-\u{1f5a3}\u{1f5a6}-\u{1f5a7}\u{1f5a9}-\u{1f5b0}\u{1f5b3}-\u{1f5bb}\u{1f5bd}-\u{1f5c1}\u{1f5c5}-\u{1f5d0}\u{1f5d4}-\u{1f5db}\u{1f5df}-\u{1f5e0}\u{1f5e2}\u{1f5e4}-\u{1f5e7}\u{1f5e9}-\u{1f5ee}\u{1f5f0}-\u{1f5f2}\u{1f5f4}-\u{1f5f9}\u{1f6c6}-\u{1f6ca}\u{1f6d3}-\u{1f6d4}\u{1f6e6}-\u{1f6e8}\u{1f6ea}\u{1f6f1}-\u{1f6f2}\u{1f774}-\u{1f77f}\u{1f7d5}-\u{1f7d9}\u{1f8b0}-\u{1f8bb}\u{1f8c0}-\u{1f8c1}\u{1f8d0}-\u{1f8d8}\u{1fa00}-\u{1fa57}\u{1fa60}-\u{1fa6d}\u{1fb00}-\u{1fb92}\u{1fb94}-\u{1fbfa}]/u;
const reIdeographic = /\p{Ideographic}/u;
const midLetter = new Set([0x3a, 0xb7, 0x387, 0x5f4, 0x2027, 0xfe13, 0xfe55, 0xff1a]);
const midNumLet = new Set([0x2e, 0x2018, 0x2019, 0x2024, 0xfe52, 0xff07, 0xff0e]);
const midNum = new Set([0x2c, 0x3b, 0x37e, 0x589, 0x60c, 0x60d, 0x66c, 0x7f8, 0x2044, 0xfe10, 0xfe14, 0xfe50, 0xfe54, 0xff0c, 0xff1b]);

function classify(cp: number): number {
  if (midLetter.has(cp)) return MID_LETTER;
  if (midNumLet.has(cp)) return MID_NUM_LET;
  if (midNum.has(cp)) return MID_NUM;
  if (cp === 0x27) return SINGLE_QUOTE;
  if (cp === 0x22) return DOUBLE_QUOTE;
  if (cp === 0x200b) return OTHER; // ZERO WIDTH SPACE is the one Cf that breaks
  if (cp >= 0x1f1e6 && cp <= 0x1f1ff) return REGIONAL;
  if (cp >= 0x1f3fb && cp <= 0x1f3ff) return EXTEND; // emoji modifiers
  const s = String.fromCodePoint(cp);
  if (reExtend.test(s)) return EXTEND;
  if (reComplex.test(s) && reComplexContext.test(s) && !reNotComplexContext.test(s)) return COMPLEX;
  if (reHan.test(s)) {
    if (reLetter.test(s) && !reIdeographic.test(s)) return LETTER; // 々 〻: letters first
    return reHanAfterUnicode12.test(s) ? OTHER : HAN;
  }
  if (reHiragana.test(s)) return HIRAGANA;
  if (reKatakana.test(s)) return KATAKANA;
  if (reHebrew.test(s) && reOtherLetter.test(s)) return HEBREW;
  if (reNumeric.test(s)) return NUMERIC;
  if (reLetter.test(s) && !reIdeographic.test(s)) return LETTER;
  if (reExtendNumLet.test(s)) return ENL;
  if (cp > 0x7f && reEmoji.test(s)) return EMOJI;
  return OTHER;
}

/** Classes of the BMP, computed on first use (255: not yet). */
const bmpClass = new Uint8Array(0x10000).fill(255);
for (let cp = 0; cp < 0x80; cp++) bmpClass[cp] = classify(cp);
const astralClass = new Map<number, number>();

function isHigh(u: number): boolean {
  return u >= 0xd800 && u <= 0xdbff;
}

/** Word-break class of the code point at `i` (a lone surrogate is OTHER). */
function classAt(text: string, i: number): number {
  const u = text.charCodeAt(i);
  if (u < 0x80) return bmpClass[u]!;
  if (isHigh(u)) {
    const lo = text.charCodeAt(i + 1);
    if (lo >= 0xdc00 && lo <= 0xdfff) {
      const cp = ((u - 0xd800) << 10) + (lo - 0xdc00) + 0x10000;
      let k = astralClass.get(cp);
      if (k === undefined) {
        k = classify(cp);
        astralClass.set(cp, k);
      }
      return k;
    }
    return OTHER;
  }
  let k = bmpClass[u]!;
  if (k === 255) {
    k = u >= 0xdc00 && u <= 0xdfff ? OTHER : classify(u);
    bmpClass[u] = k;
  }
  return k;
}

/** UTF-16 length of the code point at `i`. */
function widthAt(text: string, i: number): number {
  if (!isHigh(text.charCodeAt(i))) return 1;
  const lo = text.charCodeAt(i + 1);
  return lo >= 0xdc00 && lo <= 0xdfff ? 2 : 1;
}

/** Past any Extend/Format/ZWJ characters at `j` (WB4). */
function skipExtend(text: string, j: number, end: number): number {
  while (j < end) {
    const u = text.charCodeAt(j);
    if (u < 0x80 || classAt(text, j) !== EXTEND) break;
    j += widthAt(text, j);
  }
  return j;
}

const isLetterish = (k: number): boolean => k === LETTER || k === HEBREW;

/**
 * Lucene's StandardTokenizer (a JFlex grammar of the UAX #29 word rules): each
 * call of next() finds the next token and leaves it in [start, end).
 *
 * - letters join letters (WB5), letters and digits join (WB9, WB10), digits
 *   join digits (WB8); a MidLetter (`:` `·`…), MidNumLet (`.` `’`…) or `'`
 *   joins two letters (WB6, WB7), a MidNum (`,` `;`…), MidNumLet or `'` joins
 *   two digits (WB11, WB12); Katakana joins Katakana (WB13); `_` and other
 *   ExtendNumLet join all of these (WB13a, WB13b); a Hebrew letter keeps a
 *   following `'` and joins `"` between Hebrew letters (WB7a-c);
 * - marks, format characters and ZWJ stay with what precedes them (WB4);
 * - each Han ideograph and each Hiragana character is a token of its own; a
 *   run of Thai, Lao, Khmer, Myanmar… (Complex_Context) is one token;
 * - emoji (with modifiers, variation selectors and ZWJ sequences) and pairs
 *   of regional indicators (flags) are tokens, as Lucene's EMOJI type;
 * - anything else breaks and is dropped;
 * - like Lucene's 255-character scanner buffer, a token never exceeds 255
 *   UTF-16 units: the scan of a longer one stops there and resumes after it.
 */
class Scanner {
  start = 0;
  end = 0;
  private pos = 0;
  private text = '';

  reset(text: string): this {
    this.text = text;
    this.pos = 0;
    return this;
  }

  next(): boolean {
    const text = this.text;
    const n = text.length;
    let i = this.pos;
    while (i < n) {
      const k = classAt(text, i);
      const w = widthAt(text, i);
      let limit = i + MAX_TOKEN_LENGTH;
      if (limit >= n) limit = n;
      else if (isHigh(text.charCodeAt(limit - 1))) limit--;
      let j = -1;
      switch (k) {
        case LETTER:
        case HEBREW:
        case NUMERIC:
        case KATAKANA:
        case ENL:
          j = scanWord(text, i, k, w, limit);
          break;
        case HAN:
        case HIRAGANA:
          j = skipExtend(text, i + w, limit);
          break;
        case COMPLEX:
          j = i + w;
          while (j < limit) {
            const c = classAt(text, j);
            if (c !== COMPLEX && c !== EXTEND) break;
            j += widthAt(text, j);
          }
          break;
        case EMOJI:
          j = scanEmoji(text, i, limit);
          break;
        case EXTEND: {
          // A Thai, Khmer… mark that follows no letter starts a Complex_Context run.
          if (reComplex.test(String.fromCodePoint(text.codePointAt(i) ?? 0))) {
            j = i + w;
            while (j < limit) {
              const c = classAt(text, j);
              if (c !== COMPLEX && c !== EXTEND) break;
              j += widthAt(text, j);
            }
            break;
          }
          // An emoji after ZWJs, or an emoji modifier that follows no base, is an emoji token.
          let m = i;
          while (m < limit && text.charCodeAt(m) === 0x200d) m++;
          if (m < limit && (classAt(text, m) === EMOJI || (m === i && isEmojiModifier(text, m)))) j = scanEmoji(text, m, limit);
          break;
        }
        case REGIONAL:
          // A flag is a pair; a lone regional indicator is no token.
          if (i + w < limit && classAt(text, i + w) === REGIONAL) j = skipExtend(text, i + w + widthAt(text, i + w), limit);
          break;
        default: {
          // Keycap sequences of # and * (digits are numeric tokens with their extends anyway).
          const u = text.charCodeAt(i);
          if ((u === 0x23 || u === 0x2a) && (text.charCodeAt(i + 1) === 0x20e3 || (text.charCodeAt(i + 1) === 0xfe0f && text.charCodeAt(i + 2) === 0x20e3))) {
            j = skipExtend(text, i + 1, limit);
          }
        }
      }
      if (j > i) {
        this.start = i;
        this.end = j;
        this.pos = j;
        return true;
      }
      i += w;
    }
    this.pos = n;
    return false;
  }
}

const MAX_TOKEN_LENGTH = 255;

function isEmojiModifier(text: string, i: number): boolean {
  return text.charCodeAt(i) === 0xd83c && text.charCodeAt(i + 1) >= 0xdffb && text.charCodeAt(i + 1) <= 0xdfff;
}

/**
 * End of the emoji sequence whose emoji is at `i` (the token may start earlier, at ZWJs):
 * the emoji, its extends up to a variation selector (VS16 kept, VS15 not),
 * then more emoji joined by ZWJ.
 */
function scanEmoji(text: string, i: number, limit: number): number {
  let j = i;
  for (;;) {
    j += widthAt(text, j);
    while (j < limit) {
      const u = text.charCodeAt(j);
      if (u < 0x80 || u === 0xfe0e || u === 0xfe0f || classAt(text, j) !== EXTEND) break;
      j += widthAt(text, j);
    }
    if (j < limit && text.charCodeAt(j) === 0xfe0f) j++;
    let m = j;
    while (m < limit && text.charCodeAt(m) === 0x200d) m++;
    if (m < limit && (m > j || text.charCodeAt(j - 1) === 0x200d) && classAt(text, m) === EMOJI) {
      j = m;
      continue;
    }
    return j;
  }
}

/**
 * End of the word (letters, digits, Katakana, ExtendNumLet) starting at `i`,
 * or -1 when there is none (ExtendNumLet alone is no word).
 */
function scanWord(text: string, i: number, k: number, w: number, limit: number): number {
  let prev = k;
  let hasCore = k !== ENL;
  let j = skipExtend(text, i + w, limit);
  let end = hasCore ? j : -1;
  while (j < limit) {
    const u = text.charCodeAt(j);
    // ASCII letters and digits after letters or digits: the common case.
    const c = u < 0x80 ? bmpClass[u]! : classAt(text, j);
    let ok: boolean;
    switch (c) {
      case LETTER:
      case HEBREW:
      case NUMERIC:
        ok = prev !== KATAKANA;
        break;
      case KATAKANA:
        ok = prev === KATAKANA || prev === ENL;
        break;
      case ENL:
        ok = true;
        break;
      case MID_LETTER:
      case MID_NUM:
      case MID_NUM_LET:
      case SINGLE_QUOTE:
      case DOUBLE_QUOTE: {
        const m = skipExtend(text, j + 1, limit);
        const after = m < limit ? classAt(text, m) : OTHER;
        const betweenLetters = isLetterish(prev) && isLetterish(after) && (c === MID_LETTER || c === MID_NUM_LET || c === SINGLE_QUOTE);
        const betweenDigits = prev === NUMERIC && after === NUMERIC && (c === MID_NUM || c === MID_NUM_LET || c === SINGLE_QUOTE);
        const hebrewQuotes = prev === HEBREW && after === HEBREW && c === DOUBLE_QUOTE;
        if (betweenLetters || betweenDigits || hebrewQuotes) {
          prev = after;
          j = skipExtend(text, m + widthAt(text, m), limit);
          end = j;
          continue;
        }
        if (prev === HEBREW && c === SINGLE_QUOTE) {
          prev = HEBREW_QUOTE;
          j = m;
          end = j;
          continue;
        }
        ok = false;
        break;
      }
      default:
        ok = false;
    }
    if (!ok) break;
    prev = c;
    if (c !== ENL) hasCore = true;
    j = skipExtend(text, j + (u < 0x80 ? 1 : widthAt(text, j)), limit);
    if (hasCore) end = j;
  }
  return end;
}

const scanner = new Scanner();

// ---------------------------------------------------------------------------
// Token filters.

/** Java's Character.toLowerCase per code point: JavaScript's full mapping differs on İ and a final Σ. */
function javaLowerCase(word: string): string {
  if (word.indexOf('\u0130') < 0 && word.indexOf('\u03a3') < 0) return word.toLowerCase();
  return word.replace(/[\u0130\u03a3]/g, (ch) => (ch === '\u0130' ? 'i' : '\u03c3')).toLowerCase();
}

/** english_possessive_stemmer then lowercase: the word a token stands for. */
function normalizeToken(token: string): string {
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
function termOfWord(word: string): string {
  return englishStopWords.has(word) ? '' : porterStem(word);
}

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

/**
 * Analysis straight to dense term ids, for indexing: each distinct token is
 * looked up once (normalize, stop word, stem, id) and remembered, so indexing
 * costs a scan and one map lookup per token.
 */
export class TermDictionary {
  /** Term (stem) of each id. */
  readonly terms: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Token as written → term id, -1 for a stop word (a memo; may be cleared). */
  private readonly words = new Map<string, number>();
  private readonly scanner = new Scanner();

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

  private wordId(token: string): number {
    let id = this.words.get(token);
    if (id === undefined) {
      const term = termOfWord(normalizeToken(token));
      id = term === '' ? -1 : this.intern(term);
      if (this.words.size >= 500_000) this.words.clear();
      this.words.set(token, id);
    }
    return id;
  }

  /** Appends the term ids of a text to `out` (same analysis as tokenize). */
  analyze(text: string, out: number[]): number[] {
    const s = this.scanner.reset(text);
    while (s.next()) {
      const id = this.wordId(text.slice(s.start, s.end));
      if (id >= 0) out.push(id);
    }
    return out;
  }
}

// Lucene's StandardTokenizer: where the tokens of a text start and end. The
// word-break classes and the scanner share this one module on purpose: imported
// constants and functions in the scanner's inner loops made it several times
// slower.

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
export class Scanner {
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

import { describe, expect, it } from 'vitest';
import { ANALYZER_VERSION, tokenSpans, tokenize } from './analyzer.ts';
import { TermDictionary } from './termDictionary.ts';

// Expected terms are what OpenSearch 2.19's `english` analyzer returns for the
// same text (POST /_analyze); analyzer.int.spec.ts checks them against the engine.
const vectors: [string, string[]][] = [
  // Apostrophes between letters keep a word whole (WB6/7); the possessive filter drops 's.
  ["driver's", ['driver']],
  ["it's", []],
  ["Ha'il", ["ha'il"]],
  ['Ta’if', ['ta’if']],
  ["JAMES'S abc’S o＇s", ['jame', 'abc', 'o']],
  ["rock'n'roll don't 'quoted'", ["rock'n'rol", "don't", 'quot']],
  // Java's per-code-point lowercase: İ -> i, Σ -> σ also at a word's end.
  ['izmir İstanbul İZMİR', ['izmir', 'istanbul', 'izmir']],
  ['ΟΔΟΣ ΣΑΣ', ['οδοσ', 'σασ']],
  // Marks and format characters stay inside the word (WB4).
  ['Dhangaḍhi', ['dhangaḍhi']],
  ['soft\u00adware a\u2060b a\u200bb', ['soft\u00adwar', 'a\u2060b', 'b']],
  // MidLetter / MidNumLet between letters, MidNum / MidNumLet between digits.
  ['U.S.A. a:b a·b www.example.com/jobs', ['u.s.a', 'a:b', 'a·b', 'www.example.com', 'job']],
  ['1,000.5 3.5 1;2 a.1 1.a', ['1,000.5', '3.5', '1;2', '1', '1']],
  // Letters and digits join (WB9/10); ExtendNumLet joins everything (WB13a/b).
  ['24x7 3.5x a_b _abc a_ ___ a\u202fb', ['24x7', '3.5x', 'a_b', '_abc', 'a_', 'a\u202fb']],
  // Han and Hiragana one character each; Katakana runs stay together.
  ['日本語の本 カタカナ ひらがな ｶﾀｶﾅ 한국어', ['日', '本', '語', 'の', '本', 'カタカナ', 'ひ', 'ら', 'が', 'な', 'ｶﾀｶﾅ', '한국어']],
  // Complex_Context scripts (Thai…) are one token per run.
  ['ไทยภาษา ๑๒', ['ไทยภาษา', '๑๒']],
  // Hebrew: a final apostrophe stays, a double quote joins Hebrew letters.
  ["צה\"ל ג'ורג'", ['צה"ל', "ג'ורג'"]],
  // Emoji are tokens (with modifiers, VS16, ZWJ sequences, flags and keycaps).
  ['🚀 go 👍🏽 ❤️ 🇺🇸 #️⃣ 1️⃣ © ★ 👨‍👩‍👧', ['🚀', 'go', '👍🏽', '❤️', '🇺🇸', '#️⃣', '1️⃣', '©', '★', '👨‍👩‍👧']],
  // Dropped: superscripts, lone marks, lone regional indicators.
  ['² \u0301 🇦 Ⅻ ⓐ', ['ⅻ', 'ⓐ']],
];

describe('english analysis (engine vectors)', () => {
  it.each(vectors)('%j', (text, terms) => {
    expect(tokenize(text)).toEqual(terms);
    const dict = new TermDictionary();
    expect(dict.analyze(text, []).map((id) => dict.terms[id])).toEqual(terms);
    expect(tokenSpans(text).map((s) => s.term)).toEqual(terms);
  });

  it('splits tokens longer than 255 UTF-16 units, as the engine does', () => {
    const long = 'x'.repeat(300);
    expect(tokenize(long)).toEqual(['x'.repeat(255), 'x'.repeat(45)]);
    expect(tokenSpans(`b ${long}`).map((s) => [s.start, s.end])).toEqual([
      [0, 1],
      [2, 257],
      [257, 302],
    ]);
    // Never inside a surrogate pair.
    const astral = `${'x'.repeat(254)}𝒳y`;
    expect(tokenSpans(astral).map((s) => [s.start, s.end])).toEqual([
      [0, 254],
      [254, 257],
    ]);
  });

  it('gives offsets of whole tokens in the original text', () => {
    const text = "Driver's licence: İstanbul, U.S.A.";
    expect(tokenSpans(text)).toEqual([
      { term: 'driver', start: 0, end: 8 },
      { term: 'licenc', start: 9, end: 16 },
      { term: 'istanbul', start: 18, end: 26 },
      { term: 'u.s.a', start: 28, end: 33 },
    ]);
  });

  it('names a new analysis', () => {
    expect(ANALYZER_VERSION).not.toBe('unicode-alnum/lowercase/english-stop-33/porter@1');
  });
});

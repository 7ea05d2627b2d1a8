import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LENGTH_TABLE, bm25Idf, lengthToNorm, normToLength } from './bm25.ts';
import { TextIndex } from './textIndex.ts';
import { tokenizeSlow } from '../../tests/support/tokenizeReference.ts';
import { tokenSpans, tokenize } from './analysis/analyzer.ts';
import { porterStem } from './analysis/porterStem.ts';
import { englishStopWords } from './analysis/stopWords.ts';
import { TermDictionary } from './analysis/termDictionary.ts';

describe('tokenizer', () => {
  it('stems like the Porter reference', () => {
    const vectors: Record<string, string> = {
      caresses: 'caress', ponies: 'poni', ties: 'ti', caress: 'caress', cats: 'cat', feed: 'feed', agreed: 'agre',
      plastered: 'plaster', bled: 'bled', motoring: 'motor', sing: 'sing', conflated: 'conflat', troubled: 'troubl',
      sized: 'size', hopping: 'hop', tanned: 'tan', falling: 'fall', hissing: 'hiss', fizzed: 'fizz', failing: 'fail',
      filing: 'file', happy: 'happi', sky: 'sky', relational: 'relat', conditional: 'condit', rational: 'ration',
      valenci: 'valenc', digitizer: 'digit', conformabli: 'conform', radicalli: 'radic', differentli: 'differ',
      vileli: 'vile', analogousli: 'analog', vietnamization: 'vietnam', predication: 'predic', operator: 'oper',
      feudalism: 'feudal', decisiveness: 'decis', hopefulness: 'hope', callousness: 'callous', formaliti: 'formal',
      sensitiviti: 'sensit', sensibiliti: 'sensibl', triplicate: 'triplic', formative: 'form', formalize: 'formal',
      electriciti: 'electr', electrical: 'electr', hopeful: 'hope', goodness: 'good', revival: 'reviv',
      allowance: 'allow', inference: 'infer', airliner: 'airlin', gyroscopic: 'gyroscop', adjustable: 'adjust',
      defensible: 'defens', irritant: 'irrit', replacement: 'replac', adjustment: 'adjust', dependent: 'depend',
      adoption: 'adopt', homologou: 'homolog', communism: 'commun', activate: 'activ', angulariti: 'angular',
      homologous: 'homolog', effective: 'effect', bowdlerize: 'bowdler', probate: 'probat', rate: 'rate',
      cease: 'ceas', controll: 'control', roll: 'roll', generalizations: 'gener', oscillators: 'oscil',
      yelling: 'yell', cooking: 'cook', waiters: 'waiter', running: 'run', is: 'is', by: 'by',
    };
    for (const [word, stem] of Object.entries(vectors)) expect(porterStem(word), word).toBe(stem);
  });

  it('splits at UAX #29 word boundaries, strips possessives, lowercases and drops stop words', () => {
    expect(tokenize("The Line-Cook's job: cooking & serving, 24/7 in Zürich!")).toEqual(['line', 'cook', 'job', 'cook', 'serv', '24', '7', 'zürich']);
    expect(tokenize('the and of to')).toEqual([]);
    expect(tokenize("it's")).toEqual([]);
    expect(englishStopWords.size).toBe(33);
  });

  it('the fast scanner and the dictionary agree with the ICU (Intl.Segmenter) analysis', () => {
    // No Han, kana, Thai or emoji: ICU segments those by dictionary or not as
    // words; analysis/analyzer.unit.spec.ts pins them with fixed vectors instead.
    const text = fc.string({
      unit: fc.constantFrom('a', 'B', 'é', 'İ', 'ß', 'Σ', '1', '0', ' ', '-', "'", '’', '.', ',', ';', ':', '_', 's', 'S', 'the', 'Cooking', "driver's", 'ΣΑΣ', '𝒳', '\u0301', '\u00ad', 'ing', 'y', '/'),
    });
    fc.assert(
      fc.property(fc.array(text, { maxLength: 5 }), (texts) => {
        const dict = new TermDictionary();
        for (const t of texts) {
          const expected = tokenizeSlow(t);
          expect(tokenize(t)).toEqual(expected);
          expect(dict.analyze(t, []).map((id) => dict.terms[id])).toEqual(expected);
          expect(tokenSpans(t).map((s) => s.term)).toEqual(expected);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('BM25 norms', () => {
  it('quantises field lengths as Lucene SmallFloat.intToByte4', () => {
    for (let i = 0; i < 24; i++) expect(normToLength(lengthToNorm(i))).toBe(i);
    expect(lengthToNorm(2147483647)).toBe(255);
    expect(normToLength(255)).toBe(2013265944);
    expect(lengthToNorm(24)).toBe(24);
    expect(normToLength(lengthToNorm(100))).toBe(96);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (n) => {
        const back = normToLength(lengthToNorm(n));
        expect(back).toBeLessThanOrEqual(n);
        expect(LENGTH_TABLE[lengthToNorm(n)]).toBe(back);
        if (lengthToNorm(n) < 255) expect(normToLength(lengthToNorm(n) + 1)).toBeGreaterThan(n);
      }),
    );
  });

  it('scores as boost × idf × tf / (tf + k1 (1 - b + b dl / avgdl))', () => {
    const idx = new TextIndex([{ name: 'a', boost: 2 }]);
    const ids = (text: string) => idx.analyze([[text]]);
    idx.add(0, ids('x y'));
    idx.add(1, ids('Y y, y z'));
    idx.add(2, ids('z'));
    const r = idx.search(['y']);
    expect(r.count).toBe(2);
    const avgdl = 7 / 3;
    const idf = bm25Idf(3, 2);
    const expected = (tf: number, dl: number) => (2 * idf * tf) / (tf + 1.2 * (1 - 0.75 + (0.75 * dl) / avgdl));
    const got = new Map(Array.from(r.slots.subarray(0, r.count), (s, i) => [s, r.scores[i]!]));
    expect(got.get(0)).toBeCloseTo(expected(1, 2), 12);
    expect(got.get(1)).toBeCloseTo(expected(3, 4), 12);
    expect(idx.scoreOf(1, ['y'])).toBe(got.get(1));
    expect(idx.search(['x', 'z']).count).toBe(0);
    idx.remove(1, ids('y y y z'));
    expect(idx.search(['y']).count).toBe(1);
    idx.add(1, ids('x'));
    expect(Array.from(idx.search(['x']).slots.subarray(0, 2)).sort()).toEqual([0, 1]);
  });

  it('finds exactly the slots holding every term in some field, ascending, each scored bit for bit as the single-slot scorer does, for any fields, documents and query', () => {
    const words = ['aa', 'bb', 'cc', 'dd', 'ee'];
    const terms = fc.array(fc.constantFrom(...words), { maxLength: 5 });
    // Every description holds "aa": its postings outgrow a rare term's candidates many times over (the searched path).
    const doc = fc.tuple(terms, terms, terms).map(([t, k, d]) => [t, k, [...d, 'aa']] as const);
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 150 }), fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 0, max: 149 }), { maxLength: 20 }), (docs, q, removed) => {
        const idx = new TextIndex([{ name: 'title', boost: 3 }, { name: 'skills', boost: 2 }, { name: 'description', boost: 1 }]);
        const analyzed = docs.map((d) => idx.analyze(d.map((f) => [f.join(' ')])));
        analyzed.forEach((ids, slot) => idx.add(slot, ids));
        const gone = new Set(removed.filter((s) => s < docs.length));
        for (const slot of gone) idx.remove(slot, analyzed[slot]!);
        const r = idx.search(q);
        const got = Array.from(r.slots.subarray(0, r.count));
        const expected = docs.flatMap((d, slot) => (!gone.has(slot) && q.every((w) => d.some((f) => f.includes(w))) ? [slot] : []));
        expect(got).toEqual(expected);
        got.forEach((slot, i) => expect(r.scores[i]).toBe(idx.scoreOf(slot, q)));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps postings equal to a rebuild after random rewrites', () => {
    const vocab = ['pp', 'qq', 'rr', 'ss'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.array(fc.constantFrom(...vocab), { maxLength: 6 })), { maxLength: 80 }), fc.constantFrom(...vocab), (writes, q) => {
        const live = new TextIndex([{ name: 'f', boost: 1 }]);
        const current = new Map<number, string[]>();
        for (const [slot, terms] of writes) {
          const old = current.get(slot);
          if (old) live.remove(slot, live.analyze([old]));
          live.add(slot, live.analyze([terms]));
          current.set(slot, terms);
        }
        const fresh = new TextIndex([{ name: 'f', boost: 1 }]);
        for (const slot of [...current.keys()].sort((x, y) => x - y)) fresh.add(slot, fresh.analyze([current.get(slot)!]));
        const a = live.search([q]);
        const b = fresh.search([q]);
        const asMap = (r: typeof a) => new Map(Array.from(r.slots.subarray(0, r.count), (s, i) => [s, r.scores[i]]));
        expect(asMap(a)).toEqual(asMap(b));
      }),
    );
  });
});

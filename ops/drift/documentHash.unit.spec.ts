import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { docsArb } from '../../tests/support/jobFixtures.ts';
import { canonicalJson, documentHash } from './documentHash.ts';

/** The same value with every object's keys in another order. */
function shuffled(value: unknown, rand: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffled(v, rand));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([k, v]) => [k, shuffled(v, rand)] as const);
  entries.sort(() => rand() - 0.5);
  return Object.fromEntries(entries);
}

describe('document hash', () => {
  it('is the same for the same content whatever the key order or undefined members, as after a JSON round trip', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
        const text = canonicalJson(value);
        expect(canonicalJson(shuffled(value, rand))).toBe(text);
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(text);
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) expect(canonicalJson({ ...value, absent: undefined })).toBe(text);
      }),
    );
  });

  it('ignores the position and changes with any other field the projection writes', () => {
    fc.assert(
      fc.property(docsArb(1, 1), fc.integer({ min: 1 }), fc.string({ minLength: 1 }), (docs, position, text) => {
        const doc = docs[0]!;
        expect(documentHash({ ...doc, position })).toBe(documentHash(doc));
        expect(documentHash(JSON.parse(JSON.stringify(doc)) as typeof doc)).toBe(documentHash(doc));
        expect(documentHash({ ...doc, title: doc.title + text })).not.toBe(documentHash(doc));
        expect(documentHash({ ...doc, views: doc.views + 1 })).not.toBe(documentHash(doc));
        expect(documentHash({ ...doc, skills: [...doc.skills, text] })).not.toBe(documentHash(doc));
        expect(documentHash({ ...doc, location: { lat: (doc.location?.lat ?? 0) + 1e-7, lon: doc.location?.lon ?? 0 } })).not.toBe(documentHash(doc));
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { PERCOLATED_FIELDS, percolatedDocument, percolatorQueryOf, savedQueryCircle } from './savedSearchQuery.ts';

/** Every field name a query clause reads, walking the DSL. */
function fieldsOf(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) fieldsOf(n, out);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (['term', 'terms', 'range', 'geo_bounding_box', 'geo_distance'].includes(key)) {
        for (const f of Object.keys(value as object)) if (!['distance', 'distance_type'].includes(f)) out.add(f);
      } else if (key === 'exists') out.add((value as { field: string }).field);
      else if (key === 'multi_match') for (const f of (value as { fields: string[] }).fields) out.add(f.replace(/\^.*$/, ''));
      else fieldsOf(value, out);
    }
  }
  return out;
}

const everything = {
  text: 'barista',
  category: ['hospitality'],
  employmentType: ['seasonal'],
  payMin: 10,
  payMax: 30,
  availableFrom: '2027-01-01',
  availableTo: '2027-02-01',
  skills: ['latte art'],
  skillsMode: 'all',
  remote: false,
  businessId: 'b1',
  near: { lat: 10, lon: 20, radiusKm: 5 },
  bbox: { minLat: 0, minLon: 0, maxLat: 20, maxLon: 30 },
};

describe('the stored query of a saved search', () => {
  it('reads only fields that the percolated document keeps', () => {
    const read = [...fieldsOf(percolatorQueryOf(everything))].map((f) => f.replace(/\.text$/, ''));
    expect(read.length).toBeGreaterThan(8);
    for (const f of read) expect(PERCOLATED_FIELDS).toContain(f);
  });

  it('leaves the circle out of the stored query and gives it back for the check after percolation', () => {
    const stored = JSON.stringify(percolatorQueryOf(everything));
    expect(stored).not.toContain('geo_distance');
    expect(stored).toContain('geo_bounding_box');
    expect(savedQueryCircle(everything)).toEqual({ lat: 10, lon: 20, radiusKm: 5 });
    expect(savedQueryCircle({ text: 'x' })).toBeUndefined();
  });

  it('percolates a job as the fields stored queries read, nothing else', () => {
    const doc = percolatedDocument({ title: 'Barista', location: { lat: 1, lon: 2 }, remote: false, ...({ views: 3, status: 'open' } as object) });
    expect(doc).toEqual({ title: 'Barista', location: { lat: 1, lon: 2 }, remote: false });
  });
});

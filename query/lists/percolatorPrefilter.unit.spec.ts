import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haversineKm, quantize } from '../model/geo.ts';
import { ANY, needsAnalyzedTerms, percolatorPrefilterClause, pointCells, prefilterFieldsOf } from './percolatorPrefilter.ts';

const wrapLon = (lon: number): number => ((((lon + 180) % 360) + 360) % 360) - 180;
const latArb = fc.oneof(fc.constantFrom(90, -90, 89.999, -89.999, 85, 0), fc.double({ min: -90, max: 90, noNaN: true }));
const lonArb = fc.oneof(fc.constantFrom(180, -180, 179.9999, -179.9999, 0), fc.double({ min: -180, max: 180, noNaN: true }));
const cellsOf = (query: Record<string, unknown>): Set<string> => new Set(prefilterFieldsOf(query)?.pf_cells as string[]);
const meets = (cells: Set<string>, lat: number, lon: number): boolean => cells.has(ANY) || pointCells(lat, lon).some((c) => cells.has(c));

describe('percolator prefilter fields', () => {
  it('files a circle under cells holding every point within its radius (antimeridian, poles, any radius)', () => {
    fc.assert(
      fc.property(
        latArb,
        lonArb,
        fc.oneof(fc.constantFrom(0.5, 10, 25, 300, 3000, 12_000, 20_000), fc.double({ min: 0.01, max: 20_000, noNaN: true })),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 2 * Math.PI, noNaN: true })), { minLength: 20, maxLength: 20 }),
        (lat, lon, radiusKm, offsets) => {
          const cells = cellsOf({ near: { lat, lon, radiusKm } });
          expect(cells.size).toBeLessThanOrEqual(16);
          for (const [d, a] of offsets) {
            const reach = (radiusKm * (0.95 + 0.05 * d)) / 111.2;
            const pLat = lat + reach * Math.cos(a);
            if (pLat > 90 || pLat < -90) continue;
            const pLon = wrapLon(lon + (reach * Math.sin(a)) / Math.max(1e-3, Math.cos((lat * Math.PI) / 180)));
            const q = quantize(pLat, pLon);
            if (haversineKm(lat, lon, q.lat, q.lon) > radiusKm) continue;
            expect(meets(cells, pLat, pLon)).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('files a box under cells holding all of it, across the antimeridian and up to the poles', () => {
    fc.assert(
      fc.property(latArb, latArb, lonArb, lonArb, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 20, maxLength: 20 }), (a, b, minLon, maxLon, at) => {
        const [minLat, maxLat] = a <= b ? [a, b] : [b, a];
        const cells = cellsOf({ bbox: { minLat, minLon, maxLat, maxLon } });
        const span = minLon > maxLon ? 360 - (minLon - maxLon) : maxLon - minLon;
        for (const [u, v] of [[0, 0], [1, 1], [0, 1], [1, 0], ...at] as Array<[number, number]>) {
          const lon = minLon + u * span;
          expect(meets(cells, Math.min(maxLat, minLat + v * (maxLat - minLat)), lon > 180 ? lon - 360 : lon)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps categories, employment types and business, ANY when absent; nothing for an invalid query', () => {
    expect(prefilterFieldsOf({ category: ['hospitality', 'hospitality'], businessId: 'b1', text: 'barista' })).toEqual({
      pf_cells: [ANY],
      pf_category: ['hospitality'],
      pf_employmentType: [ANY],
      pf_business: ['b1'],
      pf_text: 'barista',
      pf_textless: false,
    });
    expect(prefilterFieldsOf({ colour: 'blue' })).toBeUndefined();
    expect(prefilterFieldsOf({})).toMatchObject({ pf_textless: true });
    expect(prefilterFieldsOf({})).not.toHaveProperty('pf_text');
  });

  it('analyzes a job text too long for one match clause first', () => {
    expect(needsAnalyzedTerms({ title: 'Barista', description: 'Pull shots.' })).toBe(false);
    expect(needsAnalyzedTerms({ title: 'Barista', description: 'x '.repeat(1000) })).toBe(true);
  });

  it('looks a job without a location up by ANY cells only', () => {
    const clause = JSON.stringify(percolatorPrefilterClause({ category: 'hospitality', employmentType: 'seasonal', businessId: 'b1' }));
    expect(clause).toContain('{"terms":{"pf_cells":["*"]}}');
    expect(clause).toContain('{"terms":{"pf_category":["hospitality","*"]}}');
  });
});

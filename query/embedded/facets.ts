// Facet counts of a search's matches: categories, employment types and pay bands.

import { categories, employmentTypes } from '../../eventstore/events/index.ts';
import type { FacetBucket, PayBand, SearchResult } from '../model/readStore.ts';
import type { Matches } from './collectMatches.ts';
import type { Columns } from './columns.ts';
import { PAY_BANDS, payBandIndex } from '../model/payBands.ts';

export function facetsOf(cols: Columns, m: Matches): NonNullable<SearchResult['facets']> {
  const cat = new Int32Array(32);
  const typ = new Int32Array(32);
  const bands = new Int32Array(PAY_BANDS.length);
  const { category, etype, hourlyMax } = cols;
  for (let i = 0; i < m.count; i++) {
    const s = m.slots[i]!;
    cat[category[s]! & 31]!++;
    typ[etype[s]! & 31]!++;
    bands[payBandIndex(hourlyMax[s]!)]!++;
  }
  const buckets = (names: readonly string[], counts: Int32Array): FacetBucket[] =>
    names
      .map((key, i) => ({ key, count: counts[i] ?? 0 }))
      .filter((b) => b.count > 0)
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    category: buckets(categories, cat),
    employmentType: buckets(employmentTypes, typ),
    payBands: PAY_BANDS.map((b, i): PayBand => ({ ...b, count: bands[i] ?? 0 })),
  };
}

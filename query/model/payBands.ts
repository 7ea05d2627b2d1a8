/** Hourly pay bands of the facets, by hourlyMax: [from, to). All six are always reported, in this order. */
export const PAY_BANDS: ReadonlyArray<{ key: string; from?: number; to?: number }> = [
  { key: 'lt10', to: 10 },
  { key: '10-15', from: 10, to: 15 },
  { key: '15-20', from: 15, to: 20 },
  { key: '20-25', from: 20, to: 25 },
  { key: '25-35', from: 25, to: 35 },
  { key: 'gte35', from: 35 },
];

/** The band of PAY_BANDS an hourlyMax falls in (unrolled: the embedded facet loop calls it per job). */
export function payBandIndex(hourlyMax: number): number {
  if (hourlyMax < 10) return 0;
  if (hourlyMax < 15) return 1;
  if (hourlyMax < 20) return 2;
  if (hourlyMax < 25) return 3;
  if (hourlyMax < 35) return 4;
  return 5;
}

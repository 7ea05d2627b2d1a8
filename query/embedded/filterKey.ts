const PUBLISHED_SPAN = 2 ** 40;
/**
 * The byCategory order: category code, then newest first (seconds, clamped;
 * never published last). Below 2^45 like a geohash key, so the geo index's
 * radix sort orders it.
 */
export function filterKey(categoryCode: number, publishedMs: number): number {
  const seconds = Number.isFinite(publishedMs) ? Math.min(PUBLISHED_SPAN - 1, Math.max(0, Math.floor(publishedMs / 1000))) : publishedMs > 0 ? PUBLISHED_SPAN - 1 : 0;
  // Codes beyond 31 (a category this build does not know) share the last run.
  return Math.min(31, categoryCode) * PUBLISHED_SPAN + (PUBLISHED_SPAN - 1 - seconds);
}

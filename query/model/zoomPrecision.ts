/**
 * Map zoom (0..20, web-map tiles) to geohash precision: the one table both
 * stores use. A geohash character adds 5 bits (about 2.5 zoom levels), and a
 * cell should be roughly a quarter to an eighth of a 256 px tile, so
 * precision = round(2 * (zoom + 3) / 5), at least 1.
 */
export const zoomToGeohashPrecision: readonly number[] = [1, 2, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6, 7, 7, 8, 8, 8, 9, 9];

export function geohashPrecisionFor(zoom: number): number {
  const p = zoomToGeohashPrecision[Math.max(0, Math.min(20, Math.trunc(zoom)))];
  if (p === undefined) throw new RangeError(`zoom ${zoom} out of range`);
  return p;
}

/** A viewport holding at most this many jobs also gets the individual points. */
export const mapPointsThreshold = 200;

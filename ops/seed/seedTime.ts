export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** Whole seconds: tidier timestamps. */
export const sec = (ms: number): number => Math.floor(ms / 1000) * 1000;
export const dayStart = (ms: number): number => Math.floor(ms / DAY) * DAY;

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const longDate = (ms: number): string => {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${monthNames[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`;
};

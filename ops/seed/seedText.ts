export const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export const capitalize = (s: string): string => (s ? s.charAt(0).toUpperCase() + s.slice(1) : s);

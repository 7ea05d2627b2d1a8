// Title suggestions: the distinct titles of open jobs, kept counted by every
// write, matched on a word prefix.

/** Distinct titles with their lowercase form and how many open jobs carry them. */
export type TitleCounts = Map<string, { lower: string; open: number }>;

export function countTitle(titleCounts: TitleCounts, title: string, delta: number): void {
  let e = titleCounts.get(title);
  if (!e) titleCounts.set(title, (e = { lower: title.toLowerCase(), open: 0 }));
  e.open += delta;
  if (e.open <= 0) titleCounts.delete(title);
}

/** Titles with a word starting with `prefix`, most open jobs first (ties: title). */
export function suggestTitles(titleCounts: TitleCounts, prefix: string, size: number): string[] {
  const p = prefix.trim().toLowerCase();
  if (p.length === 0 || size <= 0) return [];
  const found: Array<{ title: string; open: number }> = [];
  const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
  for (const [title, e] of titleCounts) {
    for (let at = e.lower.indexOf(p); at !== -1; at = e.lower.indexOf(p, at + 1)) {
      if (at === 0 || !isWordChar(e.lower[at - 1])) {
        found.push({ title, open: e.open });
        break;
      }
    }
  }
  found.sort((a, b) => b.open - a.open || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0));
  return found.slice(0, size).map((f) => f.title);
}

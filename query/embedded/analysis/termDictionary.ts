import { normalizeToken, termOfWord } from './tokenFilters.ts';
import { Scanner } from './wordBreaker.ts';

/**
 * Analysis straight to dense term ids, for indexing: each distinct token is
 * looked up once (normalize, stop word, stem, id) and remembered, so indexing
 * costs a scan and one map lookup per token.
 */
export class TermDictionary {
  /** Term (stem) of each id. */
  readonly terms: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Token as written → term id, -1 for a stop word (a memo; may be cleared). */
  private readonly words = new Map<string, number>();
  private readonly scanner = new Scanner();

  /** Replaces the dictionary by terms whose ids are their indexes (a persisted dictionary). */
  restore(terms: readonly string[]): void {
    this.terms.length = 0;
    this.ids.clear();
    this.words.clear();
    for (const t of terms) this.intern(t);
    if (this.terms.length !== terms.length) throw new Error('term dictionary holds duplicates');
  }

  /** The id of a term, when known. */
  idOf(term: string): number | undefined {
    return this.ids.get(term);
  }

  private intern(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
    }
    return id;
  }

  private wordId(token: string): number {
    let id = this.words.get(token);
    if (id === undefined) {
      const term = termOfWord(normalizeToken(token));
      id = term === '' ? -1 : this.intern(term);
      if (this.words.size >= 500_000) this.words.clear();
      this.words.set(token, id);
    }
    return id;
  }

  /** Appends the term ids of a text to `out` (same analysis as tokenize). */
  analyze(text: string, out: number[]): number[] {
    const s = this.scanner.reset(text);
    while (s.next()) {
      const id = this.wordId(text.slice(s.start, s.end));
      if (id >= 0) out.push(id);
    }
    return out;
  }
}

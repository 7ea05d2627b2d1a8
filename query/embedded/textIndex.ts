// Inverted index with BM25 scoring (bm25.ts), per field. Postings are sorted
// Int32Arrays of slots with their term frequencies, kept sorted on every write
// (append for a new slot, a binary-search splice for a rewritten one).

import { TermDictionary } from './analysis/termDictionary.ts';
import { bm25Idf, lengthToNorm, tfDenominators } from './bm25.ts';

// ---- postings -------------------------------------------------------------------
class Postings {
  ids = new Int32Array(4);
  tfs = new Uint16Array(4);
  len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.ids.length) return;
    // Grow by a quarter (amortised O(1) still): doubling left a third of the postings' bytes unused at 1M jobs.
    const cap = Math.max(this.ids.length + (this.ids.length >>> 2) + 4, this.len + extra);
    const ids = new Int32Array(cap);
    ids.set(this.ids.subarray(0, this.len));
    const tfs = new Uint16Array(cap);
    tfs.set(this.tfs.subarray(0, this.len));
    this.ids = ids;
    this.tfs = tfs;
  }

  /** Drops the unused capacity. */
  trim(): void {
    if (this.ids.length === this.len) return;
    this.ids = this.ids.slice(0, this.len);
    this.tfs = this.tfs.slice(0, this.len);
  }

  get bytes(): number {
    return this.ids.byteLength + this.tfs.byteLength;
  }

  /** First index whose slot >= slot. */
  lowerBound(slot: number): number {
    let lo = 0;
    let hi = this.len;
    const ids = this.ids;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ids[mid] ?? 0) < slot) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** One more occurrence of a term in `slot`, which is ≥ every slot held. */
  countAppend(slot: number): void {
    const last = this.len - 1;
    if (last >= 0 && this.ids[last] === slot) {
      if (this.tfs[last]! < 65535) this.tfs[last]!++;
      return;
    }
    this.ensure(1);
    this.ids[this.len] = slot;
    this.tfs[this.len] = 1;
    this.len++;
  }

  insert(slot: number, tf: number): void {
    this.ensure(1);
    const tfc = Math.min(tf, 65535);
    if (this.len === 0 || (this.ids[this.len - 1] ?? -1) < slot) {
      this.ids[this.len] = slot;
      this.tfs[this.len] = tfc;
      this.len++;
      return;
    }
    const at = this.lowerBound(slot);
    if (at < this.len && this.ids[at] === slot) {
      this.tfs[at] = tfc;
      return;
    }
    this.ids.copyWithin(at + 1, at, this.len);
    this.tfs.copyWithin(at + 1, at, this.len);
    this.ids[at] = slot;
    this.tfs[at] = tfc;
    this.len++;
  }

  remove(slot: number): void {
    const at = this.lowerBound(slot);
    if (at >= this.len || this.ids[at] !== slot) return;
    this.ids.copyWithin(at, at + 1, this.len);
    this.tfs.copyWithin(at, at + 1, this.len);
    this.len--;
  }

  /** Term frequency of slot, 0 when absent. */
  tfOf(slot: number): number {
    const at = this.lowerBound(slot);
    return at < this.len && this.ids[at] === slot ? (this.tfs[at] ?? 0) : 0;
  }
}

export interface FieldSpec {
  name: string;
  boost: number;
}

/** One field of a TextIndex as segments hold it (TextIndex.restore). */
export interface RestoredField {
  norms: Uint8Array;
  docCount: number;
  sumLength: number;
  /** Term ids with postings, ascending. */
  terms: Int32Array;
  /** terms.length + 1 boundaries into ids/tfs. */
  offsets: Float64Array;
  ids: Int32Array<ArrayBuffer>;
  tfs: Uint16Array<ArrayBuffer>;
}

export interface TextMatches {
  /** Matching slots (unsorted) and their scores, valid up to `count`, until the next search. */
  slots: Int32Array;
  scores: Float64Array;
  count: number;
}

function termCounts<T>(terms: ArrayLike<T>): Map<T, number> {
  const m = new Map<T, number>();
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    m.set(t, (m.get(t) ?? 0) + 1);
  }
  return m;
}

export class TextIndex {
  readonly fields: readonly FieldSpec[];
  /** Terms ↔ ids; the analyzer of indexed text. */
  readonly dictionary = new TermDictionary();
  /** Per field, postings by term id. */
  private readonly postings: Array<Array<Postings | undefined>>;
  private norms: Uint8Array[];
  private readonly docCount: number[];
  private readonly sumLength: number[];
  private cap = 0;
  private maxSlot = -1;
  // scratch for searches
  private epoch = new Int32Array(0);
  private matched = new Uint16Array(0);
  private acc = new Float64Array(0);
  private outSlots = new Int32Array(0);
  private outScores = new Float64Array(0);
  private searchEpoch = 0;

  constructor(fields: readonly FieldSpec[]) {
    this.fields = fields;
    this.postings = fields.map((): Array<Postings | undefined> => []);
    this.norms = fields.map(() => new Uint8Array(0));
    this.docCount = fields.map(() => 0);
    this.sumLength = fields.map(() => 0);
  }

  private ensureSlot(slot: number): void {
    if (slot < this.cap) return;
    const cap = Math.max(1024, this.cap * 2, slot + 1);
    this.norms = this.norms.map((old) => {
      const a = new Uint8Array(cap);
      a.set(old);
      return a;
    });
    const epoch = new Int32Array(cap);
    epoch.set(this.epoch);
    this.epoch = epoch;
    this.matched = new Uint16Array(cap);
    this.acc = new Float64Array(cap);
    this.outSlots = new Int32Array(cap);
    this.outScores = new Float64Array(cap);
    this.cap = cap;
  }

  /** Term ids of a document's fields (in field order) from their texts (a field may hold several texts). */
  analyze(fieldTexts: ReadonlyArray<readonly string[]>): number[][] {
    return fieldTexts.map((texts) => {
      const out: number[] = [];
      for (const t of texts) this.dictionary.analyze(t, out);
      return out;
    });
  }

  /** Indexes a slot's analyzed fields (one term-id list per field, in field order). */
  add(slot: number, fieldTerms: ReadonlyArray<ArrayLike<number>>): void {
    this.ensureSlot(slot);
    // Slots past every indexed one (all of them while loading) append to postings
    // and count term frequencies in place; others take the sorted-insert path.
    const appending = slot > this.maxSlot;
    if (appending) this.maxSlot = slot;
    for (let f = 0; f < this.fields.length; f++) {
      const terms = fieldTerms[f] ?? [];
      const norms = this.norms[f]!;
      const dict = this.postings[f]!;
      norms[slot] = lengthToNorm(terms.length);
      if (terms.length === 0) continue;
      this.docCount[f]! += 1;
      this.sumLength[f]! += terms.length;
      if (appending) {
        for (let i = 0; i < terms.length; i++) {
          const term = terms[i]!;
          let p = dict[term];
          if (!p) dict[term] = p = new Postings();
          p.countAppend(slot);
        }
      } else {
        for (const [term, tf] of termCounts(terms)) {
          let p = dict[term];
          if (!p) dict[term] = p = new Postings();
          p.insert(slot, tf);
        }
      }
    }
  }

  /** Removes what `add` added for the same slot and terms. */
  remove(slot: number, fieldTerms: ReadonlyArray<ArrayLike<number>>): void {
    this.fields.forEach((_, f) => {
      const terms = fieldTerms[f] ?? [];
      const dict = this.postings[f];
      const norms = this.norms[f];
      if (!dict || !norms) return;
      norms[slot] = 0;
      if (terms.length === 0) return;
      this.docCount[f] = (this.docCount[f] ?? 0) - 1;
      this.sumLength[f] = (this.sumLength[f] ?? 0) - terms.length;
      for (const term of termCounts(terms).keys()) {
        const p = dict[term];
        if (!p) continue;
        p.remove(slot);
        if (p.len === 0) dict[term] = undefined;
      }
    });
  }

  /** Per-field weights of one term: boost × idf, with the norm → tf-denominator table. */
  private fieldWeights(term: string): Array<{ p: Postings; weight: number; cache: Float64Array; norms: Uint8Array }> {
    const out: Array<{ p: Postings; weight: number; cache: Float64Array; norms: Uint8Array }> = [];
    const id = this.dictionary.idOf(term);
    if (id === undefined) return out;
    this.fields.forEach((spec, f) => {
      const p = this.postings[f]?.[id];
      const norms = this.norms[f];
      if (!p || p.len === 0 || !norms) return;
      const n = this.docCount[f] ?? 0;
      const avgdl = (this.sumLength[f] ?? 0) / n;
      const cache = tfDenominators(avgdl);
      out.push({ p, weight: spec.boost * bm25Idf(n, p.len), cache, norms });
    });
    return out;
  }

  /** Document frequency summed over fields (an upper bound of the slots holding the term). */
  docFreq(term: string): number {
    const id = this.dictionary.idOf(term);
    if (id === undefined) return 0;
    let df = 0;
    for (const dict of this.postings) df += dict[id]?.len ?? 0;
    return df;
  }

  /**
   * Slots holding every query term in at least one field, with
   * score = Σ terms Σ fields boost × idf × tf / (tf + k1 (1 - b + b dl / avgdl)).
   * A term repeated in the query counts as many times as it is repeated.
   */
  search(queryTerms: readonly string[]): TextMatches {
    const counts = termCounts(queryTerms);
    const terms = [...counts.keys()].map((t) => ({ t, mult: counts.get(t) ?? 1, df: this.docFreq(t) }));
    const empty: TextMatches = { slots: this.outSlots, scores: this.outScores, count: 0 };
    if (terms.length === 0 || terms.some((t) => t.df === 0)) return empty;
    terms.sort((a, b) => a.df - b.df || (a.t < b.t ? -1 : 1));
    this.searchEpoch = (this.searchEpoch + 1) | 0;
    if (this.searchEpoch === 0) {
      this.epoch.fill(0);
      this.searchEpoch = 1;
    }
    const ep = this.searchEpoch;
    const epoch = this.epoch;
    const matched = this.matched;
    const acc = this.acc;
    const list = this.outSlots;
    let listLen = 0;
    for (let ti = 0; ti < terms.length; ti++) {
      const { t, mult } = terms[ti]!;
      const fws = this.fieldWeights(t);
      for (let fi = 0; fi < fws.length; fi++) {
        const { p, weight, cache, norms } = fws[fi]!;
        const w = weight * mult;
        const ids = p.ids;
        const tfs = p.tfs;
        const len = p.len;
        if (ti === 0) {
          for (let i = 0; i < len; i++) {
            const s = ids[i]!;
            const tf = tfs[i]!;
            const contrib = (w * tf) / (tf + cache[norms[s]!]!);
            if (epoch[s] !== ep) {
              epoch[s] = ep;
              matched[s] = 1;
              acc[s] = contrib;
              list[listLen++] = s;
            } else acc[s]! += contrib;
          }
        } else if (listLen * 24 < len) {
          // Few candidates left: look each up in the postings instead of walking them.
          for (let k = 0; k < listLen; k++) {
            const s = list[k]!;
            const m = matched[s]!;
            if (m !== ti && m !== ti + 1) continue;
            const tf = p.tfOf(s);
            if (tf === 0) continue;
            matched[s] = ti + 1;
            acc[s]! += (w * tf) / (tf + cache[norms[s]!]!);
          }
        } else {
          for (let i = 0; i < len; i++) {
            const s = ids[i]!;
            if (epoch[s] !== ep) continue;
            const m = matched[s]!;
            if (m !== ti && m !== ti + 1) continue;
            const tf = tfs[i]!;
            matched[s] = ti + 1;
            acc[s]! += (w * tf) / (tf + cache[norms[s]!]!);
          }
        }
      }
      if (ti > 0 && listLen > 64) {
        // Drop candidates that missed this term, so later terms look at fewer.
        let kept = 0;
        for (let k = 0; k < listLen; k++) {
          const s = list[k]!;
          if (matched[s] === ti + 1) list[kept++] = s;
        }
        listLen = kept;
      }
    }
    const need = terms.length;
    let count = 0;
    const scores = this.outScores;
    for (let i = 0; i < listLen; i++) {
      const s = list[i] ?? 0;
      if (matched[s] === need) {
        list[count] = s;
        scores[count] = acc[s] ?? 0;
        count++;
      }
    }
    return { slots: list, scores, count };
  }

  /**
   * A scorer of single slots for a query, for when a few candidates come from
   * elsewhere (a small radius): per slot, a binary search per term and field.
   * Terms and fields are summed in the order `search` sums them, so a slot
   * scores bit for bit the same either way. `cost` is the postings `search`
   * would walk; the scorer returns NaN for a slot lacking a term.
   */
  prepare(queryTerms: readonly string[]): { cost: number; score: (slot: number) => number } {
    const counts = termCounts(queryTerms);
    const terms = [...counts.keys()].map((t) => ({ t, mult: counts.get(t) ?? 1, df: this.docFreq(t) }));
    if (terms.length === 0 || terms.some((t) => t.df === 0)) return { cost: 0, score: () => NaN };
    terms.sort((a, b) => a.df - b.df || (a.t < b.t ? -1 : 1));
    const prepared = terms.map(({ t, mult }) => this.fieldWeights(t).map((fw) => ({ ...fw, w: fw.weight * mult })));
    const cost = terms.reduce((sum, t) => sum + t.df, 0);
    const score = (slot: number): number => {
      let total = 0;
      let first = true;
      for (const fields of prepared) {
        let any = false;
        for (const { p, w, cache, norms } of fields) {
          const tf = p.tfOf(slot);
          if (tf === 0) continue;
          any = true;
          const contrib = (w * tf) / (tf + cache[norms[slot]!]!);
          total = first ? contrib : total + contrib;
          first = false;
        }
        if (!any) return NaN;
      }
      return total;
    };
    return { cost, score };
  }

  /** The score of one slot for the query, or NaN when it lacks a term. */
  scoreOf(slot: number, queryTerms: readonly string[]): number {
    return this.prepare(queryTerms).score(slot);
  }

  /** A field's postings in ascending term order, as views (valid until the next write): what segments persist. */
  *postingsOf(field: number): Generator<{ term: number; ids: Int32Array; tfs: Uint16Array }> {
    const dict = this.postings[field] ?? [];
    for (let term = 0; term < dict.length; term++) {
      const p = dict[term];
      if (p && p.len > 0) yield { term, ids: p.ids.subarray(0, p.len), tfs: p.tfs.subarray(0, p.len) };
    }
  }

  /** A field's norms of slots 0..size-1 (a view). */
  normsOf(field: number, size: number): Uint8Array {
    return (this.norms[field] ?? new Uint8Array(0)).subarray(0, size);
  }

  /**
   * Takes over persisted postings (an empty index, dictionary restored first):
   * per field, term k's slots and frequencies are ids/tfs[offsets[k], offsets[k+1]).
   * The postings stay views of the caller's arrays (no copy); a write that
   * grows one copies it out, as it would grow any.
   */
  restore(size: number, fields: ReadonlyArray<RestoredField>): void {
    this.ensureSlot(size - 1);
    this.maxSlot = size - 1;
    fields.forEach((r, f) => {
      this.norms[f]!.set(r.norms);
      this.docCount[f] = r.docCount;
      this.sumLength[f] = r.sumLength;
      const dict = this.postings[f]!;
      for (let k = 0; k < r.terms.length; k++) {
        const p = new Postings();
        p.ids = r.ids.subarray(r.offsets[k], r.offsets[k + 1]);
        p.tfs = r.tfs.subarray(r.offsets[k], r.offsets[k + 1]);
        p.len = p.ids.length;
        dict[r.terms[k]!] = p;
      }
    });
  }

  /** Drops the postings' unused capacity (after a bulk load: later writes grow them again by a quarter). */
  trim(): void {
    for (const dict of this.postings) for (const p of dict) p?.trim();
  }

  /** Bytes held by the postings and the per-slot arrays. */
  bytes(): number {
    let n = this.epoch.byteLength + this.matched.byteLength + this.acc.byteLength + this.outSlots.byteLength + this.outScores.byteLength;
    for (const a of this.norms) n += a.byteLength;
    for (const dict of this.postings) for (const p of dict) n += p?.bytes ?? 0;
    return n;
  }

  stats(field: number): { docCount: number; sumLength: number; terms: number } {
    let terms = 0;
    for (const p of this.postings[field] ?? []) if (p && p.len > 0) terms++;
    return { docCount: this.docCount[field] ?? 0, sumLength: this.sumLength[field] ?? 0, terms };
  }
}

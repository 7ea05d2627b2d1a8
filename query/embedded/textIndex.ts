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
    return this.lowerBoundFrom(slot, 0);
  }

  /** First index at or after `from` whose slot >= slot. */
  lowerBoundFrom(slot: number, from: number): number {
    let lo = from;
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
  // scratch for searches, and the query the output holds (undefined after a write)
  private lastQuery: string | undefined;
  private lastCount = 0;
  private readonly denominators: Array<{ avgdl: number; cache: Float64Array } | undefined> = [];
  private hits = new Uint8Array(0);
  private outSlots = new Int32Array(0);
  private outScores = new Float64Array(0);
  private spareSlots = new Int32Array(0);
  private spareScores = new Float64Array(0);

  constructor(fields: readonly FieldSpec[]) {
    this.fields = fields;
    this.postings = fields.map((): Array<Postings | undefined> => []);
    this.norms = fields.map(() => new Uint8Array(0));
    this.docCount = fields.map(() => 0);
    this.sumLength = fields.map(() => 0);
  }

  private ensureSlot(slot: number): void {
    if (slot < this.cap) return;
    const cap = Math.max(1024, this.cap + (this.cap >>> 2), slot + 1);
    this.norms = this.norms.map((old) => {
      const a = new Uint8Array(cap);
      a.set(old);
      return a;
    });
    this.hits = new Uint8Array(cap);
    this.outSlots = new Int32Array(cap);
    this.outScores = new Float64Array(cap);
    this.spareSlots = new Int32Array(cap);
    this.spareScores = new Float64Array(cap);
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
    this.lastQuery = undefined;
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
    this.lastQuery = undefined;
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
      // Made again only when the field's average length moved (a write): not per search.
      let d = this.denominators[f];
      if (d?.avgdl !== avgdl) this.denominators[f] = d = { avgdl, cache: tfDenominators(avgdl) };
      const cache = d.cache;
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
   * Slots holding every query term in at least one field, ascending, with
   * score = Σ terms Σ fields boost × idf × tf / (tf + k1 (1 - b + b dl / avgdl)).
   * A term repeated in the query counts as many times as it is repeated.
   * The rarest term's fields are merged in slot order, then each further
   * term's postings are walked beside the candidates (or searched, when far
   * longer): sequential reads only, where a per-slot accumulator would touch
   * arrays as long as the store. Contributions are added term by term, field
   * by field, so the sums are those of any other order of visiting slots.
   */
  search(queryTerms: readonly string[]): TextMatches {
    // The same query again with no write between (a search's facets ask for its text once more): the output still holds it.
    const key = queryTerms.join('\u0000');
    if (key === this.lastQuery) return { slots: this.outSlots, scores: this.outScores, count: this.lastCount };
    this.lastQuery = undefined;
    const count = this.searchAnew(queryTerms);
    this.lastQuery = key;
    this.lastCount = count;
    return { slots: this.outSlots, scores: this.outScores, count };
  }

  private searchAnew(queryTerms: readonly string[]): number {
    const counts = termCounts(queryTerms);
    const terms = [...counts.keys()].map((t) => ({ t, mult: counts.get(t) ?? 1, df: this.docFreq(t) }));
    if (terms.length === 0 || terms.some((t) => t.df === 0)) return 0;
    terms.sort((a, b) => a.df - b.df || (a.t < b.t ? -1 : 1));
    const first = terms[0]!;
    let count = this.unionInto(this.fieldWeights(first.t), first.mult);
    for (let ti = 1; ti < terms.length && count > 0; ti++) {
      const { t, mult } = terms[ti]!;
      count = this.intersectInto(count, this.fieldWeights(t), mult);
    }
    return count;
  }

  /**
   * The union of one term's fields into the output, in slot order; returns its
   * size. Field by field, each merged into the union so far (ping-ponging
   * between two buffers), so a slot's contributions add in field order.
   */
  private unionInto(fws: ReturnType<TextIndex['fieldWeights']>, mult: number): number {
    let aS = this.outSlots;
    let aSc = this.outScores;
    let bS = this.spareSlots;
    let bSc = this.spareScores;
    // Start in the buffer that makes the last merge land in the output.
    if (fws.length % 2 === 0) [aS, aSc, bS, bSc] = [bS, bSc, aS, aSc];
    let an = 0;
    for (let f = 0; f < fws.length; f++) {
      const { p, weight, cache, norms } = fws[f]!;
      const w = weight * mult;
      const ids = p.ids;
      const tfs = p.tfs;
      const len = p.len;
      if (f === 0) {
        for (let j = 0; j < len; j++) {
          const s = ids[j]!;
          const tf = tfs[j]!;
          aS[j] = s;
          aSc[j] = (w * tf) / (tf + cache[norms[s]!]!);
        }
        an = len;
        continue;
      }
      let i = 0;
      let j = 0;
      let n = 0;
      while (i < an && j < len) {
        const x = aS[i]!;
        const y = ids[j]!;
        if (x < y) {
          bS[n] = x;
          bSc[n] = aSc[i]!;
          i++;
        } else {
          const tf = tfs[j]!;
          const c = (w * tf) / (tf + cache[norms[y]!]!);
          bS[n] = y;
          if (x === y) {
            bSc[n] = aSc[i]! + c;
            i++;
          } else bSc[n] = c;
          j++;
        }
        n++;
      }
      for (; i < an; i++, n++) {
        bS[n] = aS[i]!;
        bSc[n] = aSc[i]!;
      }
      for (; j < len; j++, n++) {
        const y = ids[j]!;
        const tf = tfs[j]!;
        bS[n] = y;
        bSc[n] = (w * tf) / (tf + cache[norms[y]!]!);
      }
      an = n;
      [aS, aSc, bS, bSc] = [bS, bSc, aS, aSc];
    }
    return an;
  }

  /** Keeps the first `n` output slots that hold the term in some field, adding its contributions; returns how many are kept. */
  private intersectInto(n: number, fws: ReturnType<TextIndex['fieldWeights']>, mult: number): number {
    const out = this.outSlots;
    const sc = this.outScores;
    const hit = this.hits;
    hit.fill(0, 0, n);
    for (let f = 0; f < fws.length; f++) {
      const { p, weight, cache, norms } = fws[f]!;
      const w = weight * mult;
      const ids = p.ids;
      const tfs = p.tfs;
      const len = p.len;
      // Far longer postings than candidates: binary search from where the last one was found.
      const search = len > 16 * n;
      let j = 0;
      for (let i = 0; i < n && j < len; i++) {
        const s = out[i]!;
        if (search) j = p.lowerBoundFrom(s, j);
        else while (j < len && ids[j]! < s) j++;
        if (j < len && ids[j] === s) {
          const tf = tfs[j]!;
          sc[i]! += (w * tf) / (tf + cache[norms[s]!]!);
          hit[i] = 1;
          j++;
        }
      }
    }
    let kept = 0;
    for (let i = 0; i < n; i++) {
      if (hit[i] === 0) continue;
      out[kept] = out[i]!;
      sc[kept] = sc[i]!;
      kept++;
    }
    return kept;
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
    this.lastQuery = undefined;
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
    let n = this.hits.byteLength + this.outSlots.byteLength + this.outScores.byteLength + this.spareSlots.byteLength + this.spareScores.byteLength;
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

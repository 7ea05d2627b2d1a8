// The container of persisted in-memory segments: a fixed preamble, a small
// JSON header (what the file describes, where each section lies), then raw
// typed-array bytes, each section 8-byte aligned so a loader can take typed
// views of one Buffer instead of copying. Written to a temporary file, synced
// and renamed, so a reader sees a whole file or none; the length and a SHA-256
// of everything after the preamble are checked too, because a file that lies
// about itself must fall back to the full load, never load.

import { createHash } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';

const MAGIC = 'JOBSEGS\u0001';
/** magic (8) · file length (f64) · header length (u32) · sha256 (32). */
const PREAMBLE = 52;
const CHUNK = 4 << 20;

export type SectionView = Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array;

/** A section: its byte length up front (the header names every offset before any byte is written), its parts when written. */
export interface Section {
  name: string;
  bytes: number;
  parts: () => Iterable<SectionView>;
}

export interface SegmentHeader {
  /** What the caller needs to accept the file (versions, stamp, counts); checked by the caller. */
  meta: Record<string, unknown>;
  sections: Record<string, { offset: number; bytes: number }>;
}

const pad8 = (n: number): number => (n + 7) & ~7;

/** Bytes of typed arrays, for Section.bytes. */
export function byteSum(parts: Iterable<SectionView>): number {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  return n;
}

/** Buffered writes with the running hash; parts larger than the buffer go straight to the file. */
class Sink {
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  readonly hash = createHash('sha256');
  written = 0;
  constructor(private readonly fd: number) {}

  write(part: SectionView): void {
    const bytes = new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
    if (this.used + bytes.length > CHUNK) this.flush();
    if (bytes.length > CHUNK) {
      this.hash.update(bytes);
      writeSync(this.fd, bytes);
    } else {
      this.buf.set(bytes, this.used);
      this.used += bytes.length;
    }
    this.written += bytes.length;
  }

  zeros(n: number): void {
    if (n > 0) this.write(new Uint8Array(n));
  }

  flush(): void {
    if (this.used === 0) return;
    const b = this.buf.subarray(0, this.used);
    this.hash.update(b);
    writeSync(this.fd, b);
    this.used = 0;
  }
}

/** Writes the segments atomically at `path` (temporary file, fsync, rename); on failure nothing replaces what was there. */
export function writeSegmentFile(path: string, meta: Record<string, unknown>, sections: readonly Section[]): number {
  const table: SegmentHeader['sections'] = {};
  let at = 0;
  for (const s of sections) {
    table[s.name] = { offset: at, bytes: s.bytes };
    at += pad8(s.bytes);
  }
  const header = Buffer.from(JSON.stringify({ meta, sections: table } satisfies SegmentHeader));
  const body = pad8(PREAMBLE + header.length);
  const total = body + at;
  // One fixed name, so a crash mid-write leaves at most one leftover (the next save overwrites it). Two
  // processes saving at once may mix their bytes in it: the checksum then refuses the file at load.
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, Buffer.alloc(PREAMBLE));
    const sink = new Sink(fd);
    sink.write(header);
    sink.zeros(body - PREAMBLE - header.length);
    for (const s of sections) {
      const start = sink.written;
      for (const p of s.parts()) sink.write(p);
      if (sink.written - start !== s.bytes) throw new Error(`segment section ${s.name} wrote ${sink.written - start} bytes, not ${s.bytes}`);
      sink.zeros(pad8(s.bytes) - s.bytes);
    }
    sink.flush();
    const pre = Buffer.alloc(PREAMBLE);
    pre.write(MAGIC, 0, 'latin1');
    pre.writeDoubleLE(total, 8);
    pre.writeUInt32LE(header.length, 16);
    sink.hash.digest().copy(pre, 20);
    writeSync(fd, pre, 0, PREAMBLE, 0);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
  return total;
}

export interface SegmentFile {
  meta: Record<string, unknown>;
  /** A section's bytes as a typed view of the file's one buffer (no copy); undefined when absent or misaligned for the type. */
  view<T extends SectionView>(name: string, make: (buf: ArrayBuffer, offset: number, length: number) => T, bytesPer: number): T | undefined;
}

/** Reads and verifies a segment file; undefined when missing, short, torn or not one writeSegmentFile wrote. */
export function readSegmentFile(path: string): SegmentFile | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    if (size < PREAMBLE) return undefined;
    // Its own allocation (never the pool), so byteOffset is 0 and every 8-aligned section can be viewed as any type.
    const buf = Buffer.allocUnsafeSlow(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n === 0) return undefined;
      got += n;
    }
    if (buf.toString('latin1', 0, 8) !== MAGIC || buf.readDoubleLE(8) !== size) return undefined;
    const headerLength = buf.readUInt32LE(16);
    if (PREAMBLE + headerLength > size) return undefined;
    const digest = createHash('sha256').update(buf.subarray(PREAMBLE)).digest();
    if (!digest.equals(buf.subarray(20, PREAMBLE))) return undefined;
    const header = JSON.parse(buf.toString('utf8', PREAMBLE, PREAMBLE + headerLength)) as SegmentHeader;
    const body = pad8(PREAMBLE + headerLength);
    return {
      meta: header.meta,
      view(name, make, bytesPer) {
        const s = header.sections[name];
        if (!s || s.bytes % bytesPer !== 0 || body + s.offset + s.bytes > size) return undefined;
        return make(buf.buffer, body + s.offset, s.bytes / bytesPer);
      },
    };
  } finally {
    closeSync(fd);
  }
}

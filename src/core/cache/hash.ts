/**
 * Stable, dependency-free hashes for cache work. Pure.
 *
 *  - `fnv1a32` is FNV-1a, 32-bit, over the key's UTF-8 bytes (offset basis
 *    2166136261, prime 16777619). It decides a key's shard, so it must never
 *    change: a key lands in the same shard on every machine, Node version and
 *    run. Lone UTF-16 surrogates are hashed as U+FFFD, exactly as TextEncoder
 *    would encode them.
 *  - `Fingerprint` is a 64-bit (two independent 32-bit lanes) streaming digest
 *    used for checkpoint fingerprints, where a collision would only mean a
 *    resume is accepted that should have been refused (1 in 2^64).
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a 32-bit of the UTF-8 encoding of `text`, as an unsigned integer. */
export function fnv1a32(text: string): number {
  let h = FNV_OFFSET;
  const step = (byte: number): void => {
    h = Math.imul(h ^ byte, FNV_PRIME);
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      step(c);
      continue;
    }
    if (c < 0x800) {
      step(0xc0 | (c >> 6));
      step(0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      // past the end charCodeAt is NaN, which fails the low-surrogate test: a lone surrogate
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        step(0xf0 | (cp >> 18));
        step(0x80 | ((cp >> 12) & 0x3f));
        step(0x80 | ((cp >> 6) & 0x3f));
        step(0x80 | (cp & 0x3f));
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate
    step(0xe0 | (c >> 12));
    step(0x80 | ((c >> 6) & 0x3f));
    step(0x80 | (c & 0x3f));
  }
  return h >>> 0;
}

/** Final avalanche of one 32-bit lane. */
function mix(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Streaming 64-bit digest over UTF-16 code units; `digest()` is 16 hex digits. */
export class Fingerprint {
  private a = 0x6a09e667;
  private b = 0xbb67ae85;
  private length = 0;

  /** Feed one field; fields are length-delimited, so ["ab","c"] ≠ ["a","bc"]. */
  update(text: string): this {
    this.unit(text.length & 0xffff);
    this.unit(text.length >>> 16);
    for (let i = 0; i < text.length; i++) this.unit(text.charCodeAt(i));
    return this;
  }

  private unit(c: number): void {
    this.a = Math.imul(this.a ^ c, FNV_PRIME);
    this.b = Math.imul(this.b ^ c, 0x5bd1e995);
    this.b ^= this.b >>> 13;
    this.length++;
  }

  digest(): string {
    const hi = mix(this.a ^ this.length);
    const lo = mix(this.b ^ Math.imul(hi, 0x9e3779b1));
    return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
  }
}

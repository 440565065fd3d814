/**
 * The hand-written RESP2 reader of plugins/redis (resp.ts), by property:
 * any valid reply stream, cut into arbitrary pieces (as TCP delivers it),
 * and moved to a fresh buffer at arbitrary points (as RawConnection does
 * when its receive buffer runs low), reads to exactly the values encoded.
 * The oracle is an independent encoder written here, not relia's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrayReply, encodeCommand, intAt, lineEnd, type ReplyReader, RespError, scalarEnd, Sequence, SimpleReplies } from '../../../plugins/redis/src/resp.js';

type Scalar = { t: 'simple'; v: string } | { t: 'error'; v: string } | { t: 'int'; v: number } | { t: 'bulk'; v: Buffer } | { t: 'nil' };
type Value = Scalar | { t: 'array'; v: Value[] };

/** RESP2 encoding, written from the protocol spec. */
function enc(x: Value): Buffer {
  switch (x.t) {
    case 'simple':
      return Buffer.from(`+${x.v}\r\n`);
    case 'error':
      return Buffer.from(`-${x.v}\r\n`);
    case 'int':
      return Buffer.from(`:${x.v}\r\n`);
    case 'nil':
      return Buffer.from('$-1\r\n');
    case 'bulk':
      return Buffer.concat([Buffer.from(`$${x.v.length}\r\n`), x.v, Buffer.from('\r\n')]);
    case 'array':
      return Buffer.concat([Buffer.from(`*${x.v.length}\r\n`), ...x.v.map(enc)]);
  }
}

const line = fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ' '));
const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  line.map((v) => ({ t: 'simple' as const, v })),
  line.map((v) => ({ t: 'error' as const, v: `ERR ${v}` })),
  fc.integer({ min: -1e12, max: 1e12 }).map((v) => ({ t: 'int' as const, v })),
  // bulk strings hold any bytes, CR LF included
  fc.uint8Array({ maxLength: 40 }).map((v) => ({ t: 'bulk' as const, v: Buffer.from(v) })),
  fc.constantFrom('\r\n', '$3\r\n', '*1\r\n', '').map((s) => ({ t: 'bulk' as const, v: Buffer.from(s) })),
  fc.constant({ t: 'nil' as const }),
);
const { value } = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 5 }).map((v) => ({ t: 'array' as const, v }))),
}));
const arrayValue = fc.array(value, { maxLength: 8 }).map((v) => ({ t: 'array' as const, v }));

/**
 * Feed `stream` to `reader` the way RawConnection does: bytes arrive in the
 * given pieces; the reader is called with what is unscanned; at the marked
 * pieces the unfinished bytes (from the reader's origin) move to a new
 * buffer, followed by `rebase`. Returns the buffer the reader ends in.
 */
function feed(reader: ReplyReader, stream: Buffer, cuts: number[], moves: Set<number>): { buf: Buffer; consumed: number } {
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  points.push(stream.length);
  let buf = Buffer.alloc(stream.length + 8, 0xee); // garbage after the written bytes must never be read
  let origin = 0; // where the reader's first byte is in buf
  let wpos = 0;
  let spos = 0;
  let received = 0;
  points.forEach((to, k) => {
    if (moves.has(k) && !reader.done) {
      const next = Buffer.alloc(buf.length, 0xdd);
      buf.copy(next, 0, origin, wpos);
      spos -= origin;
      wpos -= origin;
      origin = 0;
      buf = next;
      reader.rebase(next, 0);
    }
    wpos += stream.copy(buf, wpos, received, to);
    received = to;
    if (!reader.done && spos < wpos) spos += reader.read(buf, spos, wpos);
  });
  return { buf, consumed: spos - origin };
}

/** The encoded bytes of every element, read back through the reader's API (recursively for nested arrays). */
function decoded(r: ArrayReply): unknown[] {
  return Array.from({ length: r.n }, (_, j) => {
    const sub = r.sub[j];
    if (sub) return { array: decoded(sub) };
    const bytes = Buffer.alloc(r.encodedLength(j));
    r.copyEncoded(j, bytes, 0);
    return bytes.toString('latin1');
  });
}
function expected(v: Value[]): unknown[] {
  return v.map((x) => (x.t === 'array' ? { array: expected(x.v) } : enc(x).toString('latin1')));
}

describe('RESP reader (plugins/redis/src/resp.ts): arbitrary splits parse to the same values', () => {
  it('ArrayReply: any nesting, any cut points, any buffer moves → exactly the encoded elements', () => {
    fc.assert(
      fc.property(arrayValue, fc.array(fc.nat(), { maxLength: 12 }), fc.array(fc.nat({ max: 13 }), { maxLength: 4 }), (v, cuts, moves) => {
        const stream = enc(v);
        const reader = new ArrayReply();
        const { consumed } = feed(reader, stream, cuts, new Set(moves));
        expect(reader.done).toBe(true);
        expect(consumed).toBe(stream.length);
        expect(reader.error).toBeUndefined();
        expect(decoded(reader)).toEqual(expected(v.v));
      }),
      { numRuns: 400 },
    );
  });

  it('ArrayReply accessors: isNil, isError, int and text agree with the values', () => {
    fc.assert(
      fc.property(fc.array(scalar, { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 8 }), (v, cuts) => {
        const reader = new ArrayReply();
        feed(reader, enc({ t: 'array', v }), cuts, new Set());
        v.forEach((x, j) => {
          expect(reader.isNil(j)).toBe(x.t === 'nil');
          expect(reader.isError(j)).toBe(x.t === 'error');
          if (x.t === 'int') expect(reader.int(j)).toBe(x.v);
          if (x.t === 'simple' || x.t === 'error') expect(reader.text(j)).toBe(x.v);
          if (x.t === 'bulk') expect(reader.text(j)).toBe(x.v.toString('utf8'));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('texts(): a SCAN-style array of bulk keys, split anywhere', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }), { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 10 }), (keys, cuts) => {
        const reader = new ArrayReply();
        feed(reader, enc({ t: 'array', v: keys.map((k) => ({ t: 'bulk', v: Buffer.from(k) })) }), cuts, new Set([1]));
        expect(reader.texts()).toEqual(keys);
      }),
      { numRuns: 200 },
    );
  });

  it('SimpleReplies then an ArrayReply in a Sequence (MULTI … EXEC), split anywhere, moved anywhere', () => {
    fc.assert(
      fc.property(fc.array(scalar, { minLength: 1, maxLength: 8 }), arrayValue, fc.array(fc.nat(), { maxLength: 12 }), fc.array(fc.nat({ max: 13 }), { maxLength: 3 }), (simple, arr, cuts, moves) => {
        const simpleReplies = new SimpleReplies(simple.length);
        const exec = new ArrayReply();
        const stream = Buffer.concat([...simple.map(enc), enc(arr)]);
        const { consumed } = feed(new Sequence([simpleReplies, exec]), stream, cuts, new Set(moves));
        expect(consumed).toBe(stream.length);
        simple.forEach((x, i) => {
          const kind = x.t === 'error' ? 2 : x.t === 'int' ? 3 : x.t === 'nil' ? 0 : 1;
          expect(simpleReplies.kinds[i]).toBe(kind);
          if (x.t === 'int') expect(simpleReplies.ints[i]).toBe(x.v);
          if (x.t === 'error') expect(simpleReplies.errors[i]).toBe(x.v);
        });
        expect(simpleReplies.error).toBe(simple.find((x) => x.t === 'error')?.v as string | undefined);
        expect(decoded(exec)).toEqual(expected(arr.v));
      }),
      { numRuns: 300 },
    );
  });

  it('a reader consumes only whole elements: a cut inside an element consumes nothing of it', () => {
    const stream = enc({ t: 'array', v: [{ t: 'bulk', v: Buffer.from('hello\r\nworld') }, { t: 'int', v: 7 }] });
    for (let cut = 0; cut < stream.length; cut++) {
      const reader = new ArrayReply();
      const used = reader.read(stream, 0, cut);
      expect(reader.done).toBe(false);
      // header `*2\r\n` is 4 bytes, the bulk `$12\r\n…\r\n` 19: whole pieces only
      expect([0, 4, 23]).toContain(used);
    }
  });

  it('an error reply instead of an array, and a nil array (an aborted transaction), finish the reader with an error', () => {
    const err = new ArrayReply();
    expect(err.read(Buffer.from('-WRONGTYPE no\r\n'), 0, 15)).toBe(15);
    expect(err.done && err.error).toBe('WRONGTYPE no');
    const nil = new ArrayReply();
    expect(nil.read(Buffer.from('*-1\r\n'), 0, 5)).toBe(5);
    expect(nil.error).toMatch(/aborted/);
    expect(() => new ArrayReply().read(Buffer.from(':1\r\n'), 0, 4)).toThrow(RespError);
    expect(() => new SimpleReplies(1).read(Buffer.from('*1\r\n:1\r\n'), 0, 8)).toThrow(RespError);
  });

  it('scalar helpers: lineEnd needs the LF too; intAt reads signs; scalarEnd of nil and of a short bulk', () => {
    expect(lineEnd(Buffer.from('+OK\r'), 0, 4)).toBe(-1);
    expect(lineEnd(Buffer.from('+OK\r\n'), 0, 5)).toBe(3);
    expect(intAt(Buffer.from(':-42'), 1, 4)).toBe(-42);
    expect(intAt(Buffer.from(':1234567890123'), 1, 14)).toBe(1234567890123);
    expect(scalarEnd(Buffer.from('$-1\r\n'), 0, 5)).toBe(5);
    expect(scalarEnd(Buffer.from('$5\r\nab'), 0, 6)).toBe(-1);
    expect(scalarEnd(Buffer.from('$2\r\nab\r\n'), 0, 8)).toBe(8);
  });

  it('encodeCommand counts bytes, not characters', () => {
    expect(encodeCommand(['SET', 'ключ', 'v']).toString()).toBe('*3\r\n$3\r\nSET\r\n$8\r\nключ\r\n$1\r\nv\r\n');
  });
});

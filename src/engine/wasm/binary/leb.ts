/**
 * LEB128 and the other primitive encodings of the Wasm binary format: a growable byte writer and a
 * cursor-based reader. Everything else in binary/ is built from these.
 */

export class ByteWriter {
  private buf = new Uint8Array(256);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): this {
    this.ensure(1);
    this.buf[this.length++] = b & 0xff;
    return this;
  }

  bytes(data: Uint8Array | readonly number[]): this {
    this.ensure(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
    return this;
  }

  u32(value: number): this {
    let v = value >>> 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }

  s32(value: number): this {
    let v = value | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  s64(value: bigint | number): this {
    let v = BigInt.asIntN(64, BigInt(value));
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  f64(value: number): this {
    const tmp = new DataView(new ArrayBuffer(8));
    tmp.setFloat64(0, value, true);
    return this.bytes(new Uint8Array(tmp.buffer));
  }

  name(s: string): this {
    const data = new TextEncoder().encode(s);
    return this.u32(data.length).bytes(data);
  }

  /** A length-prefixed chunk (sections, function bodies). */
  sized(data: Uint8Array): this {
    return this.u32(data.length).bytes(data);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export class WasmFormatError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`invalid wasm at byte ${offset}: ${message}`);
    this.name = "WasmFormatError";
  }
}

export class ByteReader {
  pos: number;
  constructor(
    readonly data: Uint8Array,
    start = 0,
    readonly end = data.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  fail(message: string): never {
    throw new WasmFormatError(message, this.pos);
  }

  byte(): number {
    if (this.pos >= this.end) this.fail("unexpected end");
    return this.data[this.pos++]!;
  }

  bytes(n: number): Uint8Array {
    if (this.pos + n > this.end) this.fail("unexpected end");
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift > 35) this.fail("LEB128 too long");
    }
  }

  s32(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.byte();
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80 && shift < 35);
    if (shift < 32 && b & 0x40) result |= -1 << shift;
    return result | 0;
  }

  s64(): bigint {
    let result = 0n;
    let shift = 0n;
    let b: number;
    do {
      b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    if (shift < 64n && b & 0x40) result |= -1n << shift;
    return BigInt.asIntN(64, result);
  }

  name(): string {
    const n = this.u32();
    return new TextDecoder("utf-8", { fatal: true }).decode(this.bytes(n));
  }
}

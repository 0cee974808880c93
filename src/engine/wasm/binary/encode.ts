/**
 * Encodes a `WasmModule` back into the binary format, sections in the standard order with custom
 * sections re-emitted after the standard section they originally followed.
 */
import { ByteWriter } from "./leb.js";
import type { Limits, WasmModule } from "./module.js";

/** Standard section ids in the order the spec requires (data count sits before code). */
const ORDER = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 10, 11];

export function encodeModule(m: WasmModule): Uint8Array {
  const w = new ByteWriter();
  w.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  emitCustoms(w, m, 0);
  for (const id of ORDER) {
    const body = sectionBody(m, id);
    if (body) w.byte(id).sized(body);
    emitCustoms(w, m, id);
  }
  return w.finish();
}

function emitCustoms(w: ByteWriter, m: WasmModule, after: number): void {
  for (const c of m.customs) {
    if (c.after !== after) continue;
    if (c.isNames) {
      if (m.names) w.byte(0).sized(nameSection(m));
      continue;
    }
    const s = new ByteWriter().name(c.name).bytes(c.payload);
    w.byte(0).sized(s.finish());
  }
}

function nameSection(m: WasmModule): Uint8Array {
  const names = m.names!;
  const s = new ByteWriter().name("name");
  const subs = [...names.others];
  if (names.functions.size > 0) {
    const f = new ByteWriter();
    const entries = [...names.functions.entries()].sort((a, b) => a[0] - b[0]);
    f.u32(entries.length);
    for (const [i, n] of entries) f.u32(i).name(n);
    subs.push({ id: 1, payload: f.finish() });
  }
  subs.sort((a, b) => a.id - b.id);
  for (const sub of subs) s.byte(sub.id).sized(sub.payload);
  return s.finish();
}

function limits(w: ByteWriter, l: Limits): void {
  const flags = l.max === undefined ? l.flags & ~1 : l.flags | 1;
  w.byte(flags).u32(l.min);
  if (l.max !== undefined) w.u32(l.max);
}

function sectionBody(m: WasmModule, id: number): Uint8Array | undefined {
  const w = new ByteWriter();
  switch (id) {
    case 1:
      if (m.types.length === 0) return undefined;
      w.u32(m.types.length);
      for (const t of m.types) {
        w.byte(0x60).u32(t.params.length).bytes(t.params).u32(t.results.length).bytes(t.results);
      }
      break;
    case 2:
      if (m.imports.length === 0) return undefined;
      w.u32(m.imports.length);
      for (const i of m.imports) {
        w.name(i.module).name(i.name).byte(i.desc.kind);
        const d = i.desc;
        if (d.kind === 0) w.u32(d.type);
        else if (d.kind === 1) {
          w.byte(d.elemType);
          limits(w, d.limits);
        } else if (d.kind === 2) limits(w, d.limits);
        else w.byte(d.global.type).byte(d.global.mutable ? 1 : 0);
      }
      break;
    case 3:
      if (m.functions.length === 0) return undefined;
      w.u32(m.functions.length);
      for (const f of m.functions) w.u32(f);
      break;
    case 4:
      if (m.tables.length === 0) return undefined;
      w.u32(m.tables.length);
      for (const t of m.tables) {
        w.byte(t.elemType);
        limits(w, t.limits);
      }
      break;
    case 5:
      if (m.memories.length === 0) return undefined;
      w.u32(m.memories.length);
      for (const l of m.memories) limits(w, l);
      break;
    case 6:
      if (m.globals.length === 0) return undefined;
      w.u32(m.globals.length);
      for (const g of m.globals) w.byte(g.type.type).byte(g.type.mutable ? 1 : 0).bytes(g.init);
      break;
    case 7:
      if (m.exports.length === 0) return undefined;
      w.u32(m.exports.length);
      for (const e of m.exports) w.name(e.name).byte(e.kind).u32(e.index);
      break;
    case 8:
      if (m.start === undefined) return undefined;
      w.u32(m.start);
      break;
    case 9:
      if (m.elements.length === 0) return undefined;
      w.u32(m.elements.length);
      for (const e of m.elements) w.bytes(e);
      break;
    case 12:
      if (m.dataCount === undefined) return undefined;
      w.u32(m.data.length);
      break;
    case 10:
      if (m.codes.length === 0) return undefined;
      w.u32(m.codes.length);
      for (const c of m.codes) w.sized(c);
      break;
    case 11:
      if (m.data.length === 0) return undefined;
      w.u32(m.data.length);
      for (const d of m.data) {
        w.u32(d.flags);
        if (d.flags === 2) w.u32(d.memory ?? 0);
        if (d.flags !== 1) w.bytes(d.offset!);
        w.sized(d.bytes);
      }
      break;
  }
  return w.finish();
}

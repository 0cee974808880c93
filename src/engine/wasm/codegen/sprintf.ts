/**
 * A Wasm fast path for the common `sprintf` call of policy messages: a constant format with only
 * `%v`, `%s` and `%%`, and arguments whose text is known to equal what Go OPA prints. Every other
 * case — other verbs, argument count mismatches, numbers that are not plain integers, composite
 * values whose text holds non-ASCII or control characters, decimals or exponents — takes the host
 * `policyc.sprintf` call, so the output is always the host's (Go's) formatting.
 */
import { Code } from "../binary/code.js";
import { ValType } from "../binary/module.js";
import type { DeclaredFunc } from "../link.js";
import type { GenContext } from "./context.js";

const i32 = ValType.i32;

export type FormatPiece = { lit: string } | { verb: "v" | "s" };

/** Splits a format into literals and `%v`/`%s` verbs; undefined if it uses anything else. */
export function parseSimpleFormat(format: string): FormatPiece[] | undefined {
  const out: FormatPiece[] = [];
  let lit = "";
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== "%") {
      lit += ch;
      continue;
    }
    const verb = format[i + 1];
    i++;
    if (verb === "%") lit += "%";
    else if (verb === "v" || verb === "s") {
      if (lit) out.push({ lit });
      lit = "";
      out.push({ verb });
    } else return undefined;
  }
  if (lit) out.push({ lit });
  return out;
}

const pieceFuncs = new WeakMap<GenContext, DeclaredFunc>();

/**
 * `policyc$sprintf_piece(v, is_s)`: the text of one argument as a string value, or 0 when only
 * the host can format it. Strings print raw; everything else prints as the runtime's Rego text,
 * accepted only when it is printable ASCII, has no escapes but `\"` and `\\` inside string
 * literals, and no decimal point, exponent or `-0` outside them: the forms where Go's text and the
 * runtime's could differ. `%s` of a number is Go's `%!s(...)` form: host.
 */
export function sprintfPieceFunc(ctx: GenContext): DeclaredFunc {
  let f = pieceFuncs.get(ctx);
  if (f) return f;
  f = ctx.linker.declare("policyc$sprintf_piece", { params: [i32, i32], results: [i32] });
  pieceFuncs.set(ctx, f);
  const [V, IS_S, T, P, I, B, IN_STR, PREV, ESC] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const c = new Code();
  const zero = () => c.i32Const(0).return();
  c.localGet(V).call(ctx.rt("opa_value_type").index).localTee(T).i32Const(4).i32Eq().if().localGet(V).return().end();
  c.localGet(T).i32Const(3).i32Eq().localGet(IS_S).i32And().if();
  zero();
  c.end();
  c.localGet(V).call(ctx.rt("opa_value_dump").index).localSet(P);
  c.block().loop();
  c.localGet(P).localGet(I).i32Add().i32Load8U().localTee(B).i32Eqz().brIf(1);
  // printable ASCII only
  c.localGet(B).i32Const(0x20).i32LtU().localGet(B).i32Const(0x7e).i32GtU().i32Or().if();
  zero();
  c.end();
  c.localGet(IN_STR).if();
  {
    // Escapes other than \" and \\ stand for characters Go's strconv.Quote writes differently.
    c.localGet(ESC).if().i32Const(0).localSet(ESC);
    c.localGet(B).i32Const(0x22).i32Ne().localGet(B).i32Const(0x5c).i32Ne().i32And().if();
    zero();
    c.end();
    c.else();
    c.localGet(B).i32Const(0x5c).i32Eq().if().i32Const(1).localSet(ESC).end();
    c.localGet(B).i32Const(0x22).i32Eq().if().i32Const(0).localSet(IN_STR).end();
    c.end();
  }
  c.else();
  {
    c.localGet(B).i32Const(0x22).i32Eq().if().i32Const(1).localSet(IN_STR).end();
    c.localGet(B).i32Const(0x2e).i32Eq().if();
    zero();
    c.end();
    // an exponent: e/E right after a digit
    c.localGet(B).i32Const(0x20).i32Or().i32Const(0x65).i32Eq();
    c.localGet(PREV).i32Const(0x30).i32Sub().i32Const(10).i32LtU().i32And().if();
    zero();
    c.end();
    // -0
    c.localGet(B).i32Const(0x30).i32Eq().localGet(PREV).i32Const(0x2d).i32Eq().i32And().if();
    zero();
    c.end();
  }
  c.end();
  c.localGet(B).localSet(PREV);
  c.localGet(I).i32Const(1).i32Add().localSet(I);
  c.br(0).end().end();
  c.localGet(P).localGet(I).call(ctx.rt("opa_string").index);
  ctx.linker.define(f, [i32, i32, i32, i32, i32, i32, i32], c);
  return f;
}

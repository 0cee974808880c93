/**
 * Built-ins the code generator implements as generated Wasm on top of runtime natives, for calls
 * that sit on hot paths of real policies and would otherwise cross the SDK's JSON bridge to a host
 * function (e.g. `strings.any_prefix_match` once per container in k8sallowedrepos). A native of the
 * same name in natives.json takes precedence.
 */
import { Code } from "../binary/code.js";
import { ValType } from "../binary/module.js";
import type { DeclaredFunc } from "../link.js";
import type { GenContext } from "./context.js";

const i32 = ValType.i32;
const STRING = 4;
const ARRAY = 5;
const SET = 7;

type Builder = (ctx: GenContext) => DeclaredFunc | undefined;

const builders: Record<string, Builder> = {
  "strings.any_prefix_match": (ctx) => anyMatch(ctx, "strings.any_prefix_match", "policyc_bi_startswith"),
  "strings.any_suffix_match": (ctx) => anyMatch(ctx, "strings.any_suffix_match", "policyc_bi_endswith"),
};

const declared = new WeakMap<GenContext, Map<string, DeclaredFunc | undefined>>();

/** The generated function implementing built-in `name` with `arity` args, if there is one. */
export function intrinsic(ctx: GenContext, name: string, arity: number): DeclaredFunc | undefined {
  const build = builders[name];
  if (!build) return undefined;
  let cache = declared.get(ctx);
  if (!cache) declared.set(ctx, (cache = new Map()));
  if (!cache.has(name)) cache.set(name, build(ctx));
  const f = cache.get(name);
  return f && f.type.params.length === arity ? f : undefined;
}

/** `(v) -> collection|0`: a string becomes a one-element array; arrays and sets pass; else 0. */
function stringOrCollection(ctx: GenContext): DeclaredFunc {
  const f = ctx.linker.declare("policyc$string_or_collection", { params: [i32], results: [i32] });
  const c = new Code();
  c.localGet(0).call(ctx.rt("opa_value_type").index).localTee(1).i32Const(STRING).i32Eq().if();
  c.i32Const(1).call(ctx.rt("opa_array_with_cap").index).localTee(2).localGet(0).call(ctx.rt("opa_array_append").index);
  if (ctx.returns("opa_array_append")) c.drop();
  c.localGet(2).return().end();
  c.localGet(1).i32Const(ARRAY).i32Eq().localGet(1).i32Const(SET).i32Eq().i32Or().if(i32).localGet(0).else().i32Const(0).end();
  ctx.linker.define(f, [i32, i32], c);
  return f;
}

/**
 * `any_match(search, base)`: true if some string of `search` starts (ends) with some string of
 * `base`; each is a string or an array/set of strings; any other type is undefined (OPA's error).
 */
function anyMatch(ctx: GenContext, name: string, test: string): DeclaredFunc | undefined {
  if (!ctx.linker.hasExport(test)) return undefined;
  const norm = stringOrCollection(ctx);
  const f = ctx.linker.declare(`policyc$${name}`, { params: [i32, i32], results: [i32] });
  const [S, B, K1, E1, K2, E2, FOUND, R] = [0, 1, 2, 3, 4, 5, 6, 7];
  const iter = ctx.rt("opa_value_iter").index;
  const get = ctx.rt("opa_value_get").index;
  const type = ctx.rt("opa_value_type").index;
  const c = new Code();
  c.localGet(S).call(norm.index).localTee(S).i32Eqz().if().i32Const(0).return().end();
  c.localGet(B).call(norm.index).localTee(B).i32Eqz().if().i32Const(0).return().end();
  c.block().loop();
  c.localGet(S).localGet(K1).call(iter).localTee(K1).i32Eqz().brIf(1);
  c.localGet(S).localGet(K1).call(get).localTee(E1).call(type).i32Const(STRING).i32Ne().if().i32Const(0).return().end();
  c.i32Const(0).localSet(K2);
  c.block().loop();
  c.localGet(B).localGet(K2).call(iter).localTee(K2).i32Eqz().brIf(1);
  c.localGet(B).localGet(K2).call(get).localTee(E2).call(type).i32Const(STRING).i32Ne().if().i32Const(0).return().end();
  c.localGet(E1).localGet(E2).call(ctx.rt(test).index).localTee(R);
  c.if().localGet(R).call(ctx.rt("opa_boolean_value").index).localGet(FOUND).i32Or().localSet(FOUND).end();
  c.br(0).end().end();
  c.br(0).end().end();
  c.localGet(FOUND).call(ctx.rt("opa_boolean").index);
  ctx.linker.define(f, [i32, i32, i32, i32, i32, i32], c);
  return f;
}

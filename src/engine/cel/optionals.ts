/**
 * CEL's optional values, as the API server enables them (Kubernetes 1.29+): `optional.of(x)`,
 * `optional.ofNonZeroValue(x)`, `optional.none()`, `.hasValue()`, `.value()`, `.orValue(d)`,
 * `.or(o)`, and the run-time side of the optional syntax that `parse.ts` turns into calls:
 * `a.?f` and optional chaining (`@optSelect`), `a[?k]` (`@optIndex`), `has()` through an optional
 * (`@optHas`), `[?x]` list elements (`@optList`) and `{?k: v}` map entries (`@optInsert`).
 *
 * @bufbuild/cel 0.6.1 has no optional type, so an optional is a one-field message `policyc.Optional`
 * whose field is a canonical rendering of the value (so that CEL's `==` on two optionals compares
 * what they hold); the value itself is kept beside the message, keyed by the message object.
 */
import { celFunc, celMethod, celList, celMap, CelScalar, isCelList, isCelMap, isCelUint, listType, mapType, objectType, type CelFunc, type CelMap, type CelValue } from "@bufbuild/cel";
import { create, type DescMessage } from "@bufbuild/protobuf";
import { kubernetesTypes } from "./kubernetes-types.js";

const OptionalDesc = kubernetesTypes.getMessage("policyc.Optional") as DescMessage;
export const OPT = objectType(OptionalDesc);
const DYN = CelScalar.DYN;
const STR = CelScalar.STRING;
const BOOL = CelScalar.BOOL;

/** What each optional message holds; absent for `optional.none()`. */
const held = new WeakMap<object, { value: CelValue }>();

/** A stable rendering of a CEL value, so equal values give equal keys (ints and doubles alike, as CEL's heterogeneous equality). */
export function render(v: CelValue): string {
  if (typeof v === "bigint" || typeof v === "number") return `n:${Number(v)}`;
  if (typeof v === "string") return `s:${JSON.stringify(v)}`;
  if (typeof v === "boolean" || v === null) return `${v}`;
  if (v instanceof Uint8Array) return `b:${[...v].join(",")}`;
  if (isCelUint(v)) return `n:${Number(v.value)}`;
  if (isCelList(v)) return `[${[...v].map(render).join(",")}]`;
  if (isCelMap(v)) return `{${[...v].map(([k, x]) => `${render(k as CelValue)}:${render(x)}`).sort().join(",")}}`;
  const m = optionalMessage(v);
  if (m) return `opt(${held.has(m) ? render(held.get(m)!.value) : ""})`;
  // Durations, timestamps and the Kubernetes types are messages in a canonical form: their fields say the value.
  const r = v as { desc?: DescMessage; message?: object };
  if (typeof v === "object" && v !== null && r.desc && r.message) return `${r.desc.typeName}:${JSON.stringify(r.message, (_k, x: unknown) => (typeof x === "bigint" ? String(x) : x))}`;
  return `?${String(v)}`;
}

function optionalMessage(v: unknown): object | undefined {
  const r = v as { desc?: DescMessage; message?: object };
  return typeof v === "object" && v !== null && r.desc?.typeName === OptionalDesc.typeName ? r.message : undefined;
}

export function isOptional(v: unknown): boolean {
  return optionalMessage(v) !== undefined;
}

/** An optional holding `value` (`optional.of`). */
export function some(value: CelValue): CelValue {
  const m = create(OptionalDesc, { value: `some:${render(value)}` } as never);
  held.set(m, { value });
  return m as never;
}
/** The empty optional (`optional.none()`). */
export const none = (): CelValue => create(OptionalDesc, { value: "none" } as never) as never;

/** The value an optional holds, or undefined for none. */
function unwrap(v: unknown): { value: CelValue } | undefined {
  const m = optionalMessage(v);
  return m ? held.get(m) : undefined;
}

/** CEL's zero values: what `optional.ofNonZeroValue` treats as absent. */
function isZero(v: CelValue): boolean {
  if (v === null || v === false || v === "" || v === 0n || v === 0) return true;
  if (v instanceof Uint8Array) return v.length === 0;
  if (isCelUint(v)) return v.value === 0n;
  if (isCelList(v)) return v.size === 0;
  if (isCelMap(v)) return v.size === 0;
  return false;
}

/** `x.?f` and `x[?k]`, and a selection or index after either (optional chaining). */
function optionalAccess(x: CelValue, key: CelValue, index: boolean): CelValue {
  if (isOptional(x)) {
    const h = unwrap(x);
    return h ? optionalAccess(h.value, key, index) : none();
  }
  if (isCelMap(x)) {
    const v = x.get(key as Parameters<CelMap["get"]>[0]);
    return v !== undefined ? some(v) : none();
  }
  if (index && isCelList(x)) {
    const i = typeof key === "bigint" ? key : typeof key === "number" && Number.isInteger(key) ? BigInt(key) : isCelUint(key) ? key.value : undefined;
    if (i === undefined) throw new Error(`no such overload: list index of type ${typeof key}`);
    return i >= 0n && i < BigInt(x.size) ? some(x.get(Number(i))!) : none();
  }
  throw new Error(index ? "no such overload: optional index on a value that is neither a list nor a map" : `no such key: ${String(key)}`);
}

/** A key's presence; `CelMap.has` of @bufbuild/cel 0.6.1 misses keys whose value is null. */
const has = (map: CelMap, key: Parameters<CelMap["get"]>[0]) => map.get(key) !== undefined;

function insert(map: CelMap, key: CelValue, value: CelValue): CelMap {
  const k = key as Parameters<CelMap["get"]>[0];
  if (has(map, k)) throw new Error(`insert failed: key ${String(key)} already exists`);
  return celMap(new Map([...map, [k as never, value]]));
}

export const optionalLibrary: readonly CelFunc[] = [
  celFunc("optional.of", [DYN], OPT, (v) => some(v) as never),
  celFunc("optional.ofNonZeroValue", [DYN], OPT, (v) => (isZero(v) ? none() : some(v)) as never),
  celFunc("optional.none", [], OPT, () => none() as never),
  celMethod("hasValue", OPT, [], BOOL, function () {
    return unwrap(this) !== undefined;
  }),
  celMethod("value", OPT, [], DYN, function () {
    const h = unwrap(this);
    if (!h) throw new Error("optional.none() dereference");
    return h.value as never;
  }),
  celMethod("orValue", OPT, [DYN], DYN, function (d) {
    return (unwrap(this)?.value ?? d) as never;
  }),
  celMethod("or", OPT, [OPT], OPT, function (o) {
    return (unwrap(this) ? this : o) as never;
  }),
  celFunc("@optSelect", [DYN, STR], OPT, (x, f) => optionalAccess(x, f, false) as never),
  celFunc("@optIndex", [DYN, DYN], OPT, (x, k) => optionalAccess(x, k, true) as never),
  celFunc("@optHas", [DYN, STR], BOOL, (x, f) => {
    const h = isOptional(x) ? unwrap(x) : { value: x };
    if (!h) return false;
    if (isCelMap(h.value)) return has(h.value, f);
    throw new Error(`no such overload: has() on a ${typeof h.value}`);
  }),
  celFunc("@optList", [listType(DYN), DYN], listType(DYN), (l, o) => {
    const h = unwrap(o);
    if (!isOptional(o)) throw new Error("an optional list element ([?x]) must be an optional value");
    return (h ? celList([...l, h.value]) : l) as never;
  }),
  celFunc("@optInsert", [mapType(DYN, DYN), DYN, DYN], mapType(DYN, DYN), (m, k, o) => {
    if (!isOptional(o)) throw new Error("an optional map entry ({?k: v}) must have an optional value");
    const h = unwrap(o);
    return (h ? insert(m, k, h.value) : m) as never;
  }),
];

export { insert as mapInsert };

/**
 * JSON as CEL maps and lists, converted lazily: a Kubernetes object is read through a few of its
 * fields by each expression, so converting (and allocating) all of it for every review would cost
 * more than the evaluation. `JsonMap` and `JsonList` are CEL maps and lists to every CEL function
 * (they carry @bufbuild/cel's brands) and convert a field or element only when it is read: JSON
 * integers become CEL `int` (bigint), other numbers `double`, objects and arrays wrappers again,
 * `undefined` fields are absent. A wrapper remembers the wrappers of its children, so an object
 * reviewed by many expressions is converted once where it is read.
 */
import { isCelList, isCelMap, type CelList, type CelMap, type CelValue } from "@bufbuild/cel";

const MAP_BRAND = Symbol.for("@bufbuild/cel/map");
const LIST_BRAND = Symbol.for("@bufbuild/cel/list");

type Json = Record<string, unknown>;

/** One JSON value as a CEL value (objects and arrays as lazy wrappers). */
export function jsonToCel(x: unknown): CelValue {
  switch (typeof x) {
    case "string":
    case "boolean":
      return x;
    case "number":
      return Number.isInteger(x) ? BigInt(x) : x;
    case "object":
      if (x === null) return null;
      if (Array.isArray(x)) return new JsonList(x) as unknown as CelValue;
      if (x instanceof Uint8Array || isCelMap(x) || isCelList(x)) return x as CelValue;
      return new JsonMap(x as Json) as unknown as CelValue;
    case "undefined":
      return null;
    default:
      return x as CelValue;
  }
}

/** A JSON object as a CEL map with string keys. */
export class JsonMap {
  readonly [MAP_BRAND] = {};
  /** Converted object and array fields. */
  private children: Map<string, CelValue> | undefined;
  private count = -1;

  constructor(readonly json: Json) {}

  /** The field's value, or undefined when the object does not have it. */
  field(key: string): CelValue | undefined {
    const x = this.json[key];
    if (x === undefined) return undefined;
    if (typeof x !== "object" || x === null) {
      if (typeof x === "function" && !Object.hasOwn(this.json, key)) return undefined;
      return typeof x === "number" ? (Number.isInteger(x) ? BigInt(x) : x) : (x as CelValue);
    }
    if (key === "__proto__" && !Object.hasOwn(this.json, key)) return undefined;
    let c = this.children?.get(key);
    if (c === undefined) {
      c = jsonToCel(x);
      (this.children ??= new Map()).set(key, c);
    }
    return c;
  }

  get size(): number {
    if (this.count < 0) {
      let n = 0;
      for (const k in this.json) if (Object.hasOwn(this.json, k) && this.json[k] !== undefined) n++;
      this.count = n;
    }
    return this.count;
  }

  get(key: Parameters<CelMap["get"]>[0]): CelValue | undefined {
    return typeof key === "string" ? this.field(key) : undefined;
  }

  /** Whether the key is present (also with a null value, as CEL's `in` and `has()` on maps). */
  has(key: Parameters<CelMap["get"]>[0]): boolean {
    return typeof key === "string" && this.field(key) !== undefined;
  }

  *keys(): MapIterator<string> {
    for (const k in this.json) if (Object.hasOwn(this.json, k) && this.json[k] !== undefined) yield k;
  }

  *values(): MapIterator<CelValue> {
    for (const k of this.keys()) yield this.field(k)!;
  }

  *entries(): MapIterator<[string, CelValue]> {
    for (const k of this.keys()) yield [k, this.field(k)!];
  }

  forEach(f: (value: CelValue, key: string, map: CelMap) => void, thisArg?: unknown): void {
    for (const k of this.keys()) f.call(thisArg, this.field(k)!, k, this as unknown as CelMap);
  }

  [Symbol.iterator](): MapIterator<[string, CelValue]> {
    return this.entries();
  }
}

/** A JSON array as a CEL list. */
export class JsonList {
  readonly [LIST_BRAND] = {};
  private converted: CelValue[] | undefined;

  constructor(readonly json: unknown[]) {}

  /** The elements as CEL values (converted once). */
  elements(): CelValue[] {
    if (this.converted === undefined) this.converted = this.json.map(jsonToCel);
    return this.converted;
  }

  get size(): number {
    return this.json.length;
  }

  get(index: number): CelValue | undefined {
    if (index < 0 || index >= this.json.length) return undefined;
    return this.elements()[index];
  }

  values(): ArrayIterator<CelValue> {
    return this.elements().values();
  }

  [Symbol.iterator](): ArrayIterator<CelValue> {
    return this.values();
  }
}

/** A list of CEL values made by an expression (a list literal, `+`, a macro's result). */
export class ValueList {
  readonly [LIST_BRAND] = {};

  constructor(private readonly items: CelValue[]) {}

  elements(): CelValue[] {
    return this.items;
  }

  get size(): number {
    return this.items.length;
  }

  get(index: number): CelValue | undefined {
    return index < 0 || index >= this.items.length ? undefined : this.items[index];
  }

  values(): ArrayIterator<CelValue> {
    return this.items.values();
  }

  [Symbol.iterator](): ArrayIterator<CelValue> {
    return this.values();
  }
}

/** A list's elements as an array (without copying the lists this module makes). */
export function listElements(l: CelList): readonly CelValue[] {
  if (l instanceof JsonList || l instanceof ValueList) return l.elements();
  return [...l];
}

export function valueList(items: CelValue[]): CelValue {
  return new ValueList(items) as unknown as CelValue;
}

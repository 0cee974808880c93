/**
 * Test harness for the runtime library: instantiates src/engine/runtime/runtime.wasm on its own
 * (memory and stub imports, as the SDK would provide them) and moves JSON and strings in and out.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const runtimeDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../src/engine/runtime");
export const runtimeBytes = (): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(path.join(runtimeDir, "runtime.wasm")));

export interface Native {
  name: string;
  export: string;
  arity: number;
  host?: string;
}
export const natives: Native[] = JSON.parse(readFileSync(path.join(runtimeDir, "natives.json"), "utf8"));

type Fn = (...args: any[]) => any;

export class Runtime {
  readonly memory: WebAssembly.Memory;
  readonly x: Record<string, any>;
  readonly printed: string[] = [];
  /** Calls made through env.opa_builtinN: [id, ...argument JSON]. */
  readonly hostCalls: unknown[][] = [];

  constructor(
    opts: {
      initialPages?: number;
      maximumPages?: number;
      /** A module to use instead of runtime.wasm (e.g. with replaced stub bodies). */
      bytes?: Uint8Array<ArrayBuffer>;
      /** Host built-ins: JSON text of each argument in, JSON text (or undefined) out. */
      host?: (id: number, args: string[]) => string | undefined;
    } = {},
  ) {
    this.memory = new WebAssembly.Memory({ initial: opts.initialPages ?? 2, maximum: opts.maximumPages });
    const host = (id: number, _ctx: number, ...args: number[]) => {
      const json = args.map((a) => this.dump(a));
      this.hostCalls.push([id, ...json]);
      const out = opts.host?.(id, json);
      return out === undefined ? 0 : this.json(out);
    };
    const instance = new WebAssembly.Instance(new WebAssembly.Module(opts.bytes ?? runtimeBytes()), {
      env: {
        memory: this.memory,
        opa_abort: (addr: number) => {
          throw new Error(this.cstr(addr));
        },
        opa_println: (addr: number) => this.printed.push(this.cstr(addr)),
        opa_builtin0: host,
        opa_builtin1: host,
        opa_builtin2: host,
        opa_builtin3: host,
        opa_builtin4: host,
      },
    });
    this.x = instance.exports as Record<string, any>;
  }

  cstr(addr: number): string {
    const bytes = new Uint8Array(this.memory.buffer);
    let end = addr;
    while (bytes[end] !== 0) end++;
    return Buffer.from(bytes.subarray(addr, end)).toString("utf8");
  }

  /** Copies bytes into the heap; returns [addr, length]. */
  bytes(text: string | Uint8Array): [number, number] {
    const data = typeof text === "string" ? Buffer.from(text, "utf8") : text;
    const addr = this.x.opa_malloc(data.length);
    new Uint8Array(this.memory.buffer).set(data, addr);
    return [addr, data.length];
  }

  /** opa_json_parse; 0 when the text is rejected. */
  json(text: string): number {
    const [addr, len] = this.bytes(text);
    return this.x.opa_json_parse(addr, len);
  }

  /** opa_value_parse (Rego literal syntax); throws when rejected. */
  value(text: string): number {
    const [addr, len] = this.bytes(text);
    const v = this.x.opa_value_parse(addr, len);
    if (!v) throw new Error(`opa_value_parse rejected ${text}`);
    return v;
  }

  string(text: string): number {
    const [addr, len] = this.bytes(text);
    return this.x.opa_string(addr, len);
  }

  dump(v: number): string {
    return this.cstr(this.x.opa_json_dump(v));
  }

  rego(v: number): string {
    return this.cstr(this.x.opa_value_dump(v));
  }

  /** Calls a native built-in on Rego-literal arguments; returns its Rego dump or undefined. */
  call(name: string, ...args: string[]): string | undefined {
    const fn: Fn = this.x[`policyc_bi_${name.replace(/\./g, "_")}`];
    if (!fn) throw new Error(`no native ${name}`);
    const r = fn(...args.map((a) => this.value(a)));
    return r === 0 ? undefined : this.rego(r);
  }
}

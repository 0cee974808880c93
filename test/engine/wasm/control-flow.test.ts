/**
 * Differential test of the code generator's control flow: random IR programs made of blocks,
 * breaks, negation, scans, `with` and undefined statements run as Wasm and in a small reference
 * interpreter of ir.ts's execution model; both must append the same trace of numbers.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import type { Block, Stmt } from "../../../src/engine/plan/ir.js";
import { IrBuilder, L, B } from "./ir-builder.js";

// Program shape, independent of IR encoding details.
type Node =
  | { k: "emit"; n: number }
  | { k: "fail" }
  | { k: "has"; key: "a" | "missing" }
  | { k: "break"; up: number }
  | { k: "blocks"; blocks: Node[][] }
  | { k: "not"; body: Node[] }
  | { k: "scan"; body: Node[] }
  | { k: "with"; body: Node[] };

const INPUT = { a: 1, xs: [10, 20, 30] };

function arbProgram(): fc.Arbitrary<Node[][]> {
  const { node } = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.record({ k: fc.constant("emit" as const), n: fc.integer({ min: 0, max: 99 }) }),
      fc.record({ k: fc.constant("fail" as const) }),
      fc.record({ k: fc.constant("has" as const), key: fc.constantFrom("a" as const, "missing" as const) }),
      fc.record({ k: fc.constant("break" as const), up: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ k: fc.constant("blocks" as const), blocks: fc.array(fc.array(tie("node") as fc.Arbitrary<Node>, { maxLength: 4 }), { minLength: 1, maxLength: 3 }) }),
      fc.record({ k: fc.constant("not" as const), body: fc.array(tie("node") as fc.Arbitrary<Node>, { maxLength: 4 }) }),
      fc.record({ k: fc.constant("scan" as const), body: fc.array(tie("node") as fc.Arbitrary<Node>, { maxLength: 4 }) }),
      fc.record({ k: fc.constant("with" as const), body: fc.array(tie("node") as fc.Arbitrary<Node>, { maxLength: 4 }) }),
    ),
  }));
  return fc.array(fc.array(node, { maxLength: 5 }), { minLength: 1, maxLength: 3 });
}

/** Clamps break targets to the IR blocks actually open at that point. */
function clampBreaks(nodes: Node[], depth: number): Node[] {
  return nodes.map((n): Node => {
    switch (n.k) {
      case "break":
        return { k: "break", up: Math.min(n.up, depth - 1) };
      case "blocks":
        return { k: "blocks", blocks: n.blocks.map((b) => clampBreaks(b, depth + 1)) };
      case "not":
      case "scan":
      case "with":
        return { ...n, body: clampBreaks(n.body, depth + 1) };
      default:
        return n;
    }
  });
}

// ---- reference interpreter ------------------------------------------------------------------

type Signal = { k: "ok" } | { k: "exit"; up: number };

function runBlock(nodes: Node[], trace: number[], input: { a?: number; xs: number[] }): Signal {
  for (const n of nodes) {
    const s = runNode(n, trace, input);
    if (s.k === "exit") return s.up === 0 ? { k: "ok" } : { k: "exit", up: s.up - 1 };
  }
  return { k: "ok" };
}

/** A block left by "undefined" or `break 0` just ends; `exit up` leaves `up` more blocks. */
function runNode(n: Node, trace: number[], input: { a?: number; xs: number[] }): Signal {
  switch (n.k) {
    case "emit":
      trace.push(n.n);
      return { k: "ok" };
    case "fail":
      return { k: "exit", up: 0 };
    case "has":
      return n.key === "a" && input.a !== undefined ? { k: "ok" } : { k: "exit", up: 0 };
    case "break":
      return { k: "exit", up: n.up };
    case "blocks":
      for (const b of n.blocks) {
        const s = runBlockTracked(b, trace, input);
        if (s.k === "exit") return s;
      }
      return { k: "ok" };
    case "not": {
      const s = runBlockTracked(n.body, trace, input, true);
      if (s.k === "exit") return s;
      return s.completed ? { k: "exit", up: 0 } : { k: "ok" };
    }
    case "scan":
      for (const x of input.xs) {
        trace.push(1000 + x);
        const s = runBlockTracked(n.body, trace, input);
        if (s.k === "exit") return s;
      }
      return { k: "ok" };
    case "with": {
      const s = runBlockTracked(n.body, trace, { ...input, a: undefined });
      if (s.k === "exit") return s;
      return s.completed ? { k: "ok" } : { k: "exit", up: 0 };
    }
  }
}

/** Runs a nested IR block: "ok" with whether it ran to its end, or an exit past it. */
function runBlockTracked(
  nodes: Node[],
  trace: number[],
  input: { a?: number; xs: number[] },
  _not = false,
): { k: "ok"; completed: boolean } | { k: "exit"; up: number } {
  for (const n of nodes) {
    const s = runNode(n, trace, input);
    if (s.k === "exit") return s.up === 0 ? { k: "ok", completed: false } : { k: "exit", up: s.up - 1 };
  }
  return { k: "ok", completed: true };
}

// ---- IR encoding ----------------------------------------------------------------------------

function toIr(b: IrBuilder, nodes: Node[], next: { local: number }): Stmt[] {
  const out: Stmt[] = [];
  for (const n of nodes) {
    switch (n.k) {
      case "emit": {
        const t = next.local++;
        out.push({ type: "MakeNumberIntStmt", value: n.n, target: t }, { type: "ArrayAppendStmt", value: L(t), array: 2 });
        break;
      }
      case "fail":
        out.push({ type: "EqualStmt", a: B(true), b: B(false) });
        break;
      case "has":
        out.push({ type: "DotStmt", source: L(0), key: b.s(n.key), target: next.local++ });
        break;
      case "break":
        out.push({ type: "BreakStmt", index: n.up });
        break;
      case "blocks":
        out.push({ type: "BlockStmt", blocks: n.blocks.map((x): Block => ({ stmts: toIr(b, x, next) })) });
        break;
      case "not":
        out.push({ type: "NotStmt", block: { stmts: toIr(b, n.body, next) } });
        break;
      case "scan": {
        const [src, k, v, t] = [next.local++, next.local++, next.local++, next.local++];
        out.push({ type: "DotStmt", source: L(0), key: b.s("xs"), target: src });
        out.push({
          type: "ScanStmt",
          source: src,
          key: k,
          value: v,
          block: {
            stmts: [
              { type: "MakeNumberIntStmt", value: 1000, target: t },
              { type: "CallStmt", func: "plus", args: [L(t), L(v)], result: t },
              { type: "ArrayAppendStmt", value: L(t), array: 2 },
              ...toIr(b, n.body, next),
            ],
          },
        });
        break;
      }
      case "with": {
        // input replaced by {"xs": input.xs}: `has a` fails inside, scans still see xs
        const [obj, xs] = [next.local++, next.local++];
        out.push({ type: "MakeObjectStmt", target: obj }, { type: "DotStmt", source: L(0), key: b.s("xs"), target: xs });
        out.push({ type: "ObjectInsertStmt", key: b.s("xs"), value: L(xs), object: obj });
        out.push({ type: "WithStmt", local: 0, path: [], value: L(obj), block: { stmts: toIr(b, n.body, next) } });
        break;
      }
    }
  }
  return out;
}

test("random control flow agrees with the reference interpreter", () => {
  fc.assert(
    fc.property(arbProgram(), (raw) => {
      const program = raw.map((blk) => clampBreaks(blk, 1));
      const expected: number[] = [];
      for (const blk of program) runBlockTracked(blk, expected, { ...INPUT });
      const b = new IrBuilder();
      const next = { local: 10 };
      const blocks: Block[] = [{ stmts: [{ type: "MakeArrayStmt", capacity: 0, target: 2 }] }];
      for (const blk of program) blocks.push({ stmts: toIr(b, blk, next) });
      blocks.push({ stmts: [{ type: "MakeObjectStmt", target: 3 }, { type: "ObjectInsertStmt", key: b.s("result"), value: L(2), object: 3 }, { type: "ResultSetAddStmt", value: 3 }] });
      b.plans.push({ name: "p", blocks });
      const rs = b.load().evaluate(INPUT);
      assert.equal(rs, [{ result: expected }], JSON.stringify(program));
    }),
    { numRuns: 120, seed: 20261122 },
  );
});

test.run();

/**
 * The planner's intermediate representation: an imperative query plan in the shape of OPA's IR
 * (docs/docs/ir.md upstream). The planner (src/engine/plan/planner.ts) produces it from compiled
 * Rego; the Wasm back end (src/engine/wasm) turns it into a module on OPA's Wasm ABI.
 *
 * Execution model: a block runs its statements in order. A statement whose inputs are undefined or
 * whose condition fails is "undefined": control leaves the current block and continues after it.
 * `BreakStmt{index}` leaves the current block plus `index` enclosing blocks.
 * Locals are numbered; in every plan and function locals 0 and 1 hold `input` and `data`.
 *
 * Semantics the planner relies on (as in OPA's Wasm runtime):
 * - `BlockStmt` runs each of its blocks in turn; leaving one block (undefined or break 0) moves on
 *   to the next. Solutions live in nested blocks, so "the block ran to its end" is not "defined".
 * - Composite values are references: `DotStmt` yields the stored value itself, and the insert/add
 *   statements mutate their target in place, so a nested object fetched with `DotStmt` and then
 *   extended is extended inside its parent too (used to build objects for general ref heads).
 * - `CallStmt` to a planned function passes `input` first; it may be undefined (no input) and
 *   the function still runs. Other undefined arguments make the call undefined.
 * - A function planned under a `with` that replaces a rule or function by a value read from
 *   locals takes those values as extra trailing parameters (after its Rego arguments).
 */

export type Local = number;

export type Operand =
  | { type: "local"; value: Local }
  | { type: "bool"; value: boolean }
  /** An index into `Policy.static.strings`. */
  | { type: "string_index"; value: number };

export interface IrLocation { file: number; row: number; col: number }

export interface Block { stmts: Stmt[] }

interface StmtBase { loc?: IrLocation }

export type Stmt = StmtBase &
  (
    | { type: "ReturnLocalStmt"; source: Local }
    /** Calls a planned function (by name) or a built-in (by OPA name, e.g. `count`, `plus`). Undefined if the callee is. */
    | { type: "CallStmt"; func: string; args: Operand[]; result: Local }
    /** Calls a function whose path is computed at run time (`data.x[y](...)`); args include input and data. */
    | { type: "CallDynamicStmt"; args: Local[]; result: Local; path: Operand[] }
    | { type: "BlockStmt"; blocks: Block[] }
    | { type: "BreakStmt"; index: number }
    /** target = source[key]; undefined if source is not a collection or key is absent. */
    | { type: "DotStmt"; source: Operand; key: Operand; target: Local }
    | { type: "LenStmt"; source: Operand; target: Local }
    /** Runs `block` once per element of `source` with key and value bound; undefined on scalars. */
    | { type: "ScanStmt"; source: Local; key: Local; value: Local; block: Block }
    /** Defined iff `block` is undefined. */
    | { type: "NotStmt"; block: Block }
    | { type: "AssignIntStmt"; value: number; target: Local }
    | { type: "AssignVarStmt"; source: Operand; target: Local }
    /** Assigns once; a second assignment of a different value is a conflict error (complete rules). */
    | { type: "AssignVarOnceStmt"; source: Operand; target: Local }
    | { type: "ResetLocalStmt"; target: Local }
    | { type: "MakeNullStmt"; target: Local }
    | { type: "MakeNumberIntStmt"; value: number; target: Local }
    /** A number from the source text `static.strings[index]` (keeps big and decimal numbers exact). */
    | { type: "MakeNumberRefStmt"; index: number; target: Local }
    | { type: "MakeArrayStmt"; capacity: number; target: Local }
    | { type: "MakeObjectStmt"; target: Local }
    | { type: "MakeSetStmt"; target: Local }
    | { type: "EqualStmt"; a: Operand; b: Operand }
    | { type: "NotEqualStmt"; a: Operand; b: Operand }
    | { type: "IsArrayStmt"; source: Operand }
    | { type: "IsObjectStmt"; source: Operand }
    | { type: "IsSetStmt"; source: Operand }
    | { type: "IsDefinedStmt"; source: Local }
    | { type: "IsUndefinedStmt"; source: Local }
    | { type: "ArrayAppendStmt"; value: Operand; array: Local }
    | { type: "ObjectInsertStmt"; key: Operand; value: Operand; object: Local }
    /** Inserts; an existing key with a different value is a conflict error (partial objects). */
    | { type: "ObjectInsertOnceStmt"; key: Operand; value: Operand; object: Local }
    /**
     * target = a new object with the keys of a and b; where both hold an object under a key they
     * are merged recursively, otherwise a's value wins (the planner passes the base document as a).
     */
    | { type: "ObjectMergeStmt"; a: Local; b: Local; target: Local }
    | { type: "SetAddStmt"; value: Operand; set: Local }
    /**
     * Runs `block` with `local` replaced by a copy upserted with `value` at `path` (string indexes;
     * an empty path replaces the whole value; an undefined local upserts into an empty object).
     * The planner always targets a fresh copy of input/data, never locals 0 and 1 themselves.
     */
    | { type: "WithStmt"; local: Local; path: number[]; value: Operand; block: Block }
    | { type: "NopStmt" }
    /**
     * Coverage mode only (policyc's addition to OPA's IR): records that evaluation reached `loc`,
     * an expression about to be evaluated or a rule head whose body succeeded.
     */
    | { type: "CoverStmt"; loc: IrLocation }
    /** Adds `value` (an object of query-variable bindings) to the plan's result set. */
    | { type: "ResultSetAddStmt"; value: Local }
  );

export type StmtType = Stmt["type"];

/** A named entrypoint: `blocks` run in order, each ending in `ResultSetAddStmt`. */
export interface Plan { name: string; blocks: Block[] }

/** A planned function (one per rule group, function, or comprehension helper). */
export interface Func {
  name: string;
  /** The rule's data path, e.g. ["g0", "data", "test", "p"]; used for dynamic calls. */
  path: string[];
  params: Local[];
  return: Local;
  blocks: Block[];
}

export interface BuiltinDecl { name: string; arity: number; /** true: has no result (print-like). */ void?: boolean }

export interface Policy {
  static: {
    strings: { value: string }[];
    builtin_funcs: BuiltinDecl[];
    files: { value: string }[];
  };
  plans: { plans: Plan[] };
  funcs: { funcs: Func[] };
}

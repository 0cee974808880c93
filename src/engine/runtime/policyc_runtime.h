/*
 * policyc's WebAssembly runtime library: the authority for everything runtime.wasm exports.
 *
 * The Wasm back end (src/engine/wasm) appends generated code to the prebuilt runtime.wasm and calls
 * these functions by their export names (C name = export name). Values are opaque i32 addresses in
 * linear memory; the only layout fact generated code may rely on is "the byte at offset 0 of a value
 * is its type code" (OPA_NULL..OPA_SET) — the structs below are given for the runtime's own sources
 * and for tests, not as a promise to the back end.
 *
 * Imports (and nothing else): env.memory (no maximum, minimum 2 pages), env.opa_abort,
 * env.opa_println, env.opa_builtin0..4.
 *
 * Globals exported by the runtime (wasm globals, not linear memory):
 *   policyc_heap_base  mutable i32, initial value = the runtime's own __heap_base (16-aligned). The
 *                      back end places its data segments at that address and rewrites the initial
 *                      value past them (16-aligned). The bump allocator starts there on first use
 *                      and after every opa_heap_ptr_set.
 *   policyc_fuel       mutable i32, the evaluation budget left. Generated code decrements it at loop
 *                      back-edges and function entries and calls policyc_fuel_exhausted() when it
 *                      goes negative. opa_eval and opa_eval_ctx_new reset it to the budget set by
 *                      policyc_set_fuel (default 1,000,000,000), or to the first slice of it when
 *                      the host tick is on (policyc_set_tick).
 *   opa_wasm_abi_version = 1, opa_wasm_abi_minor_version = 2 (immutable i32).
 *   __heap_base        the runtime's own heap base (immutable; informational).
 *
 * Stubs the back end REPLACES (bodies only; they keep their function index, everything in the
 * runtime calls them through it): eval, builtins, entrypoints.
 *
 * Host fallbacks: a few natives (arithmetic on big or decimal numbers, lower/upper on non-ASCII,
 * format_int on big numbers, sum/product on overflow) call a host built-in named "policyc.<name>"
 * (listed per native as "host" in natives.json; sum and product use policyc.plus / policyc.mul). The runtime finds its id with
 * policyc_host_builtin_id, which looks the name up in the object returned by builtins() — so the back
 * end must list those host names in builtins() (with ids the JS side knows) whenever a module uses
 * the native; if the name is absent the native yields undefined.
 *
 * Errors: opa_abort(message) with NUL-terminated messages; runtime errors are prefixed with
 * "file:row:col: " when known (policyc_runtime_error). Memory exhaustion aborts with
 * "policyc: memory limit exceeded"; fuel exhaustion with "policyc: evaluation budget exceeded".
 */
#ifndef POLICYC_RUNTIME_H
#define POLICYC_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#define PC_EXPORT(name) __attribute__((export_name(#name)))

/* ---- value type codes (OPA's) ------------------------------------------------------------- */
#define OPA_NULL 1
#define OPA_BOOLEAN 2
#define OPA_NUMBER 3
#define OPA_STRING 4
#define OPA_ARRAY 5
#define OPA_OBJECT 6
#define OPA_SET 7

/* number representations */
#define PC_NUM_INT 1   /* int64 */
#define PC_NUM_FLOAT 2 /* f64 (finite) */
#define PC_NUM_REF 3   /* exact source text, e.g. "18446744073709551614" or "1.50" */

/* error codes of opa_value_add_path / opa_value_remove_path */
#define OPA_ERR_OK 0
#define OPA_ERR_INTERNAL 1
#define OPA_ERR_INVALID_TYPE 2
#define OPA_ERR_INVALID_PATH 3

typedef struct opa_value {
  uint8_t type;
} opa_value;

typedef struct {
  opa_value hdr;
  uint8_t v;
} opa_boolean_t;

typedef struct {
  opa_value hdr;
  uint8_t repr; /* PC_NUM_* */
  uint32_t len; /* PC_NUM_REF: text length */
  union {
    int64_t i;
    double f;
    const char *s;
  } u;
} opa_number_t;

typedef struct {
  opa_value hdr;
  uint32_t len; /* bytes (UTF-8) */
  const char *s; /* not NUL-terminated; may point into a data segment or the input buffer */
  uint32_t hash; /* cached opa_value_hash, 0 until computed (strings are immutable) */
} opa_string_t;

typedef struct {
  opa_value hdr;
  uint32_t len;
  uint32_t cap;
  opa_value **elems;
} opa_array_t;

/* Objects and sets share one table: entries in an array (sorted lazily by key in value order,
 * which is the iteration and dump order, as Go OPA iterates) plus hash buckets once large. */
typedef struct pc_entry {
  opa_value *key;
  opa_value *value; /* NULL for set elements */
  struct pc_entry *next; /* hash chain */
  uint32_t hash; /* valid when the table is hashed */
  uint32_t idx; /* position in entries[] (valid while sorted) */
} pc_entry;

typedef struct {
  opa_value hdr;
  uint8_t sorted;
  uint8_t hashed; /* entries' hash fields are valid (always once buckets exist) */
  uint32_t len;
  uint32_t cap;
  pc_entry **entries;
  pc_entry **buckets; /* NULL while small (linear scan) */
  uint32_t nbuckets;
  uint32_t iter_hint; /* index of the key last returned by opa_value_iter */
} opa_table_t;

/* ---- imports ------------------------------------------------------------------------------ */
__attribute__((import_module("env"), import_name("opa_abort"))) void opa_abort(const char *msg);
__attribute__((import_module("env"), import_name("opa_println"))) void opa_println(const char *msg);
__attribute__((import_module("env"), import_name("opa_builtin0"))) opa_value *opa_builtin0(int32_t id, void *ctx);
__attribute__((import_module("env"), import_name("opa_builtin1"))) opa_value *opa_builtin1(int32_t id, void *ctx, opa_value *a);
__attribute__((import_module("env"), import_name("opa_builtin2"))) opa_value *opa_builtin2(int32_t id, void *ctx, opa_value *a, opa_value *b);
__attribute__((import_module("env"), import_name("opa_builtin3"))) opa_value *opa_builtin3(int32_t id, void *ctx, opa_value *a, opa_value *b, opa_value *c);
__attribute__((import_module("env"), import_name("opa_builtin4"))) opa_value *opa_builtin4(int32_t id, void *ctx, opa_value *a, opa_value *b, opa_value *c, opa_value *d);

/* ---- stubs replaced by the back end ------------------------------------------------------- */
PC_EXPORT(eval) int32_t eval(void *ctx);
PC_EXPORT(builtins) opa_value *builtins(void);
PC_EXPORT(entrypoints) opa_value *entrypoints(void);

/* ---- heap (ABI) --------------------------------------------------------------------------- */
PC_EXPORT(opa_malloc) void *opa_malloc(size_t size);
PC_EXPORT(opa_free) void opa_free(void *ptr); /* no-op: bump heap */
PC_EXPORT(opa_heap_ptr_get) uintptr_t opa_heap_ptr_get(void);
PC_EXPORT(opa_heap_ptr_set) void opa_heap_ptr_set(uintptr_t ptr);

/* ---- JSON / Rego text (ABI) --------------------------------------------------------------- */
PC_EXPORT(opa_json_parse) opa_value *opa_json_parse(const char *str, size_t len);  /* strict JSON; 0 on error */
PC_EXPORT(opa_value_parse) opa_value *opa_value_parse(const char *str, size_t len); /* JSON + set literals, non-string keys */
PC_EXPORT(opa_json_dump) const char *opa_json_dump(opa_value *v);  /* NUL-terminated JSON, keys sorted, sets as sorted arrays */
PC_EXPORT(opa_value_dump) const char *opa_value_dump(opa_value *v); /* NUL-terminated Rego literal */

/* ---- paths (ABI) -------------------------------------------------------------------------- */
PC_EXPORT(opa_value_add_path) int32_t opa_value_add_path(opa_value *base, opa_value *path, opa_value *v);
PC_EXPORT(opa_value_remove_path) int32_t opa_value_remove_path(opa_value *base, opa_value *path);

/* ---- evaluation context (ABI); layout: input @0, data @4, result set @8, entrypoint @12 ----- */
typedef struct {
  opa_value *input;
  opa_value *data;
  opa_value *result;
  int32_t entrypoint;
} opa_eval_ctx_t;

PC_EXPORT(opa_eval_ctx_new) opa_eval_ctx_t *opa_eval_ctx_new(void);
PC_EXPORT(opa_eval_ctx_set_input) void opa_eval_ctx_set_input(opa_eval_ctx_t *ctx, opa_value *v);
PC_EXPORT(opa_eval_ctx_set_data) void opa_eval_ctx_set_data(opa_eval_ctx_t *ctx, opa_value *v);
PC_EXPORT(opa_eval_ctx_set_entrypoint) void opa_eval_ctx_set_entrypoint(opa_eval_ctx_t *ctx, int32_t id);
PC_EXPORT(opa_eval_ctx_get_result) opa_value *opa_eval_ctx_get_result(opa_eval_ctx_t *ctx);
/* ABI 1.2: heap := heap_ptr, parse input (len 0 = no input), eval, dump the result set
 * (format 0 = JSON, 1 = Rego value text). */
PC_EXPORT(opa_eval) const char *opa_eval(int32_t reserved, int32_t entrypoint, opa_value *data, const char *input,
                     size_t input_len, uintptr_t heap_ptr, int32_t format);

/* ---- constructors ------------------------------------------------------------------------- */
PC_EXPORT(opa_null) opa_value *opa_null(void);
PC_EXPORT(opa_boolean) opa_value *opa_boolean(int32_t b);
PC_EXPORT(opa_number_int) opa_value *opa_number_int(int64_t i);
PC_EXPORT(opa_number_ref) opa_value *opa_number_ref(const char *s, size_t len); /* exact; int64-range integers become PC_NUM_INT */
PC_EXPORT(opa_number_float) opa_value *opa_number_float(double f);
PC_EXPORT(opa_string) opa_value *opa_string(const char *s, size_t len); /* references s, no copy */
PC_EXPORT(opa_array_with_cap) opa_value *opa_array_with_cap(int32_t cap);
PC_EXPORT(opa_object) opa_value *opa_object(void);
PC_EXPORT(opa_set) opa_value *opa_set(void);

/* ---- accessors and operations ------------------------------------------------------------- */
PC_EXPORT(opa_value_type) int32_t opa_value_type(opa_value *v);
PC_EXPORT(opa_value_get) opa_value *opa_value_get(opa_value *v, opa_value *key); /* arrays: integer key; sets: key if member */
/* Element i of an array, 0 past its end: scans whose key is unused iterate arrays without making
 * a number value per element. */
PC_EXPORT(policyc_array_at) opa_value *policyc_array_at(opa_value *arr, int32_t i);
PC_EXPORT(opa_value_length) int32_t opa_value_length(opa_value *v);                 /* collections: size; strings: bytes; else 0 */
PC_EXPORT(opa_value_iter) opa_value *opa_value_iter(opa_value *v, opa_value *prev_key); /* first: prev_key 0; end: 0.
  Order: arrays by index (keys are numbers), objects and sets in key value order. */
PC_EXPORT(opa_value_compare) int32_t opa_value_compare(opa_value *a, opa_value *b); /* <0, 0, >0 in OPA's total order */
PC_EXPORT(opa_value_hash) uint32_t opa_value_hash(opa_value *v);                 /* equal values hash equal (1 and 1.0 too) */
PC_EXPORT(opa_boolean_value) int32_t opa_boolean_value(opa_value *v);
/* The inserts below ignore an undefined (0) key or value. */
PC_EXPORT(opa_array_append) void opa_array_append(opa_value *arr, opa_value *v);
PC_EXPORT(opa_object_insert) void opa_object_insert(opa_value *obj, opa_value *k, opa_value *v); /* replaces */
PC_EXPORT(policyc_object_insert_once) int32_t policyc_object_insert_once(opa_value *obj, opa_value *k, opa_value *v); /* 0 ok, 1 conflict */
PC_EXPORT(opa_set_add) void opa_set_add(opa_value *set, opa_value *v);
PC_EXPORT(policyc_object_merge) opa_value *policyc_object_merge(opa_value *a, opa_value *b); /* 0 if not both objects */
PC_EXPORT(policyc_value_upsert_path) opa_value *policyc_value_upsert_path(opa_value *base, opa_value *path, opa_value *v);
PC_EXPORT(opa_value_shallow_copy) opa_value *opa_value_shallow_copy(opa_value *v);

/* ---- host built-in bridge ----------------------------------------------------------------- */
PC_EXPORT(policyc_host_tag) opa_value *policyc_host_tag(opa_value *v);   /* sets -> {"$set":[...]}, odd objects -> {"$obj":[[k,v]...]}, inexact numbers -> {"$num":"text"} */
PC_EXPORT(policyc_host_untag) opa_value *policyc_host_untag(opa_value *v); /* the inverse; 0 stays 0 */
PC_EXPORT(policyc_host_builtin_id) int32_t policyc_host_builtin_id(const char *name); /* id of name in builtins(), or -1 */

/* Never called; keeps every env import in the module (the back end need not add imports). */
PC_EXPORT(policyc_link_imports) void policyc_link_imports(int32_t which);

/* ---- errors and limits -------------------------------------------------------------------- */
/* Aborts with "file:row:col: msg" (file may be NULL / row 0 for no location). */
PC_EXPORT(policyc_runtime_error) void policyc_runtime_error(const char *file, int32_t row, int32_t col, const char *msg);
PC_EXPORT(policyc_set_fuel) void policyc_set_fuel(int32_t budget);
/* 1: fuel exhaustion calls the host built-in "policyc.tick" (listed in every module's builtins()),
 * which refills policyc_fuel with the next slice of the budget or throws; 0 (default): it aborts. */
PC_EXPORT(policyc_set_tick) void policyc_set_tick(int32_t on);
PC_EXPORT(policyc_fuel_exhausted) void policyc_fuel_exhausted(void); /* the tick, else aborts "policyc: evaluation budget exceeded" */

/* ---- native built-ins: policyc_bi_<name>, see natives.json ------------------------------- */
/* Every native takes N value args and returns a value or 0 (undefined: wrong types or runtime
 * errors, as OPA's non-strict mode). */
#define PC_BI1(n) PC_EXPORT(policyc_bi_##n) opa_value *policyc_bi_##n(opa_value *a)
#define PC_BI2(n) PC_EXPORT(policyc_bi_##n) opa_value *policyc_bi_##n(opa_value *a, opa_value *b)
#define PC_BI3(n) PC_EXPORT(policyc_bi_##n) opa_value *policyc_bi_##n(opa_value *a, opa_value *b, opa_value *c)

PC_BI2(equal); PC_BI2(neq); PC_BI2(lt); PC_BI2(lte); PC_BI2(gt); PC_BI2(gte);
PC_BI2(plus); PC_BI2(minus); PC_BI2(mul); PC_BI2(div); PC_BI2(rem);
PC_BI1(abs); PC_BI1(round); PC_BI1(ceil); PC_BI1(floor);
PC_BI2(and); PC_BI2(or); PC_BI1(intersection); PC_BI1(union);
PC_BI1(count); PC_BI1(sum); PC_BI1(product); PC_BI1(max); PC_BI1(min); PC_BI1(sort);
PC_BI1(all); PC_BI1(any);
PC_BI1(is_number); PC_BI1(is_string); PC_BI1(is_boolean); PC_BI1(is_array); PC_BI1(is_set);
PC_BI1(is_object); PC_BI1(is_null); PC_BI1(type_name);
PC_BI2(array_concat); PC_BI3(array_slice); PC_BI1(array_reverse);
PC_BI3(object_get); PC_BI1(object_keys); PC_BI2(object_remove); PC_BI2(object_union);
PC_BI1(object_union_n); PC_BI2(object_filter);
PC_BI2(concat); PC_BI2(startswith); PC_BI2(endswith); PC_BI2(contains); PC_BI2(indexof);
PC_BI3(substring); PC_BI1(lower); PC_BI1(upper); PC_BI2(split); PC_BI3(replace);
PC_BI2(strings_replace_n); PC_BI1(strings_reverse);
PC_BI2(trim); PC_BI2(trim_left); PC_BI2(trim_right); PC_BI2(trim_prefix); PC_BI2(trim_suffix);
PC_BI1(trim_space);
PC_BI2(internal_member_2); PC_BI3(internal_member_3);
PC_BI2(numbers_range); PC_BI1(to_number); PC_BI2(format_int);
PC_BI1(walk); /* a relation: returns the array of every [path, value] solution */

#endif

/* The evaluation ABI (eval context, opa_eval), the stubs the back end replaces (eval, builtins,
 * entrypoints), and the bridge to host built-ins: tagging values so that sets, odd object keys and
 * inexact numbers survive the SDK's JSON round trip, and looking host ids up in builtins(). */
#include "internal.h"

void pc_fuel_reset(void);

/* The stubs are weak, never inlined, and clobber memory so that no caller can assume anything
 * about what the back end's replacement bodies do. */
__attribute__((weak, noinline)) int32_t eval(void *ctx) {
  __asm__ volatile("" ::"r"(ctx) : "memory");
  return 0;
}

__attribute__((weak, noinline)) opa_value *builtins(void) {
  __asm__ volatile("" ::: "memory");
  return opa_object();
}

__attribute__((weak, noinline)) opa_value *entrypoints(void) {
  __asm__ volatile("" ::: "memory");
  return opa_object();
}

opa_eval_ctx_t *opa_eval_ctx_new(void) {
  opa_eval_ctx_t *ctx = opa_malloc(sizeof(opa_eval_ctx_t));
  ctx->input = 0;
  ctx->data = 0;
  ctx->result = opa_set();
  ctx->entrypoint = 0;
  pc_fuel_reset();
  return ctx;
}

void opa_eval_ctx_set_input(opa_eval_ctx_t *ctx, opa_value *v) { ctx->input = v; }
void opa_eval_ctx_set_data(opa_eval_ctx_t *ctx, opa_value *v) { ctx->data = v; }
void opa_eval_ctx_set_entrypoint(opa_eval_ctx_t *ctx, int32_t id) { ctx->entrypoint = id; }
opa_value *opa_eval_ctx_get_result(opa_eval_ctx_t *ctx) { return ctx->result; }

const char *opa_eval(int32_t reserved, int32_t entrypoint, opa_value *data, const char *input,
                     size_t input_len, uintptr_t heap_ptr, int32_t format) {
  (void)reserved;
  opa_heap_ptr_set(heap_ptr);
  opa_eval_ctx_t *ctx = opa_eval_ctx_new();
  ctx->data = data;
  ctx->entrypoint = entrypoint;
  if (input && input_len) {
    ctx->input = opa_json_parse(input, input_len);
    if (!ctx->input) pc_abort("opa_eval: failed to parse input");
  }
  eval(ctx);
  return format == 1 ? opa_value_dump(ctx->result) : opa_json_dump(ctx->result);
}

/* ---- host bridge ----------------------------------------------------------------------------- */

static opa_value *tag_pair(const char *tag, opa_value *v) {
  opa_value *o = opa_object();
  opa_object_insert(o, pc_cstring(tag), v);
  return o;
}

static opa_value *number_text(opa_value *v) {
  pc_buf b;
  pc_buf_init(&b, 32);
  pc_dump_number(&b, v);
  return opa_string(b.buf, b.len);
}

static int plain_key(opa_value *k) {
  return k->type == OPA_STRING && !(PC_STR(k)->len && PC_STR(k)->s[0] == '$');
}

opa_value *policyc_host_tag(opa_value *v) {
  if (!v) return 0;
  switch (v->type) {
  case OPA_NUMBER: return pc_number_js_exact(v) ? v : tag_pair("$num", number_text(v));
  case OPA_ARRAY: {
    opa_array_t *a = PC_ARR(v);
    opa_value *r = 0;
    for (uint32_t i = 0; i < a->len; i++) {
      opa_value *t = policyc_host_tag(a->elems[i]);
      if (t != a->elems[i] && !r) {
        r = opa_array_with_cap((int32_t)a->len);
        for (uint32_t j = 0; j < i; j++) opa_array_append(r, a->elems[j]);
      }
      if (r) opa_array_append(r, t);
    }
    return r ? r : v;
  }
  case OPA_SET: {
    opa_table_t *t = PC_TAB(v);
    pc_table_sort(t);
    opa_value *arr = opa_array_with_cap((int32_t)t->len);
    for (uint32_t i = 0; i < t->len; i++) opa_array_append(arr, policyc_host_tag(t->entries[i]->key));
    return tag_pair("$set", arr);
  }
  case OPA_OBJECT: {
    opa_table_t *t = PC_TAB(v);
    int odd = 0;
    for (uint32_t i = 0; i < t->len && !odd; i++) odd = !plain_key(t->entries[i]->key);
    if (odd) {
      pc_table_sort(t);
      opa_value *arr = opa_array_with_cap((int32_t)t->len);
      for (uint32_t i = 0; i < t->len; i++) {
        opa_value *pair = opa_array_with_cap(2);
        opa_array_append(pair, policyc_host_tag(t->entries[i]->key));
        opa_array_append(pair, policyc_host_tag(t->entries[i]->value));
        opa_array_append(arr, pair);
      }
      return tag_pair("$obj", arr);
    }
    opa_value *r = 0;
    for (uint32_t i = 0; i < t->len; i++) {
      opa_value *tv = policyc_host_tag(t->entries[i]->value);
      if (tv != t->entries[i]->value && !r) r = opa_value_shallow_copy(v);
      if (r) opa_object_insert(r, t->entries[i]->key, tv);
    }
    return r ? r : v;
  }
  }
  return v;
}

static int is_tag(opa_table_t *t, const char *name) {
  if (t->len != 1) return 0;
  opa_value *k = t->entries[0]->key;
  size_t n = pc_strlen(name);
  return k->type == OPA_STRING && PC_STR(k)->len == n && pc_memcmp(PC_STR(k)->s, name, n) == 0;
}

opa_value *policyc_host_untag(opa_value *v) {
  if (!v) return 0;
  switch (v->type) {
  case OPA_ARRAY: {
    opa_array_t *a = PC_ARR(v);
    for (uint32_t i = 0; i < a->len; i++) a->elems[i] = policyc_host_untag(a->elems[i]);
    return v;
  }
  case OPA_OBJECT: {
    opa_table_t *t = PC_TAB(v);
    opa_value *inner = t->len == 1 ? t->entries[0]->value : 0;
    if (is_tag(t, "$set") && inner->type == OPA_ARRAY) {
      opa_value *s = opa_set();
      for (uint32_t i = 0; i < PC_ARR(inner)->len; i++) opa_set_add(s, policyc_host_untag(PC_ARR(inner)->elems[i]));
      return s;
    }
    if (is_tag(t, "$obj") && inner->type == OPA_ARRAY) {
      opa_value *o = opa_object();
      for (uint32_t i = 0; i < PC_ARR(inner)->len; i++) {
        opa_value *pair = PC_ARR(inner)->elems[i];
        if (pair->type != OPA_ARRAY || PC_ARR(pair)->len != 2) return 0;
        opa_object_insert(o, policyc_host_untag(PC_ARR(pair)->elems[0]), policyc_host_untag(PC_ARR(pair)->elems[1]));
      }
      return o;
    }
    if (is_tag(t, "$num") && inner->type == OPA_STRING) {
      pc_decimal d;
      if (!pc_decimal_from_text(PC_STR(inner)->s, PC_STR(inner)->len, &d)) return 0;
      return opa_number_ref(PC_STR(inner)->s, PC_STR(inner)->len);
    }
    /* values are rewritten in place: the object was freshly parsed from the host's JSON */
    for (uint32_t i = 0; i < t->len; i++) t->entries[i]->value = policyc_host_untag(t->entries[i]->value);
    return v;
  }
  }
  return v;
}

#define HOST_CACHE 32
static struct {
  const char *name;
  int32_t id;
} host_cache[HOST_CACHE];
static int host_cache_len;

int32_t policyc_host_builtin_id(const char *name) {
  for (int i = 0; i < host_cache_len; i++)
    if (host_cache[i].name == name) return host_cache[i].id;
  opa_value *table = builtins();
  opa_value *idv = table && table->type == OPA_OBJECT ? opa_value_get(table, pc_cstring(name)) : 0;
  int64_t id;
  int32_t r = idv && pc_number_as_int(idv, &id) ? (int32_t)id : -1;
  if (host_cache_len < HOST_CACHE) {
    host_cache[host_cache_len].name = name;
    host_cache[host_cache_len].id = r;
    host_cache_len++;
  }
  return r;
}

opa_value *pc_host1(const char *name, opa_value *a) {
  int32_t id = policyc_host_builtin_id(name);
  if (id < 0) return 0;
  return policyc_host_untag(opa_builtin1(id, 0, policyc_host_tag(a)));
}

opa_value *pc_host2(const char *name, opa_value *a, opa_value *b) {
  int32_t id = policyc_host_builtin_id(name);
  if (id < 0) return 0;
  return policyc_host_untag(opa_builtin2(id, 0, policyc_host_tag(a), policyc_host_tag(b)));
}

/* Never called: referencing every env import keeps them all in the module, so the back end never
 * has to add an import (which would shift every function index in the runtime). */
void policyc_link_imports(int32_t which) {
  switch (which) {
  case 0: opa_println(""); break;
  case 1: opa_builtin0(0, 0); break;
  case 2: opa_builtin3(0, 0, 0, 0, 0); break;
  case 3: opa_builtin4(0, 0, 0, 0, 0, 0); break;
  }
}

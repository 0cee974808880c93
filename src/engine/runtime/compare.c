/* OPA's total order over values and a hash consistent with it.
 * null < boolean < number < string < array < object < set. Numbers compare by value across their
 * representations (int64, f64, exact text): exact decimal comparison whenever text is involved,
 * so 1 == 1.0 == 1e0 and big integers of any length order correctly. */
#include "internal.h"

static int cmp_i64(int64_t a, int64_t b) { return a < b ? -1 : a > b; }

static int float_vs_int(double f, int64_t i) {
  if (f >= 9223372036854775808.0) return 1;
  if (f < -9223372036854775808.0) return -1;
  int64_t t = (int64_t)f; /* trunc toward zero */
  if (t != i) return t < i ? -1 : 1;
  double frac = f - (double)t;
  return frac > 0 ? 1 : frac < 0 ? -1 : 0;
}

static int compare_numbers(opa_number_t *a, opa_number_t *b) {
  if (a->repr == PC_NUM_INT && b->repr == PC_NUM_INT) return cmp_i64(a->u.i, b->u.i);
  if (a->repr == PC_NUM_FLOAT && b->repr == PC_NUM_FLOAT) return a->u.f < b->u.f ? -1 : a->u.f > b->u.f;
  /* below 2^53 in magnitude the double's value and its shortest text order the same way */
  if (a->repr == PC_NUM_FLOAT && b->repr == PC_NUM_INT && __builtin_fabs(a->u.f) <= 9007199254740992.0)
    return float_vs_int(a->u.f, b->u.i);
  if (a->repr == PC_NUM_INT && b->repr == PC_NUM_FLOAT && __builtin_fabs(b->u.f) <= 9007199254740992.0)
    return -float_vs_int(b->u.f, a->u.i);
  uintptr_t mark = opa_heap_ptr_get();
  pc_decimal da, db;
  pc_decimal_from_number(&a->hdr, &da);
  pc_decimal_from_number(&b->hdr, &db);
  int r = pc_decimal_compare(&da, &db);
  opa_heap_ptr_set(mark); /* the digit buffers were scratch */
  return r;
}

static int compare_strings(opa_string_t *a, opa_string_t *b) {
  uint32_t n = a->len < b->len ? a->len : b->len;
  int c = pc_memcmp(a->s, b->s, n);
  if (c) return c;
  return a->len < b->len ? -1 : a->len > b->len;
}

int32_t opa_value_compare(opa_value *a, opa_value *b) {
  if (a == b) return 0;
  if (!a) return -1;
  if (!b) return 1;
  if (a->type != b->type) return a->type < b->type ? -1 : 1;
  switch (a->type) {
  case OPA_NULL: return 0;
  case OPA_BOOLEAN: return (int)((opa_boolean_t *)a)->v - (int)((opa_boolean_t *)b)->v;
  case OPA_NUMBER: return compare_numbers(PC_NUM(a), PC_NUM(b));
  case OPA_STRING: return compare_strings(PC_STR(a), PC_STR(b));
  case OPA_ARRAY: {
    opa_array_t *x = PC_ARR(a), *y = PC_ARR(b);
    uint32_t n = x->len < y->len ? x->len : y->len;
    for (uint32_t i = 0; i < n; i++) {
      int c = opa_value_compare(x->elems[i], y->elems[i]);
      if (c) return c;
    }
    return x->len < y->len ? -1 : x->len > y->len;
  }
  case OPA_OBJECT:
  case OPA_SET: {
    opa_table_t *x = PC_TAB(a), *y = PC_TAB(b);
    pc_table_sort(x);
    pc_table_sort(y);
    uint32_t n = x->len < y->len ? x->len : y->len;
    for (uint32_t i = 0; i < n; i++) {
      int c = opa_value_compare(x->entries[i]->key, y->entries[i]->key);
      if (c) return c;
      if (a->type == OPA_OBJECT) {
        c = opa_value_compare(x->entries[i]->value, y->entries[i]->value);
        if (c) return c;
      }
    }
    return x->len < y->len ? -1 : x->len > y->len;
  }
  }
  return 0;
}

/* ---- hashing --------------------------------------------------------------------------------- */

static uint32_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return (uint32_t)x;
}

static uint32_t fnv(uint32_t h, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

uint32_t pc_hash_bytes(const char *s, size_t n) {
  uint32_t h = 0x811c9dc5u ^ (uint32_t)n;
  while (n >= 4) {
    uint32_t w;
    __builtin_memcpy(&w, s, 4);
    h = (h ^ w) * 0x9e3779b1u;
    h ^= h >> 15;
    s += 4;
    n -= 4;
  }
  while (n--) h = (h ^ (unsigned char)*s++) * 16777619u;
  h ^= h >> 13;
  h *= 0x85ebca6bu;
  return h ^ (h >> 16);
}

static uint32_t hash_number(opa_number_t *n) {
  int64_t i;
  if (pc_number_as_int(&n->hdr, &i)) return mix64((uint64_t)i);
  uintptr_t mark = opa_heap_ptr_get();
  pc_decimal d;
  pc_decimal_from_number(&n->hdr, &d);
  /* one canonical form: integral values that fit int64 hash like the int64 fast path */
  uint32_t h = pc_decimal_to_int64(&d, &i) ? mix64((uint64_t)i)
                                           : fnv(2166136261u ^ (uint32_t)d.neg, d.digits, (size_t)d.n) ^ mix64((uint64_t)(int64_t)d.exp);
  opa_heap_ptr_set(mark);
  return h;
}

uint32_t opa_value_hash(opa_value *v) {
  switch (v->type) {
  case OPA_NULL: return 0x9e3779b9u;
  case OPA_BOOLEAN: return 0x7f4a7c15u + ((opa_boolean_t *)v)->v;
  case OPA_NUMBER: return hash_number(PC_NUM(v));
  case OPA_STRING: {
    /* lookups with the same key value (e.g. a constant in generated code) hash it once */
    opa_string_t *str = PC_STR(v);
    if (!str->hash) {
      uint32_t h = pc_hash_bytes(str->s, str->len);
      str->hash = h ? h : 1;
    }
    return str->hash;
  }
  case OPA_ARRAY: {
    uint32_t h = 0x12345u;
    for (uint32_t i = 0; i < PC_ARR(v)->len; i++) h = h * 31u + opa_value_hash(PC_ARR(v)->elems[i]);
    return h;
  }
  case OPA_OBJECT:
  case OPA_SET: {
    /* order-independent so that insertion order never matters */
    opa_table_t *t = PC_TAB(v);
    pc_table_hash_entries(t);
    uint32_t h = v->type == OPA_SET ? 0x5e7u : 0x0b1u;
    for (uint32_t i = 0; i < t->len; i++) {
      uint32_t x = t->entries[i]->hash;
      if (t->entries[i]->value) x = x * 0x9e3779b1u ^ opa_value_hash(t->entries[i]->value);
      h += mix64(x);
    }
    return h;
  }
  }
  return 0;
}

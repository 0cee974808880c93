/* Native built-ins on collections: aggregates, types, sets, arrays, objects and membership (`in`). */
#include "internal.h"

static opa_value *no_elements[1];

/* elements of an array or set (sets in value order); 0 if neither */
static opa_value **elements(opa_value *v, uint32_t *n) {
  if (v->type == OPA_ARRAY) { *n = PC_ARR(v)->len; return PC_ARR(v)->len ? PC_ARR(v)->elems : no_elements; }
  if (v->type == OPA_SET) {
    opa_table_t *t = PC_TAB(v);
    pc_table_sort(t);
    opa_value **r = opa_malloc((t->len + 1) * sizeof(opa_value *));
    for (uint32_t i = 0; i < t->len; i++) r[i] = t->entries[i]->key;
    *n = t->len;
    return r;
  }
  return 0;
}

PC_NATIVE1(count) {
  switch (a->type) {
  case OPA_ARRAY: return opa_number_int(PC_ARR(a)->len);
  case OPA_OBJECT:
  case OPA_SET: return opa_number_int(PC_TAB(a)->len);
  case OPA_STRING: return opa_number_int(pc_utf8_count(PC_STR(a)->s, PC_STR(a)->len));
  }
  return 0;
}

static opa_value *extreme(opa_value *a, int sign) {
  uint32_t n;
  opa_value **e = elements(a, &n);
  if (!e || !n) return 0;
  opa_value *best = e[0];
  for (uint32_t i = 1; i < n; i++)
    if (opa_value_compare(e[i], best) * sign > 0) best = e[i];
  return best;
}

PC_NATIVE1(max) { return extreme(a, 1); }
PC_NATIVE1(min) { return extreme(a, -1); }

PC_NATIVE1(sort) {
  uint32_t n;
  opa_value **e = elements(a, &n);
  if (!e) return 0;
  opa_value *r = opa_array_with_cap((int32_t)n);
  if (n) pc_memcpy(PC_ARR(r)->elems, e, n * sizeof(opa_value *));
  PC_ARR(r)->len = n;
  if (a->type == OPA_ARRAY) pc_sort_values(PC_ARR(r)->elems, n);
  return r;
}

PC_NATIVE1(all) {
  uint32_t n;
  opa_value **e = elements(a, &n);
  if (!e) return 0;
  for (uint32_t i = 0; i < n; i++)
    if (e[i]->type != OPA_BOOLEAN || !((opa_boolean_t *)e[i])->v) return pc_false();
  return pc_true();
}

PC_NATIVE1(any) {
  uint32_t n;
  opa_value **e = elements(a, &n);
  if (!e) return 0;
  for (uint32_t i = 0; i < n; i++)
    if (e[i]->type == OPA_BOOLEAN && ((opa_boolean_t *)e[i])->v) return pc_true();
  return pc_false();
}

PC_NATIVE1(is_number) { return opa_boolean(a->type == OPA_NUMBER); }
PC_NATIVE1(is_string) { return opa_boolean(a->type == OPA_STRING); }
PC_NATIVE1(is_boolean) { return opa_boolean(a->type == OPA_BOOLEAN); }
PC_NATIVE1(is_array) { return opa_boolean(a->type == OPA_ARRAY); }
PC_NATIVE1(is_set) { return opa_boolean(a->type == OPA_SET); }
PC_NATIVE1(is_object) { return opa_boolean(a->type == OPA_OBJECT); }
PC_NATIVE1(is_null) { return opa_boolean(a->type == OPA_NULL); }

PC_NATIVE1(type_name) {
  static const char *names[] = {"", "null", "boolean", "number", "string", "array", "object", "set"};
  return pc_cstring(names[a->type]);
}

/* ---- sets ------------------------------------------------------------------------------------ */

opa_value *pc_set_diff(opa_value *a, opa_value *b) {
  opa_table_t *t = PC_TAB(a);
  opa_value *r = opa_set();
  for (uint32_t i = 0; i < t->len; i++)
    if (!pc_table_find(PC_TAB(b), t->entries[i]->key)) opa_set_add(r, t->entries[i]->key);
  return r;
}

static opa_value *set_and(opa_value *a, opa_value *b) {
  opa_table_t *t = PC_TAB(a);
  opa_value *r = opa_set();
  for (uint32_t i = 0; i < t->len; i++)
    if (pc_table_find(PC_TAB(b), t->entries[i]->key)) opa_set_add(r, t->entries[i]->key);
  return r;
}

static void set_add_all(opa_value *r, opa_value *s) {
  opa_table_t *t = PC_TAB(s);
  for (uint32_t i = 0; i < t->len; i++) opa_set_add(r, t->entries[i]->key);
}

PC_NATIVE2(and) {
  if (a->type != OPA_SET || b->type != OPA_SET) return 0;
  return set_and(a, b);
}

PC_NATIVE2(or) {
  if (a->type != OPA_SET || b->type != OPA_SET) return 0;
  opa_value *r = opa_set();
  set_add_all(r, a);
  set_add_all(r, b);
  return r;
}

PC_NATIVE1(intersection) {
  if (a->type != OPA_SET) return 0;
  opa_table_t *t = PC_TAB(a);
  for (uint32_t i = 0; i < t->len; i++)
    if (t->entries[i]->key->type != OPA_SET) return 0;
  if (!t->len) return opa_set();
  opa_value *r = t->entries[0]->key;
  for (uint32_t i = 1; i < t->len; i++) r = set_and(r, t->entries[i]->key);
  return t->len == 1 ? opa_value_shallow_copy(r) : r;
}

PC_NATIVE1(union) {
  if (a->type != OPA_SET) return 0;
  opa_table_t *t = PC_TAB(a);
  opa_value *r = opa_set();
  for (uint32_t i = 0; i < t->len; i++) {
    if (t->entries[i]->key->type != OPA_SET) return 0;
    set_add_all(r, t->entries[i]->key);
  }
  return r;
}

/* ---- arrays ---------------------------------------------------------------------------------- */

PC_NATIVE2(array_concat) {
  if (a->type != OPA_ARRAY || b->type != OPA_ARRAY) return 0;
  uint32_t n = PC_ARR(a)->len, m = PC_ARR(b)->len;
  opa_value *r = opa_array_with_cap((int32_t)(n + m));
  if (n) pc_memcpy(PC_ARR(r)->elems, PC_ARR(a)->elems, n * sizeof(opa_value *));
  if (m) pc_memcpy(PC_ARR(r)->elems + n, PC_ARR(b)->elems, m * sizeof(opa_value *));
  PC_ARR(r)->len = n + m;
  return r;
}

PC_NATIVE3(array_slice) {
  int64_t start, stop;
  if (a->type != OPA_ARRAY || !pc_number_as_int(b, &start) || !pc_number_as_int(c, &stop)) return 0;
  int64_t len = PC_ARR(a)->len;
  if (start < 0) start = 0;
  if (stop > len) stop = len;
  if (start >= stop) return opa_array_with_cap(0);
  opa_value *r = opa_array_with_cap((int32_t)(stop - start));
  pc_memcpy(PC_ARR(r)->elems, PC_ARR(a)->elems + start, (size_t)(stop - start) * sizeof(opa_value *));
  PC_ARR(r)->len = (uint32_t)(stop - start);
  return r;
}

PC_NATIVE1(array_reverse) {
  if (a->type != OPA_ARRAY) return 0;
  uint32_t n = PC_ARR(a)->len;
  opa_value *r = opa_array_with_cap((int32_t)n);
  for (uint32_t i = 0; i < n; i++) PC_ARR(r)->elems[i] = PC_ARR(a)->elems[n - 1 - i];
  PC_ARR(r)->len = n;
  return r;
}

/* ---- objects --------------------------------------------------------------------------------- */

PC_NATIVE3(object_get) {
  if (a->type != OPA_OBJECT) return 0;
  if (b->type == OPA_ARRAY) {
    opa_value *cur = a;
    for (uint32_t i = 0; i < PC_ARR(b)->len && cur; i++) cur = opa_value_get(cur, PC_ARR(b)->elems[i]);
    return cur ? cur : c;
  }
  opa_value *v = opa_value_get(a, b);
  return v ? v : c;
}

PC_NATIVE1(object_keys) {
  if (a->type != OPA_OBJECT) return 0;
  opa_table_t *t = PC_TAB(a);
  opa_value *r = pc_table_new(OPA_SET, t->len);
  for (uint32_t i = 0; i < t->len; i++) opa_set_add(r, t->entries[i]->key);
  return r;
}

/* the key collection of object.remove / object.filter: array, set or object (its keys) */
static opa_value *key_set(opa_value *keys) {
  if (keys->type == OPA_SET) return keys;
  if (keys->type == OPA_OBJECT) return policyc_bi_object_keys(keys);
  if (keys->type != OPA_ARRAY) return 0;
  opa_value *s = opa_set();
  for (uint32_t i = 0; i < PC_ARR(keys)->len; i++) opa_set_add(s, PC_ARR(keys)->elems[i]);
  return s;
}

static opa_value *filter_keys(opa_value *obj, opa_value *keys, int keep) {
  if (obj->type != OPA_OBJECT) return 0;
  opa_value *ks = key_set(keys);
  if (!ks) return 0;
  opa_table_t *t = PC_TAB(obj);
  opa_value *r = opa_object();
  for (uint32_t i = 0; i < t->len; i++) {
    int in = pc_table_find(PC_TAB(ks), t->entries[i]->key) != 0;
    if (in == keep) opa_object_insert(r, t->entries[i]->key, t->entries[i]->value);
  }
  return r;
}

PC_NATIVE2(object_remove) { return filter_keys(a, b, 0); }
PC_NATIVE2(object_filter) { return filter_keys(a, b, 1); }

/* b's values win; objects on both sides merge recursively */
static opa_value *union2(opa_value *a, opa_value *b) {
  opa_value *r = opa_value_shallow_copy(a);
  opa_table_t *tb = PC_TAB(b);
  for (uint32_t i = 0; i < tb->len; i++) {
    pc_entry *e = tb->entries[i];
    pc_entry *o = pc_table_find(PC_TAB(a), e->key);
    opa_value *v = e->value;
    if (o && o->value->type == OPA_OBJECT && v->type == OPA_OBJECT) v = union2(o->value, v);
    opa_object_insert(r, e->key, v);
  }
  return r;
}

PC_NATIVE2(object_union) {
  if (a->type != OPA_OBJECT || b->type != OPA_OBJECT) return 0;
  return union2(a, b);
}

PC_NATIVE1(object_union_n) {
  if (a->type != OPA_ARRAY) return 0;
  opa_value *r = opa_object();
  for (uint32_t i = 0; i < PC_ARR(a)->len; i++) {
    opa_value *o = PC_ARR(a)->elems[i];
    if (o->type != OPA_OBJECT) return 0;
    r = union2(r, o);
  }
  return r;
}

/* ---- membership (the `in` operator) ---------------------------------------------------------- */

PC_NATIVE2(internal_member_2) {
  switch (b->type) {
  case OPA_ARRAY:
    for (uint32_t i = 0; i < PC_ARR(b)->len; i++)
      if (opa_value_compare(PC_ARR(b)->elems[i], a) == 0) return pc_true();
    return pc_false();
  case OPA_SET: return opa_boolean(pc_table_find(PC_TAB(b), a) != 0);
  case OPA_OBJECT: {
    opa_table_t *t = PC_TAB(b);
    for (uint32_t i = 0; i < t->len; i++)
      if (opa_value_compare(t->entries[i]->value, a) == 0) return pc_true();
    return pc_false();
  }
  }
  return pc_false();
}

PC_NATIVE3(internal_member_3) {
  if (c->type == OPA_SET) return opa_boolean(pc_table_find(PC_TAB(c), a) && opa_value_compare(a, b) == 0);
  if (c->type == OPA_ARRAY || c->type == OPA_OBJECT) {
    opa_value *v = opa_value_get(c, a);
    return opa_boolean(v && opa_value_compare(v, b) == 0);
  }
  return pc_false();
}

/* ---- walk (a relation: the planner scans the array of solutions) ----------------------------- */

static void walk_into(opa_value *out, opa_value **path, uint32_t depth, uint32_t *cap, opa_value *v) {
  opa_value *p = opa_array_with_cap((int32_t)depth);
  for (uint32_t i = 0; i < depth; i++) opa_array_append(p, path[i]);
  opa_value *pair = opa_array_with_cap(2);
  opa_array_append(pair, p);
  opa_array_append(pair, v);
  opa_array_append(out, pair);
  if (v->type != OPA_ARRAY && v->type != OPA_OBJECT && v->type != OPA_SET) return;
  if (depth + 1 > *cap) pc_abort("policyc: walk nesting too deep");
  if (v->type == OPA_ARRAY) {
    for (uint32_t i = 0; i < PC_ARR(v)->len; i++) {
      path[depth] = pc_index_value(i);
      walk_into(out, path, depth + 1, cap, PC_ARR(v)->elems[i]);
    }
    return;
  }
  opa_table_t *t = PC_TAB(v);
  pc_table_sort(t);
  for (uint32_t i = 0; i < t->len; i++) {
    path[depth] = t->entries[i]->key;
    walk_into(out, path, depth + 1, cap, v->type == OPA_SET ? t->entries[i]->key : t->entries[i]->value);
  }
}

/* Nodes under v (v included), to size walk's result once instead of growing it by copies. */
static uint32_t walk_count(opa_value *v, uint32_t depth) {
  if (v->type != OPA_ARRAY && v->type != OPA_OBJECT && v->type != OPA_SET) return 1;
  if (depth >= 1000) return 1; /* walk_into reports the nesting */
  uint32_t n = 1;
  if (v->type == OPA_ARRAY) {
    for (uint32_t i = 0; i < PC_ARR(v)->len; i++) n += walk_count(PC_ARR(v)->elems[i], depth + 1);
    return n;
  }
  opa_table_t *t = PC_TAB(v);
  for (uint32_t i = 0; i < t->len; i++) n += walk_count(v->type == OPA_SET ? t->entries[i]->key : t->entries[i]->value, depth + 1);
  return n;
}

/* Every [path, value] pair of x, root first, children in key order (Go OPA's traversal order). */
PC_NATIVE1(walk) {
  uint32_t cap = 1000;
  opa_value **path = opa_malloc(cap * sizeof(opa_value *));
  opa_value *out = opa_array_with_cap((int32_t)walk_count(a, 0));
  walk_into(out, path, 0, &cap, a);
  return out;
}

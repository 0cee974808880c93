/* Value constructors, the object/set table, element access, iteration and structural updates.
 * Objects and sets keep entries in insertion order until someone needs them ordered (iteration,
 * dumps, comparisons); then they are sorted once by key, which is also Go OPA's iteration order. */
#include "internal.h"

static opa_value null_v = {OPA_NULL};
static opa_boolean_t true_v = {{OPA_BOOLEAN}, 1};
static opa_boolean_t false_v = {{OPA_BOOLEAN}, 0};

opa_value *opa_null(void) { return &null_v; }
opa_value *opa_boolean(int32_t b) { return b ? &true_v.hdr : &false_v.hdr; }
opa_value *pc_true(void) { return &true_v.hdr; }
opa_value *pc_false(void) { return &false_v.hdr; }

int32_t opa_boolean_value(opa_value *v) {
  return v && v->type == OPA_BOOLEAN ? ((opa_boolean_t *)v)->v : 0;
}

/* Numbers are immutable, so small integers (array indexes during iteration, counts) are shared
 * static values instead of heap allocations. */
#define PC_SMALL_INTS 256
static opa_number_t small_ints[PC_SMALL_INTS];

/* Array indices as values, shared for the whole evaluation: scanning an array (opa_value_iter) and
 * walk() need one per element, and allocating a fresh one each time made every scan of a large
 * array cost 24 bytes per element. Numbers are immutable, so sharing is safe; the pool lives on the
 * heap, so any heap reset (opa_heap_ptr_set) forgets it. */
static opa_value **index_pool;
static uint32_t index_pool_len, index_pool_cap;

void pc_index_pool_reset(void) {
  index_pool = 0;
  index_pool_len = index_pool_cap = 0;
}

opa_value *pc_index_value(uint32_t i) {
  if (i < PC_SMALL_INTS) return opa_number_int(i);
  if (i >= index_pool_len) {
    if (i >= index_pool_cap) {
      uint32_t ncap = index_pool_cap ? index_pool_cap * 2 : 1024;
      while (ncap <= i) ncap *= 2;
      index_pool = pc_realloc(index_pool, index_pool_cap * sizeof(opa_value *), ncap * sizeof(opa_value *));
      index_pool_cap = ncap;
    }
    while (index_pool_len <= i) {
      opa_number_t *n = opa_malloc(sizeof(opa_number_t));
      n->hdr.type = OPA_NUMBER;
      n->repr = PC_NUM_INT;
      n->u.i = index_pool_len;
      index_pool[index_pool_len++] = &n->hdr;
    }
  }
  return index_pool[i];
}

opa_value *opa_number_int(int64_t i) {
  if (i >= 0 && i < PC_SMALL_INTS) {
    opa_number_t *c = &small_ints[i];
    if (!c->hdr.type) {
      c->hdr.type = OPA_NUMBER;
      c->repr = PC_NUM_INT;
      c->u.i = i;
    }
    return &c->hdr;
  }
  opa_number_t *n = opa_malloc(sizeof(opa_number_t));
  n->hdr.type = OPA_NUMBER;
  n->repr = PC_NUM_INT;
  n->u.i = i;
  return &n->hdr;
}

opa_value *opa_number_float(double f) {
  /* up to 2^53 an integral double's shortest text is its exact integer */
  if (f == __builtin_trunc(f) && f >= -9007199254740992.0 && f <= 9007199254740992.0) return opa_number_int((int64_t)f);
  opa_number_t *n = opa_malloc(sizeof(opa_number_t));
  n->hdr.type = OPA_NUMBER;
  n->repr = PC_NUM_FLOAT;
  n->u.f = f;
  return &n->hdr;
}

opa_value *opa_number_ref(const char *s, size_t len) {
  int64_t i;
  if (pc_text_is_int64(s, len, &i)) return opa_number_int(i);
  opa_number_t *n = opa_malloc(sizeof(opa_number_t));
  n->hdr.type = OPA_NUMBER;
  n->repr = PC_NUM_REF;
  n->len = (uint32_t)len;
  n->u.s = s;
  return &n->hdr;
}

opa_value *opa_string(const char *s, size_t len) {
  opa_string_t *v = opa_malloc(sizeof(opa_string_t));
  v->hdr.type = OPA_STRING;
  v->len = (uint32_t)len;
  v->s = s;
  v->hash = 0;
  return &v->hdr;
}

opa_value *pc_string_copy(const char *s, size_t len) {
  char *c = opa_malloc(len ? len : 1);
  pc_memcpy(c, s, len);
  return opa_string(c, len);
}

opa_value *pc_cstring(const char *s) { return opa_string(s, pc_strlen(s)); }

opa_value *opa_array_with_cap(int32_t cap) {
  opa_array_t *a = opa_malloc(sizeof(opa_array_t));
  a->hdr.type = OPA_ARRAY;
  a->len = 0;
  a->cap = cap > 0 ? (uint32_t)cap : 0;
  a->elems = a->cap ? opa_malloc(a->cap * sizeof(opa_value *)) : 0;
  return &a->hdr;
}

void opa_array_append(opa_value *arr, opa_value *v) {
  if (!v) return; /* an undefined value is never an element */
  opa_array_t *a = PC_ARR(arr);
  if (a->len == a->cap) {
    uint32_t ncap = a->cap ? a->cap * 2 : 4;
    a->elems = pc_realloc(a->elems, a->cap * sizeof(opa_value *), ncap * sizeof(opa_value *));
    a->cap = ncap;
  }
  a->elems[a->len++] = v;
}

/* ---- tables ---------------------------------------------------------------------------------- */

#define PC_SMALL_TABLE 8

opa_value *pc_table_new(uint8_t type, uint32_t cap) {
  opa_table_t *t = opa_malloc(sizeof(opa_table_t));
  t->hdr.type = type;
  t->sorted = 1;
  t->hashed = 1;
  t->len = 0;
  t->cap = cap;
  t->entries = cap ? opa_malloc(cap * sizeof(pc_entry *)) : 0;
  t->buckets = 0;
  t->nbuckets = 0;
  t->iter_hint = 0;
  return &t->hdr;
}

opa_value *opa_object(void) { return pc_table_new(OPA_OBJECT, 0); }
opa_value *opa_set(void) { return pc_table_new(OPA_SET, 0); }

void pc_table_hash_entries(opa_table_t *t) {
  if (t->hashed) return;
  for (uint32_t i = 0; i < t->len; i++) t->entries[i]->hash = opa_value_hash(t->entries[i]->key);
  t->hashed = 1;
}

static void rehash(opa_table_t *t, uint32_t nb) {
  pc_table_hash_entries(t);
  t->buckets = opa_malloc(nb * sizeof(pc_entry *));
  pc_memset(t->buckets, 0, nb * sizeof(pc_entry *));
  t->nbuckets = nb;
  for (uint32_t i = 0; i < t->len; i++) {
    pc_entry *e = t->entries[i];
    uint32_t b = e->hash & (nb - 1);
    e->next = t->buckets[b];
    t->buckets[b] = e;
  }
}

static int same_key(opa_value *a, opa_value *b) {
  if (a == b) return 1;
  if (a->type == OPA_STRING && b->type == OPA_STRING)
    return PC_STR(a)->len == PC_STR(b)->len && pc_memcmp(PC_STR(a)->s, PC_STR(b)->s, PC_STR(a)->len) == 0;
  return a->type == b->type && opa_value_compare(a, b) == 0;
}

/* small tables: a linear scan, no hashing */
static pc_entry *find_linear(opa_table_t *t, opa_value *key) {
  for (uint32_t i = 0; i < t->len; i++)
    if (same_key(t->entries[i]->key, key)) return t->entries[i];
  return 0;
}

static pc_entry *find_hashed(opa_table_t *t, opa_value *key, uint32_t h) {
  for (pc_entry *e = t->buckets[h & (t->nbuckets - 1)]; e; e = e->next)
    if (e->hash == h && same_key(e->key, key)) return e;
  return 0;
}

pc_entry *pc_table_find(opa_table_t *t, opa_value *key) {
  if (!t->len) return 0;
  if (!t->buckets) return find_linear(t, key);
  return find_hashed(t, key, opa_value_hash(key));
}

pc_entry *pc_table_put(opa_table_t *t, opa_value *key, opa_value *value, int replace) {
  uint32_t h = 0;
  pc_entry *e;
  if (t->buckets) {
    h = opa_value_hash(key);
    e = find_hashed(t, key, h);
  } else {
    e = t->len ? find_linear(t, key) : 0;
  }
  if (e) {
    if (replace) e->value = value;
    return e;
  }
  e = opa_malloc(sizeof(pc_entry));
  e->key = key;
  e->value = value;
  e->hash = h;
  e->next = 0;
  if (t->len == t->cap) {
    uint32_t ncap = t->cap ? t->cap * 2 : 4;
    t->entries = pc_realloc(t->entries, t->cap * sizeof(pc_entry *), ncap * sizeof(pc_entry *));
    t->cap = ncap;
  }
  if (t->sorted && t->len && opa_value_compare(t->entries[t->len - 1]->key, key) > 0) t->sorted = 0;
  e->idx = t->len;
  t->entries[t->len++] = e;
  if (!t->buckets) t->hashed = 0; /* small tables hash lazily (pc_table_hash_entries) */
  if (t->buckets) {
    if (t->len > t->nbuckets) rehash(t, t->nbuckets * 2);
    else {
      uint32_t b = h & (t->nbuckets - 1);
      e->next = t->buckets[b];
      t->buckets[b] = e;
    }
  } else if (t->len > PC_SMALL_TABLE) {
    rehash(t, 32);
  }
  return e;
}

static void merge_sort_entries(pc_entry **a, pc_entry **tmp, uint32_t n) {
  if (n < 2) return;
  if (n <= 8) {
    for (uint32_t i = 1; i < n; i++) {
      pc_entry *x = a[i];
      uint32_t j = i;
      while (j > 0 && opa_value_compare(a[j - 1]->key, x->key) > 0) { a[j] = a[j - 1]; j--; }
      a[j] = x;
    }
    return;
  }
  uint32_t m = n / 2;
  merge_sort_entries(a, tmp, m);
  merge_sort_entries(a + m, tmp, n - m);
  if (opa_value_compare(a[m - 1]->key, a[m]->key) <= 0) return;
  pc_memcpy(tmp, a, m * sizeof(pc_entry *));
  uint32_t i = 0, j = m, k = 0;
  while (i < m && j < n) a[k++] = opa_value_compare(tmp[i]->key, a[j]->key) <= 0 ? tmp[i++] : a[j++];
  while (i < m) a[k++] = tmp[i++];
}

void pc_table_sort(opa_table_t *t) {
  if (t->sorted) return;
  pc_entry **tmp = opa_malloc((t->len / 2 + 1) * sizeof(pc_entry *));
  merge_sort_entries(t->entries, tmp, t->len);
  for (uint32_t i = 0; i < t->len; i++) t->entries[i]->idx = i;
  t->sorted = 1;
}

void pc_table_remove(opa_table_t *t, opa_value *key) {
  pc_entry *e = pc_table_find(t, key);
  if (!e) return;
  uint32_t i = 0;
  while (t->entries[i] != e) i++;
  for (; i + 1 < t->len; i++) {
    t->entries[i] = t->entries[i + 1];
    t->entries[i]->idx = i;
  }
  t->len--;
  if (t->buckets) {
    pc_entry **p = &t->buckets[e->hash & (t->nbuckets - 1)];
    while (*p != e) p = &(*p)->next;
    *p = e->next;
  }
}

static void merge_sort_values(opa_value **a, opa_value **tmp, uint32_t n) {
  if (n < 2) return;
  if (n <= 8) {
    for (uint32_t i = 1; i < n; i++) {
      opa_value *x = a[i];
      uint32_t j = i;
      while (j > 0 && opa_value_compare(a[j - 1], x) > 0) { a[j] = a[j - 1]; j--; }
      a[j] = x;
    }
    return;
  }
  uint32_t m = n / 2;
  merge_sort_values(a, tmp, m);
  merge_sort_values(a + m, tmp, n - m);
  if (opa_value_compare(a[m - 1], a[m]) <= 0) return;
  pc_memcpy(tmp, a, m * sizeof(opa_value *));
  uint32_t i = 0, j = m, k = 0;
  while (i < m && j < n) a[k++] = opa_value_compare(tmp[i], a[j]) <= 0 ? tmp[i++] : a[j++];
  while (i < m) a[k++] = tmp[i++];
}

void pc_sort_values(opa_value **vals, uint32_t n) {
  if (n < 2) return;
  opa_value **tmp = opa_malloc((n / 2 + 1) * sizeof(opa_value *));
  merge_sort_values(vals, tmp, n);
}

/* Undefined (0) keys or values are not inserted: e.g. a function's entry in a data document. */
void opa_object_insert(opa_value *obj, opa_value *k, opa_value *v) {
  if (k && v) pc_table_put(PC_TAB(obj), k, v, 1);
}

int32_t policyc_object_insert_once(opa_value *obj, opa_value *k, opa_value *v) {
  if (!k || !v) return 0;
  opa_table_t *t = PC_TAB(obj);
  uint32_t before = t->len;
  pc_entry *e = pc_table_put(t, k, v, 0);
  if (t->len == before && e->value != v && opa_value_compare(e->value, v) != 0) return 1;
  return 0;
}

void opa_set_add(opa_value *set, opa_value *v) {
  if (v) pc_table_put(PC_TAB(set), v, 0, 0);
}

/* ---- access ---------------------------------------------------------------------------------- */

int32_t opa_value_type(opa_value *v) { return v->type; }

opa_value *policyc_array_at(opa_value *arr, int32_t i) {
  if (arr->type != OPA_ARRAY || i < 0 || (uint32_t)i >= PC_ARR(arr)->len) return 0;
  return PC_ARR(arr)->elems[i];
}

opa_value *opa_value_get(opa_value *v, opa_value *key) {
  if (!v || !key) return 0;
  switch (v->type) {
  case OPA_OBJECT: {
    pc_entry *e = pc_table_find(PC_TAB(v), key);
    return e ? e->value : 0;
  }
  case OPA_ARRAY: {
    int64_t i;
    if (!pc_number_as_int(key, &i) || i < 0 || i >= PC_ARR(v)->len) return 0;
    return PC_ARR(v)->elems[i];
  }
  case OPA_SET: {
    pc_entry *e = pc_table_find(PC_TAB(v), key);
    return e ? e->key : 0;
  }
  }
  return 0;
}

int32_t opa_value_length(opa_value *v) {
  switch (v->type) {
  case OPA_ARRAY: return (int32_t)PC_ARR(v)->len;
  case OPA_OBJECT:
  case OPA_SET: return (int32_t)PC_TAB(v)->len;
  case OPA_STRING: return (int32_t)PC_STR(v)->len;
  }
  return 0;
}

opa_value *opa_value_iter(opa_value *v, opa_value *prev) {
  switch (v->type) {
  case OPA_ARRAY: {
    int64_t i = -1;
    if (prev && !pc_number_as_int(prev, &i)) return 0;
    i++;
    return i < PC_ARR(v)->len ? pc_index_value((uint32_t)i) : 0;
  }
  case OPA_OBJECT:
  case OPA_SET: {
    opa_table_t *t = PC_TAB(v);
    if (!t->len) return 0;
    pc_table_sort(t);
    uint32_t next;
    if (!prev) next = 0;
    else if (t->iter_hint < t->len && t->entries[t->iter_hint]->key == prev) next = t->iter_hint + 1;
    else {
      pc_entry *e = pc_table_find(t, prev);
      if (!e) return 0;
      next = e->idx + 1;
    }
    if (next >= t->len) return 0;
    t->iter_hint = next;
    return t->entries[next]->key;
  }
  }
  return 0;
}

/* ---- copies and structural updates ----------------------------------------------------------- */

opa_value *opa_value_shallow_copy(opa_value *v) {
  if (!v) return 0;
  switch (v->type) {
  case OPA_ARRAY: {
    opa_array_t *a = PC_ARR(v);
    opa_value *r = opa_array_with_cap((int32_t)a->len);
    pc_memcpy(PC_ARR(r)->elems, a->elems, a->len * sizeof(opa_value *));
    PC_ARR(r)->len = a->len;
    return r;
  }
  case OPA_OBJECT:
  case OPA_SET: {
    opa_table_t *t = PC_TAB(v);
    opa_value *r = pc_table_new(v->type, t->len);
    for (uint32_t i = 0; i < t->len; i++) pc_table_put(PC_TAB(r), t->entries[i]->key, t->entries[i]->value, 1);
    return r;
  }
  }
  return v;
}

opa_value *policyc_object_merge(opa_value *a, opa_value *b) {
  if (!a || !b || a->type != OPA_OBJECT || b->type != OPA_OBJECT) return 0;
  opa_table_t *ta = PC_TAB(a), *tb = PC_TAB(b);
  opa_value *r = pc_table_new(OPA_OBJECT, ta->len + tb->len);
  for (uint32_t i = 0; i < ta->len; i++) {
    pc_entry *e = ta->entries[i];
    pc_entry *o = pc_table_find(tb, e->key);
    opa_value *val = e->value;
    if (o && val->type == OPA_OBJECT && o->value->type == OPA_OBJECT) val = policyc_object_merge(val, o->value);
    pc_table_put(PC_TAB(r), e->key, val, 1);
  }
  for (uint32_t i = 0; i < tb->len; i++) {
    pc_entry *e = tb->entries[i];
    if (!pc_table_find(ta, e->key)) pc_table_put(PC_TAB(r), e->key, e->value, 1);
  }
  return r;
}

static opa_value *upsert(opa_value *base, opa_array_t *path, uint32_t i, opa_value *v) {
  if (i == path->len) return v;
  opa_value *key = path->elems[i];
  opa_value *copy;
  opa_value *child = 0;
  if (base && base->type == OPA_OBJECT) {
    copy = opa_value_shallow_copy(base);
    pc_entry *e = pc_table_find(PC_TAB(base), key);
    if (e) child = e->value;
  } else {
    copy = opa_object();
  }
  opa_object_insert(copy, key, upsert(child, path, i + 1, v));
  return copy;
}

opa_value *policyc_value_upsert_path(opa_value *base, opa_value *path, opa_value *v) {
  if (!path || path->type != OPA_ARRAY) return 0;
  return upsert(base, PC_ARR(path), 0, v);
}

int32_t opa_value_add_path(opa_value *base, opa_value *path, opa_value *v) {
  if (!base || !path || path->type != OPA_ARRAY) return OPA_ERR_INVALID_TYPE;
  opa_array_t *p = PC_ARR(path);
  if (p->len == 0) return OPA_ERR_INVALID_PATH;
  opa_value *cur = base;
  for (uint32_t i = 0; i + 1 < p->len; i++) {
    if (cur->type != OPA_OBJECT) return OPA_ERR_INVALID_PATH;
    opa_value *next = opa_value_get(cur, p->elems[i]);
    if (!next) {
      next = opa_object();
      opa_object_insert(cur, p->elems[i], next);
    }
    cur = next;
  }
  if (cur->type != OPA_OBJECT) return OPA_ERR_INVALID_PATH;
  opa_object_insert(cur, p->elems[p->len - 1], v);
  return OPA_ERR_OK;
}

int32_t opa_value_remove_path(opa_value *base, opa_value *path) {
  if (!base || !path || path->type != OPA_ARRAY) return OPA_ERR_INVALID_TYPE;
  opa_array_t *p = PC_ARR(path);
  if (p->len == 0) return OPA_ERR_INVALID_PATH;
  opa_value *cur = base;
  for (uint32_t i = 0; i + 1 < p->len; i++) {
    cur = cur->type == OPA_OBJECT ? opa_value_get(cur, p->elems[i]) : 0;
    if (!cur) return OPA_ERR_OK;
  }
  if (cur->type != OPA_OBJECT) return OPA_ERR_INVALID_PATH;
  pc_table_remove(PC_TAB(cur), p->elems[p->len - 1]);
  return OPA_ERR_OK;
}

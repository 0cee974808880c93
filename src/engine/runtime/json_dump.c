/* Serialisation: opa_json_dump (JSON as Go OPA prints it: object keys and set elements in value
 * order, sets as arrays, non-string keys as their JSON text in a string) and opa_value_dump (Rego
 * literal syntax). Strings escape only what JSON requires (", \, control characters) — not <, >, &
 * as Go's json.Marshal does; OPA's own Wasm runtime does the same and the SDK JSON.parses it. */
#include "internal.h"

void pc_buf_init(pc_buf *b, size_t cap) {
  b->buf = opa_malloc(cap);
  b->len = 0;
  b->cap = cap;
}

static void reserve(pc_buf *b, size_t extra) {
  if (b->len + extra <= b->cap) return;
  size_t ncap = b->cap * 2;
  while (ncap < b->len + extra) ncap *= 2;
  b->buf = pc_realloc(b->buf, b->cap, ncap);
  b->cap = ncap;
}

void pc_buf_put(pc_buf *b, const char *s, size_t n) {
  reserve(b, n);
  pc_memcpy(b->buf + b->len, s, n);
  b->len += n;
}

void pc_buf_putc(pc_buf *b, char c) {
  reserve(b, 1);
  b->buf[b->len++] = c;
}

const char *pc_buf_cstr(pc_buf *b) {
  pc_buf_putc(b, 0);
  return b->buf;
}

static const char hex[] = "0123456789abcdef";

static void put_string(pc_buf *b, const char *s, size_t n) {
  reserve(b, n + 2);
  b->buf[b->len++] = '"';
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    pc_buf_put(b, s + run, i - run);
    run = i + 1;
    char esc[6] = {'\\', 0, 0, 0, 0, 0};
    size_t el = 2;
    switch (c) {
    case '"': esc[1] = '"'; break;
    case '\\': esc[1] = '\\'; break;
    case '\n': esc[1] = 'n'; break;
    case '\r': esc[1] = 'r'; break;
    case '\t': esc[1] = 't'; break;
    case '\b': esc[1] = 'b'; break;
    case '\f': esc[1] = 'f'; break;
    default:
      esc[1] = 'u'; esc[2] = '0'; esc[3] = '0'; esc[4] = hex[c >> 4]; esc[5] = hex[c & 15];
      el = 6;
    }
    pc_buf_put(b, esc, el);
  }
  pc_buf_put(b, s + run, n - run);
  pc_buf_putc(b, '"');
}

static void dump(pc_buf *b, opa_value *v, int rego);

/* Go OPA turns such an object into a map[string]any, and encoding/json orders map keys by their
 * string form: so do we (this differs from value order only when a key is not a string). */
static void dump_stringified_object(pc_buf *b, opa_table_t *t) {
  uint32_t n = t->len;
  opa_value **keys = opa_malloc(n * sizeof(opa_value *));
  opa_value **pairs = opa_malloc(n * sizeof(opa_value *));
  for (uint32_t i = 0; i < n; i++) {
    opa_value *k = t->entries[i]->key;
    if (k->type != OPA_STRING) {
      pc_buf tmp;
      pc_buf_init(&tmp, 32);
      dump(&tmp, k, 0);
      k = opa_string(tmp.buf, tmp.len);
    }
    keys[i] = k;
  }
  /* insertion sort of indices by key bytes: objects with non-string keys are rare and small */
  for (uint32_t i = 0; i < n; i++) pairs[i] = (opa_value *)(uintptr_t)i;
  for (uint32_t i = 1; i < n; i++) {
    opa_value *x = pairs[i];
    uint32_t j = i;
    while (j > 0 && opa_value_compare(keys[(uintptr_t)pairs[j - 1]], keys[(uintptr_t)x]) > 0) { pairs[j] = pairs[j - 1]; j--; }
    pairs[j] = x;
  }
  pc_buf_putc(b, '{');
  for (uint32_t i = 0; i < n; i++) {
    uint32_t k = (uint32_t)(uintptr_t)pairs[i];
    if (i) pc_buf_putc(b, ',');
    put_string(b, PC_STR(keys[k])->s, PC_STR(keys[k])->len);
    pc_buf_putc(b, ':');
    dump(b, t->entries[k]->value, 0);
  }
  pc_buf_putc(b, '}');
}

static void dump(pc_buf *b, opa_value *v, int rego) {
  switch (v->type) {
  case OPA_NULL: pc_buf_put(b, "null", 4); return;
  case OPA_BOOLEAN:
    if (((opa_boolean_t *)v)->v) pc_buf_put(b, "true", 4);
    else pc_buf_put(b, "false", 5);
    return;
  case OPA_NUMBER: pc_dump_number(b, v); return;
  case OPA_STRING: put_string(b, PC_STR(v)->s, PC_STR(v)->len); return;
  case OPA_ARRAY: {
    opa_array_t *a = PC_ARR(v);
    pc_buf_putc(b, '[');
    for (uint32_t i = 0; i < a->len; i++) {
      if (i) rego ? pc_buf_put(b, ", ", 2) : pc_buf_putc(b, ',');
      dump(b, a->elems[i], rego);
    }
    pc_buf_putc(b, ']');
    return;
  }
  case OPA_OBJECT:
  case OPA_SET: {
    opa_table_t *t = PC_TAB(v);
    pc_table_sort(t);
    int set = v->type == OPA_SET;
    if (!set && !rego && t->len && (t->entries[0]->key->type != OPA_STRING || t->entries[t->len - 1]->key->type != OPA_STRING)) {
      dump_stringified_object(b, t);
      return;
    }
    if (set && rego && t->len == 0) { pc_buf_put(b, "set()", 5); return; }
    pc_buf_putc(b, set && !rego ? '[' : '{');
    for (uint32_t i = 0; i < t->len; i++) {
      if (i) rego ? pc_buf_put(b, ", ", 2) : pc_buf_putc(b, ',');
      if (set) dump(b, t->entries[i]->key, rego);
      else {
        dump(b, t->entries[i]->key, rego);
        rego ? pc_buf_put(b, ": ", 2) : pc_buf_putc(b, ':');
        dump(b, t->entries[i]->value, rego);
      }
    }
    pc_buf_putc(b, set && !rego ? ']' : '}');
    return;
  }
  }
}

/* Sorting allocates scratch memory; doing it all up front lets the output buffer grow in place. */
static void sort_deep(opa_value *v) {
  if (v->type == OPA_ARRAY)
    for (uint32_t i = 0; i < PC_ARR(v)->len; i++) sort_deep(PC_ARR(v)->elems[i]);
  else if (v->type == OPA_OBJECT || v->type == OPA_SET) {
    opa_table_t *t = PC_TAB(v);
    pc_table_sort(t);
    for (uint32_t i = 0; i < t->len; i++) {
      sort_deep(t->entries[i]->key);
      if (t->entries[i]->value) sort_deep(t->entries[i]->value);
    }
  }
}

void pc_dump_json(pc_buf *b, opa_value *v) { dump(b, v, 0); }

const char *opa_json_dump(opa_value *v) {
  pc_buf b;
  if (v) sort_deep(v);
  pc_buf_init(&b, 256);
  if (v) dump(&b, v, 0);
  return pc_buf_cstr(&b);
}

const char *opa_value_dump(opa_value *v) {
  pc_buf b;
  if (v) sort_deep(v);
  pc_buf_init(&b, 256);
  if (v) dump(&b, v, 1);
  return pc_buf_cstr(&b);
}

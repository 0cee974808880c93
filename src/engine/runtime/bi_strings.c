/* Native string built-ins with Go OPA's semantics: lengths and offsets count code points (runes),
 * trimming works on rune sets, and invalid UTF-8 bytes count as one rune each (as Go decodes them).
 * lower/upper handle ASCII here and ask the host (policyc.lower/upper) for anything else. */
#include "internal.h"

uint32_t pc_utf8_decode(const char *s, size_t len, size_t *adv) {
  const unsigned char *u = (const unsigned char *)s;
  unsigned char c = u[0];
  if (c < 0x80) { *adv = 1; return c; }
  if (c >= 0xc2 && c < 0xe0 && len >= 2 && (u[1] & 0xc0) == 0x80) {
    *adv = 2;
    return ((uint32_t)(c & 0x1f) << 6) | (u[1] & 0x3f);
  }
  if (c >= 0xe0 && c < 0xf0 && len >= 3 && (u[1] & 0xc0) == 0x80 && (u[2] & 0xc0) == 0x80) {
    uint32_t r = ((uint32_t)(c & 0x0f) << 12) | ((uint32_t)(u[1] & 0x3f) << 6) | (u[2] & 0x3f);
    if (r >= 0x800 && (r < 0xd800 || r > 0xdfff)) { *adv = 3; return r; }
  }
  if (c >= 0xf0 && c < 0xf5 && len >= 4 && (u[1] & 0xc0) == 0x80 && (u[2] & 0xc0) == 0x80 && (u[3] & 0xc0) == 0x80) {
    uint32_t r = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(u[1] & 0x3f) << 12) | ((uint32_t)(u[2] & 0x3f) << 6) | (u[3] & 0x3f);
    if (r >= 0x10000 && r <= 0x10ffff) { *adv = 4; return r; }
  }
  *adv = 1;
  return 0xfffd;
}

uint32_t pc_utf8_count(const char *s, size_t len) {
  uint32_t n = 0;
  size_t i = 0;
  while (i < len) {
    if ((unsigned char)s[i] < 0x80) { i++; n++; continue; }
    size_t adv;
    pc_utf8_decode(s + i, len - i, &adv);
    i += adv;
    n++;
  }
  return n;
}

/* byte offset of rune index r (or len if past the end) */
static size_t rune_offset(const char *s, size_t len, int64_t r) {
  size_t i = 0;
  while (r > 0 && i < len) {
    size_t adv;
    pc_utf8_decode(s + i, len - i, &adv);
    i += adv;
    r--;
  }
  return i;
}

#define S(v) PC_STR(v)->s
#define L(v) PC_STR(v)->len
#define IS_STR(v) ((v)->type == OPA_STRING)

static int has_prefix(opa_value *s, opa_value *p) { return L(p) <= L(s) && pc_memcmp(S(s), S(p), L(p)) == 0; }
static int has_suffix(opa_value *s, opa_value *p) { return L(p) <= L(s) && pc_memcmp(S(s) + L(s) - L(p), S(p), L(p)) == 0; }

/* byte index of needle in hay at or after from, or -1 */
static int64_t find(const char *h, size_t hl, const char *n, size_t nl, size_t from) {
  if (nl == 0) return from <= hl ? (int64_t)from : -1;
  if (nl > hl) return -1;
  char first = n[0];
  for (size_t i = from; i + nl <= hl; i++)
    if (h[i] == first && pc_memcmp(h + i, n, nl) == 0) return (int64_t)i;
  return -1;
}

PC_NATIVE2(startswith) { return IS_STR(a) && IS_STR(b) ? opa_boolean(has_prefix(a, b)) : 0; }
PC_NATIVE2(endswith) { return IS_STR(a) && IS_STR(b) ? opa_boolean(has_suffix(a, b)) : 0; }
PC_NATIVE2(contains) { return IS_STR(a) && IS_STR(b) ? opa_boolean(find(S(a), L(a), S(b), L(b), 0) >= 0) : 0; }

PC_NATIVE2(indexof) {
  if (!IS_STR(a) || !IS_STR(b)) return 0;
  if (L(b) == 0) return 0; /* Go OPA: "empty search character" error */
  int64_t i = find(S(a), L(a), S(b), L(b), 0);
  return opa_number_int(i < 0 ? -1 : (int64_t)pc_utf8_count(S(a), (size_t)i));
}

PC_NATIVE3(substring) {
  int64_t off, n;
  if (!IS_STR(a) || !pc_number_as_int(b, &off) || !pc_number_as_int(c, &n)) return 0;
  if (off < 0) return 0; /* negative offset: error */
  size_t start = rune_offset(S(a), L(a), off);
  if (start >= L(a)) return opa_string("", 0);
  size_t end = n < 0 ? L(a) : start + rune_offset(S(a) + start, L(a) - start, n);
  return opa_string(S(a) + start, end - start);
}

static opa_value *ascii_case(opa_value *a, int upper) {
  if (!IS_STR(a)) return 0;
  for (size_t i = 0; i < L(a); i++)
    if ((unsigned char)S(a)[i] >= 0x80) return pc_host1(upper ? "policyc.upper" : "policyc.lower", a);
  char *o = opa_malloc(L(a) ? L(a) : 1);
  for (size_t i = 0; i < L(a); i++) {
    char ch = S(a)[i];
    if (upper && ch >= 'a' && ch <= 'z') ch = (char)(ch - 32);
    if (!upper && ch >= 'A' && ch <= 'Z') ch = (char)(ch + 32);
    o[i] = ch;
  }
  return opa_string(o, L(a));
}

PC_NATIVE1(lower) { return ascii_case(a, 0); }
PC_NATIVE1(upper) { return ascii_case(a, 1); }

PC_NATIVE2(concat) {
  if (!IS_STR(a)) return 0;
  opa_value **e;
  uint32_t n;
  if (b->type == OPA_ARRAY) { e = PC_ARR(b)->elems; n = PC_ARR(b)->len; }
  else if (b->type == OPA_SET) {
    opa_table_t *t = PC_TAB(b);
    pc_table_sort(t);
    n = t->len;
    e = opa_malloc((n + 1) * sizeof(opa_value *));
    for (uint32_t i = 0; i < n; i++) e[i] = t->entries[i]->key;
  } else return 0;
  size_t total = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (!IS_STR(e[i])) return 0;
    total += L(e[i]) + (i ? L(a) : 0);
  }
  char *o = opa_malloc(total ? total : 1);
  size_t k = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (i) { pc_memcpy(o + k, S(a), L(a)); k += L(a); }
    pc_memcpy(o + k, S(e[i]), L(e[i]));
    k += L(e[i]);
  }
  return opa_string(o, k);
}

PC_NATIVE2(split) {
  if (!IS_STR(a) || !IS_STR(b)) return 0;
  opa_value *r = opa_array_with_cap(4);
  const char *s = S(a);
  size_t len = L(a);
  if (L(b) == 0) { /* Go: split into UTF-8 sequences */
    size_t i = 0;
    while (i < len) {
      size_t adv;
      pc_utf8_decode(s + i, len - i, &adv);
      opa_array_append(r, opa_string(s + i, adv));
      i += adv;
    }
    return r;
  }
  size_t from = 0;
  for (;;) {
    int64_t i = find(s, len, S(b), L(b), from);
    if (i < 0) break;
    opa_array_append(r, opa_string(s + from, (size_t)i - from));
    from = (size_t)i + L(b);
  }
  opa_array_append(r, opa_string(s + from, len - from));
  return r;
}

PC_NATIVE3(replace) {
  if (!IS_STR(a) || !IS_STR(b) || !IS_STR(c)) return 0;
  pc_buf out;
  pc_buf_init(&out, L(a) + 16);
  const char *s = S(a);
  size_t len = L(a);
  if (L(b) == 0) { /* Go: insert before every rune and at the end */
    size_t i = 0;
    while (i < len) {
      size_t adv;
      pc_utf8_decode(s + i, len - i, &adv);
      pc_buf_put(&out, S(c), L(c));
      pc_buf_put(&out, s + i, adv);
      i += adv;
    }
    pc_buf_put(&out, S(c), L(c));
    return opa_string(out.buf, out.len);
  }
  size_t from = 0;
  for (;;) {
    int64_t i = find(s, len, S(b), L(b), from);
    if (i < 0) break;
    pc_buf_put(&out, s + from, (size_t)i - from);
    pc_buf_put(&out, S(c), L(c));
    from = (size_t)i + L(b);
  }
  pc_buf_put(&out, s + from, len - from);
  return opa_string(out.buf, out.len);
}

/* Go's strings.NewReplacer with the pairs in key order: at each position the first matching old
 * string (in that order) wins; an empty old string matches where nothing else does. */
PC_NATIVE2(strings_replace_n) {
  if (a->type != OPA_OBJECT || !IS_STR(b)) return 0;
  opa_table_t *t = PC_TAB(a);
  pc_table_sort(t);
  opa_value *empty = 0;
  for (uint32_t k = 0; k < t->len; k++) {
    if (!IS_STR(t->entries[k]->key) || !IS_STR(t->entries[k]->value)) return 0;
    if (L(t->entries[k]->key) == 0 && !empty) empty = t->entries[k]->value;
  }
  pc_buf out;
  pc_buf_init(&out, L(b) + 16);
  const char *s = S(b);
  size_t len = L(b), i = 0;
  while (i <= len) {
    int matched = 0;
    for (uint32_t k = 0; k < t->len && i < len; k++) {
      opa_value *key = t->entries[k]->key;
      if (L(key) && L(key) <= len - i && pc_memcmp(s + i, S(key), L(key)) == 0) {
        pc_buf_put(&out, S(t->entries[k]->value), L(t->entries[k]->value));
        i += L(key);
        matched = 1;
        break;
      }
    }
    if (matched) continue;
    if (empty) pc_buf_put(&out, S(empty), L(empty));
    if (i == len) break;
    size_t adv = 1;
    if (empty) pc_utf8_decode(s + i, len - i, &adv);
    pc_buf_put(&out, s + i, adv);
    i += adv;
  }
  return opa_string(out.buf, out.len);
}

PC_NATIVE1(strings_reverse) {
  if (!IS_STR(a)) return 0;
  size_t len = L(a);
  char *o = opa_malloc(len ? len : 1);
  size_t i = 0;
  while (i < len) {
    size_t adv;
    pc_utf8_decode(S(a) + i, len - i, &adv);
    pc_memcpy(o + len - i - adv, S(a) + i, adv);
    i += adv;
  }
  return opa_string(o, len);
}

/* ---- trimming -------------------------------------------------------------------------------- */

static int in_cutset(uint32_t r, opa_value *cut) {
  size_t i = 0;
  while (i < L(cut)) {
    size_t adv;
    uint32_t c = pc_utf8_decode(S(cut) + i, L(cut) - i, &adv);
    if (c == r) return 1;
    i += adv;
  }
  return 0;
}

static int is_space(uint32_t r) {
  switch (r) {
  case '\t': case '\n': case '\v': case '\f': case '\r': case ' ': case 0x85: case 0xa0: case 0x1680:
  case 0x2028: case 0x2029: case 0x202f: case 0x205f: case 0x3000: return 1;
  }
  return r >= 0x2000 && r <= 0x200a;
}

/* last rune start before byte end */
static size_t rune_before(const char *s, size_t end) {
  size_t i = end - 1;
  while (i > 0 && end - i < 4 && ((unsigned char)s[i] & 0xc0) == 0x80) i--;
  size_t adv;
  pc_utf8_decode(s + i, end - i, &adv);
  return i + adv == end ? i : end - 1;
}

static opa_value *trim_runes(opa_value *a, opa_value *cut, int left, int right) {
  size_t start = 0, end = L(a);
  const char *s = S(a);
  if (left)
    while (start < end) {
      size_t adv;
      uint32_t r = pc_utf8_decode(s + start, end - start, &adv);
      if (cut ? !in_cutset(r, cut) : !is_space(r)) break;
      start += adv;
    }
  if (right)
    while (end > start) {
      size_t p = rune_before(s, end);
      size_t adv;
      uint32_t r = pc_utf8_decode(s + p, end - p, &adv);
      if (cut ? !in_cutset(r, cut) : !is_space(r)) break;
      end = p;
    }
  return opa_string(s + start, end - start);
}

PC_NATIVE2(trim) { return IS_STR(a) && IS_STR(b) ? trim_runes(a, b, 1, 1) : 0; }
PC_NATIVE2(trim_left) { return IS_STR(a) && IS_STR(b) ? trim_runes(a, b, 1, 0) : 0; }
PC_NATIVE2(trim_right) { return IS_STR(a) && IS_STR(b) ? trim_runes(a, b, 0, 1) : 0; }
PC_NATIVE1(trim_space) { return IS_STR(a) ? trim_runes(a, 0, 1, 1) : 0; }

PC_NATIVE2(trim_prefix) {
  if (!IS_STR(a) || !IS_STR(b)) return 0;
  return has_prefix(a, b) ? opa_string(S(a) + L(b), L(a) - L(b)) : a;
}

PC_NATIVE2(trim_suffix) {
  if (!IS_STR(a) || !IS_STR(b)) return 0;
  return has_suffix(a, b) ? opa_string(S(a), L(a) - L(b)) : a;
}

/* Strict JSON parsing (opa_json_parse) and its Rego-literal extension (opa_value_parse: set
 * literals, set(), non-string object keys). Strings without escapes and number texts reference the
 * source bytes instead of copying them; the SDK never frees those buffers during an evaluation. */
#include "internal.h"

#define MAX_DEPTH 1000

#define KEY_CACHE 64

typedef struct {
  const char *s;
  const char *end;
  int rego;
  int depth;
  /* Object keys seen recently, by a hash of their bytes: documents repeat the same keys in every
   * object (Kubernetes lists), and sharing one immutable string value per key saves 16 bytes an
   * entry. */
  opa_value *keys[KEY_CACHE];
} parser;

static opa_value *shared_key(parser *p, opa_value *k) {
  opa_string_t *s = PC_STR(k);
  uint32_t h = s->len;
  for (uint32_t i = 0; i < s->len && i < 16; i++) h = h * 31u + (unsigned char)s->s[i];
  opa_value **slot = &p->keys[(h ^ (h >> 7)) % KEY_CACHE];
  opa_value *c = *slot;
  if (c && PC_STR(c)->len == s->len && pc_memcmp(PC_STR(c)->s, s->s, s->len) == 0) {
    pc_free_last(s, sizeof(opa_string_t));
    return c;
  }
  *slot = k;
  return k;
}

static void skip_ws(parser *p) {
  while (p->s < p->end) {
    char c = *p->s;
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') p->s++;
    else break;
  }
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static int read_hex4(const char *s, const char *end, uint32_t *out) {
  if (end - s < 4) return 0;
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) {
    int h = hexval(s[i]);
    if (h < 0) return 0;
    v = v * 16 + (uint32_t)h;
  }
  *out = v;
  return 1;
}

static size_t put_utf8(char *o, uint32_t c) {
  if (c < 0x80) { o[0] = (char)c; return 1; }
  if (c < 0x800) { o[0] = (char)(0xc0 | (c >> 6)); o[1] = (char)(0x80 | (c & 0x3f)); return 2; }
  if (c < 0x10000) {
    o[0] = (char)(0xe0 | (c >> 12));
    o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
    o[2] = (char)(0x80 | (c & 0x3f));
    return 3;
  }
  o[0] = (char)(0xf0 | (c >> 18));
  o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
  o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
  o[3] = (char)(0x80 | (c & 0x3f));
  return 4;
}

static opa_value *parse_string(parser *p) {
  const char *start = ++p->s; /* after the quote */
  const char *s = start;
  int escaped = 0;
  /* eight bytes at a time until one of them is '"', '\\' or a control character */
  while (p->end - s >= 8) {
    uint64_t x;
    __builtin_memcpy(&x, s, 8);
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
    uint64_t hit = ((q - ones) & ~q) | ((b - ones) & ~b) | ((x - ones * 0x20) & ~x);
    if (hit & high) break;
    s += 8;
  }
  while (s < p->end) {
    unsigned char c = (unsigned char)*s;
    if (c == '"') break;
    if (c < 0x20) return 0;
    if (c == '\\') {
      escaped = 1;
      s += 2;
      continue;
    }
    s++;
  }
  if (s >= p->end) return 0;
  if (!escaped) {
    p->s = s + 1;
    return opa_string(start, (size_t)(s - start));
  }
  /* decoded text is never longer than the escaped source */
  char *out = opa_malloc((size_t)(s - start) + 4);
  size_t o = 0;
  const char *q = start;
  while (q < s) {
    if (*q != '\\') { out[o++] = *q++; continue; }
    q++;
    char c = *q++;
    switch (c) {
    case '"': out[o++] = '"'; break;
    case '\\': out[o++] = '\\'; break;
    case '/': out[o++] = '/'; break;
    case 'b': out[o++] = '\b'; break;
    case 'f': out[o++] = '\f'; break;
    case 'n': out[o++] = '\n'; break;
    case 'r': out[o++] = '\r'; break;
    case 't': out[o++] = '\t'; break;
    case 'u': {
      uint32_t cp;
      if (!read_hex4(q, s, &cp)) return 0;
      q += 4;
      if (cp >= 0xd800 && cp < 0xdc00) {
        uint32_t lo;
        if (s - q >= 6 && q[0] == '\\' && q[1] == 'u' && read_hex4(q + 2, s, &lo) && lo >= 0xdc00 && lo < 0xe000) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          q += 6;
        } else cp = 0xfffd; /* unpaired surrogate, as Go decodes it */
      } else if (cp >= 0xdc00 && cp < 0xe000) cp = 0xfffd;
      o += put_utf8(out + o, cp);
      break;
    }
    default: return 0;
    }
  }
  p->s = s + 1;
  return opa_string(out, o);
}

static opa_value *parse_number(parser *p) {
  const char *start = p->s, *s = p->s, *end = p->end;
  if (s < end && *s == '-') s++;
  if (s >= end) return 0;
  if (*s == '0') s++;
  else if (*s >= '1' && *s <= '9') while (s < end && *s >= '0' && *s <= '9') s++;
  else return 0;
  int plain = 1;
  if (s < end && *s == '.') {
    plain = 0;
    s++;
    if (s >= end || *s < '0' || *s > '9') return 0;
    while (s < end && *s >= '0' && *s <= '9') s++;
  }
  if (s < end && (*s == 'e' || *s == 'E')) {
    plain = 0;
    s++;
    if (s < end && (*s == '+' || *s == '-')) s++;
    if (s >= end || *s < '0' || *s > '9') return 0;
    while (s < end && *s >= '0' && *s <= '9') s++;
  }
  p->s = s;
  size_t len = (size_t)(s - start);
  int64_t i;
  if (plain && pc_text_is_int64(start, len, &i)) return opa_number_int(i);
  opa_number_t *n = opa_malloc(sizeof(opa_number_t));
  n->hdr.type = OPA_NUMBER;
  n->repr = PC_NUM_REF;
  n->len = (uint32_t)len;
  n->u.s = start;
  return &n->hdr;
}

static int literal(parser *p, const char *word, size_t n) {
  if ((size_t)(p->end - p->s) < n || pc_memcmp(p->s, word, n) != 0) return 0;
  p->s += n;
  return 1;
}

static opa_value *parse_value(parser *p);

static opa_value *parse_array(parser *p) {
  p->s++;
  opa_value *arr = opa_array_with_cap(4);
  skip_ws(p);
  if (p->s < p->end && *p->s == ']') { p->s++; return arr; }
  for (;;) {
    opa_value *v = parse_value(p);
    if (!v) return 0;
    opa_array_append(arr, v);
    skip_ws(p);
    if (p->s >= p->end) return 0;
    if (*p->s == ',') { p->s++; continue; }
    if (*p->s == ']') { p->s++; return arr; }
    return 0;
  }
}

static opa_value *parse_object(parser *p) {
  p->s++;
  skip_ws(p);
  if (p->s < p->end && *p->s == '}') { p->s++; return opa_object(); }
  opa_value *coll = 0;
  int is_set = 0;
  for (;;) {
    skip_ws(p);
    opa_value *k;
    if (p->rego) k = parse_value(p);
    else {
      k = p->s < p->end && *p->s == '"' ? parse_string(p) : 0;
      if (k) k = shared_key(p, k);
    }
    if (!k) return 0;
    skip_ws(p);
    if (p->s >= p->end) return 0;
    if (!coll) {
      is_set = p->rego && *p->s != ':';
      coll = is_set ? opa_set() : opa_object();
    }
    if (is_set) opa_set_add(coll, k);
    else {
      if (*p->s != ':') return 0;
      p->s++;
      opa_value *v = parse_value(p);
      if (!v) return 0;
      opa_object_insert(coll, k, v);
      skip_ws(p);
      if (p->s >= p->end) return 0;
    }
    if (*p->s == ',') { p->s++; continue; }
    if (*p->s == '}') { p->s++; return coll; }
    return 0;
  }
}

static opa_value *parse_value(parser *p) {
  skip_ws(p);
  if (p->s >= p->end) return 0;
  if (++p->depth > MAX_DEPTH) return 0;
  opa_value *r = 0;
  switch (*p->s) {
  case '{': r = parse_object(p); break;
  case '[': r = parse_array(p); break;
  case '"': r = parse_string(p); break;
  case 't': r = literal(p, "true", 4) ? opa_boolean(1) : 0; break;
  case 'f': r = literal(p, "false", 5) ? opa_boolean(0) : 0; break;
  case 'n': r = literal(p, "null", 4) ? opa_null() : 0; break;
  case 's': r = p->rego && literal(p, "set()", 5) ? opa_set() : 0; break;
  default: r = parse_number(p); break;
  }
  p->depth--;
  return r;
}

static opa_value *parse_all(const char *str, size_t len, int rego) {
  parser p = {str, str + len, rego, 0, {0}};
  uintptr_t mark = opa_heap_ptr_get();
  opa_value *v = parse_value(&p);
  if (v) {
    skip_ws(&p);
    if (p.s == p.end) return v;
  }
  opa_heap_ptr_set(mark);
  return 0;
}

opa_value *opa_json_parse(const char *str, size_t len) { return parse_all(str, len, 0); }
opa_value *opa_value_parse(const char *str, size_t len) { return parse_all(str, len, 1); }

/* Number representations: int64 fast path, finite f64, and exact source text for everything else
 * (big integers, decimals). Conversions to a canonical decimal give exact comparisons and hashes. */
#include "internal.h"

int pc_text_is_int64(const char *s, size_t len, int64_t *out) {
  size_t i = 0;
  int neg = 0;
  if (i < len && s[i] == '-') { neg = 1; i++; }
  if (i == len || len - i > 19) return 0;
  uint64_t v = 0;
  for (; i < len; i++) {
    unsigned d = (unsigned char)s[i] - '0';
    if (d > 9) return 0;
    v = v * 10 + d;
  }
  if (neg) {
    if (v > 9223372036854775808ULL || v == 0) return 0; /* "-0" stays text, as Go prints it */
    *out = (int64_t)(0 - v);
  } else {
    if (v > 9223372036854775807ULL) return 0;
    *out = (int64_t)v;
  }
  return 1;
}

int pc_decimal_to_int64(const pc_decimal *d, int64_t *out) {
  if (d->n == 0) { *out = 0; return 1; }
  if (d->exp < 0 || d->n + d->exp > 19) return 0;
  uint64_t x = 0;
  for (int32_t i = 0; i < d->n + d->exp; i++) {
    unsigned digit = i < d->n ? (unsigned)(d->digits[i] - '0') : 0;
    if (x > (UINT64_MAX - digit) / 10) return 0;
    x = x * 10 + digit;
  }
  if (d->neg) {
    if (x > 9223372036854775808ULL) return 0;
    *out = (int64_t)(0 - x);
  } else {
    if (x > 9223372036854775807ULL) return 0;
    *out = (int64_t)x;
  }
  return 1;
}

/* Doubles beyond 2^53 stand for their shortest decimal text (as Go OPA keeps numbers as text),
 * not for their exact binary value, so only smaller ones count as integers directly. */
#define PC_EXACT_DOUBLE_INT 9007199254740992.0

int pc_number_as_int(opa_value *v, int64_t *out) {
  if (!v || v->type != OPA_NUMBER) return 0;
  opa_number_t *n = PC_NUM(v);
  if (n->repr == PC_NUM_INT) { *out = n->u.i; return 1; }
  if (n->repr == PC_NUM_FLOAT) {
    double f = n->u.f;
    if (f != __builtin_trunc(f) || f < -PC_EXACT_DOUBLE_INT || f > PC_EXACT_DOUBLE_INT) return 0;
    *out = (int64_t)f;
    return 1;
  }
  /* text: integral values such as 1.0 or 1e3 still count when they fit */
  pc_decimal d;
  uintptr_t mark = opa_heap_ptr_get();
  int r = pc_decimal_from_text(n->u.s, n->len, &d) && pc_decimal_to_int64(&d, out);
  opa_heap_ptr_set(mark);
  return r;
}

/* Accepts JSON number syntax; also a leading '+', a bare '.5' or '5.' (Go's ParseFloat, for
 * to_number). The digits buffer is allocated on the heap. */
int pc_decimal_from_text(const char *s, size_t len, pc_decimal *d) {
  size_t i = 0;
  d->neg = 0;
  if (i < len && (s[i] == '-' || s[i] == '+')) { d->neg = s[i] == '-'; i++; }
  char *buf = opa_malloc(len + 1);
  int32_t n = 0, exp = 0, seen = 0;
  for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
    seen = 1;
    if (n == 0 && s[i] == '0') continue;
    buf[n++] = s[i];
  }
  if (i < len && s[i] == '.') {
    i++;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
      seen = 1;
      exp--;
      if (n == 0 && s[i] == '0') continue;
      buf[n++] = s[i];
    }
  }
  if (!seen) return 0;
  if (i < len && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    int eneg = 0, eseen = 0;
    if (i < len && (s[i] == '-' || s[i] == '+')) { eneg = s[i] == '-'; i++; }
    int32_t e = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
      eseen = 1;
      if (e < 100000000) e = e * 10 + (s[i] - '0');
    }
    if (!eseen) return 0;
    exp += eneg ? -e : e;
  }
  if (i != len) return 0;
  while (n > 0 && buf[n - 1] == '0') { n--; exp++; }
  if (n == 0) { exp = 0; d->neg = 0; }
  d->digits = buf;
  d->n = n;
  d->exp = exp;
  return 1;
}

void pc_decimal_from_number(opa_value *v, pc_decimal *d) {
  opa_number_t *n = PC_NUM(v);
  if (n->repr == PC_NUM_REF) {
    if (!pc_decimal_from_text(n->u.s, n->len, d)) { d->neg = 0; d->n = 0; d->exp = 0; d->digits = 0; }
    return;
  }
  if (n->repr == PC_NUM_FLOAT) {
    char *buf = opa_malloc(32);
    pc_double_shortest(n->u.f, d, buf);
    return;
  }
  int64_t i = n->u.i;
  uint64_t u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
  char tmp[24];
  int k = 0;
  while (u) { tmp[k++] = (char)('0' + u % 10); u /= 10; }
  char *buf = opa_malloc(24);
  int32_t exp = 0, start = 0;
  while (start < k && tmp[start] == '0') { start++; exp++; }
  int32_t m = 0;
  for (int j = k - 1; j >= start; j--) buf[m++] = tmp[j];
  d->neg = i < 0;
  d->digits = buf;
  d->n = m;
  d->exp = m ? exp : 0;
}

int pc_decimal_compare(const pc_decimal *a, const pc_decimal *b) {
  int sa = a->n == 0 ? 0 : a->neg ? -1 : 1;
  int sb = b->n == 0 ? 0 : b->neg ? -1 : 1;
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  /* same sign: compare magnitudes, then flip for negatives */
  int64_t ma = (int64_t)a->n + a->exp, mb = (int64_t)b->n + b->exp;
  int r;
  if (ma != mb) r = ma < mb ? -1 : 1;
  else {
    r = 0;
    int32_t n = a->n > b->n ? a->n : b->n;
    for (int32_t i = 0; i < n && !r; i++) {
      char x = i < a->n ? a->digits[i] : '0';
      char y = i < b->n ? b->digits[i] : '0';
      if (x != y) r = x < y ? -1 : 1;
    }
  }
  return sa < 0 ? -r : r;
}

/* JavaScript's Number::toString layout (also what Go's encoding/json uses for float64). */
size_t pc_decimal_format_js(const pc_decimal *d, char *out) {
  size_t o = 0;
  if (d->n == 0) { out[0] = '0'; return 1; }
  if (d->neg) out[o++] = '-';
  int32_t k = d->n, n = d->n + d->exp; /* value = 0.digits * 10^n */
  if (k <= n && n <= 21) {
    for (int32_t i = 0; i < k; i++) out[o++] = d->digits[i];
    for (int32_t i = k; i < n; i++) out[o++] = '0';
  } else if (0 < n && n <= 21) {
    for (int32_t i = 0; i < n; i++) out[o++] = d->digits[i];
    out[o++] = '.';
    for (int32_t i = n; i < k; i++) out[o++] = d->digits[i];
  } else if (-6 < n && n <= 0) {
    out[o++] = '0';
    out[o++] = '.';
    for (int32_t i = 0; i < -n; i++) out[o++] = '0';
    for (int32_t i = 0; i < k; i++) out[o++] = d->digits[i];
  } else {
    out[o++] = d->digits[0];
    if (k > 1) {
      out[o++] = '.';
      for (int32_t i = 1; i < k; i++) out[o++] = d->digits[i];
    }
    out[o++] = 'e';
    int32_t e = n - 1;
    out[o++] = e < 0 ? '-' : '+';
    uint32_t ue = e < 0 ? (uint32_t)-e : (uint32_t)e;
    char tmp[12];
    int t = 0;
    do { tmp[t++] = (char)('0' + ue % 10); ue /= 10; } while (ue);
    while (t) out[o++] = tmp[--t];
  }
  return o;
}

/* A decimal of at most 15 significant digits survives text -> double -> shortest text, so its JS
 * rendering is exactly the canonical decimal; the text is exact for JS iff it is that rendering. */
int pc_number_js_exact(opa_value *v) {
  opa_number_t *n = PC_NUM(v);
  if (n->repr == PC_NUM_FLOAT) return 1;
  if (n->repr == PC_NUM_INT) return n->u.i >= -9007199254740992LL && n->u.i <= 9007199254740992LL;
  uintptr_t mark = opa_heap_ptr_get();
  pc_decimal d;
  int r = 0;
  if (pc_decimal_from_text(n->u.s, n->len, &d) && d.n <= 15 && d.n + d.exp <= 300 && d.n + d.exp >= -300) {
    char *out = opa_malloc((size_t)d.n + 40 + (size_t)(d.exp < 0 ? -d.exp : d.exp));
    size_t len = pc_decimal_format_js(&d, out);
    r = len == n->len && pc_memcmp(out, n->u.s, len) == 0;
  }
  opa_heap_ptr_set(mark);
  return r;
}

void pc_dump_number(pc_buf *b, opa_value *v) {
  opa_number_t *n = PC_NUM(v);
  char tmp[40];
  if (n->repr == PC_NUM_INT) {
    int64_t i = n->u.i;
    uint64_t u = i < 0 ? 0 - (uint64_t)i : (uint64_t)i;
    int k = 0;
    do { tmp[k++] = (char)('0' + u % 10); u /= 10; } while (u);
    if (i < 0) pc_buf_putc(b, '-');
    char out[24];
    for (int j = 0; j < k; j++) out[j] = tmp[k - 1 - j];
    pc_buf_put(b, out, (size_t)k);
  } else if (n->repr == PC_NUM_REF) {
    pc_buf_put(b, n->u.s, n->len);
  } else {
    pc_decimal d;
    char digits[32];
    pc_double_shortest(n->u.f, &d, digits);
    char out[64];
    pc_buf_put(b, out, pc_decimal_format_js(&d, out));
  }
}

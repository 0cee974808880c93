/* Native built-ins on numbers and comparisons. Arithmetic runs natively on int64 values; anything
 * else (decimals, big integers, overflow, inexact division) is delegated to the host built-in
 * policyc.<name>, which computes with exact decimals as Go OPA does. */
#include "internal.h"

PC_NATIVE2(equal) { return opa_boolean(opa_value_compare(a, b) == 0); }
PC_NATIVE2(neq) { return opa_boolean(opa_value_compare(a, b) != 0); }
PC_NATIVE2(lt) { return opa_boolean(opa_value_compare(a, b) < 0); }
PC_NATIVE2(lte) { return opa_boolean(opa_value_compare(a, b) <= 0); }
PC_NATIVE2(gt) { return opa_boolean(opa_value_compare(a, b) > 0); }
PC_NATIVE2(gte) { return opa_boolean(opa_value_compare(a, b) >= 0); }

static int both_int(opa_value *a, opa_value *b, int64_t *x, int64_t *y) {
  return a->type == OPA_NUMBER && b->type == OPA_NUMBER && PC_NUM(a)->repr == PC_NUM_INT &&
         PC_NUM(b)->repr == PC_NUM_INT && (*x = PC_NUM(a)->u.i, *y = PC_NUM(b)->u.i, 1);
}

static int both_numbers(opa_value *a, opa_value *b) { return a->type == OPA_NUMBER && b->type == OPA_NUMBER; }

PC_NATIVE2(plus) {
  int64_t x, y, r;
  if (both_int(a, b, &x, &y) && !__builtin_add_overflow(x, y, &r)) return opa_number_int(r);
  return both_numbers(a, b) ? pc_host2("policyc.plus", a, b) : 0;
}

opa_value *pc_set_diff(opa_value *a, opa_value *b);

PC_NATIVE2(minus) {
  int64_t x, y, r;
  if (both_int(a, b, &x, &y) && !__builtin_sub_overflow(x, y, &r)) return opa_number_int(r);
  if (a->type == OPA_SET && b->type == OPA_SET) return pc_set_diff(a, b);
  return both_numbers(a, b) ? pc_host2("policyc.minus", a, b) : 0;
}

/* No 128-bit helpers in a freestanding wasm32 build (LLVM would call __multi3 for a checked
 * 64-bit multiply), so multiply magnitudes with 32-bit halves. */
static int mul_overflows(int64_t x, int64_t y, int64_t *r) {
  int neg = (x < 0) != (y < 0);
  uint64_t a = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
  uint64_t b = y < 0 ? 0 - (uint64_t)y : (uint64_t)y;
  if (a < b) { uint64_t t = a; a = b; b = t; }
  uint64_t m;
  if (b >> 32) return 1;
  uint64_t hi = (a >> 32) * b, lo = (a & 0xffffffffu) * b;
  if (hi >> 32) return 1;
  m = (hi << 32);
  if (m + lo < m) return 1;
  m += lo;
  if (neg) {
    if (m > 9223372036854775808ULL) return 1;
    *r = (int64_t)(0 - m);
  } else {
    if (m > 9223372036854775807ULL) return 1;
    *r = (int64_t)m;
  }
  return 0;
}

PC_NATIVE2(mul) {
  int64_t x, y, r;
  if (both_int(a, b, &x, &y) && !mul_overflows(x, y, &r)) return opa_number_int(r);
  return both_numbers(a, b) ? pc_host2("policyc.mul", a, b) : 0;
}

PC_NATIVE2(div) {
  int64_t x, y;
  if (both_int(a, b, &x, &y)) {
    if (y == 0) return 0; /* divide by zero: error -> undefined */
    if (!(x == INT64_MIN && y == -1) && x % y == 0) return opa_number_int(x / y);
  }
  if (both_numbers(a, b)) {
    int64_t z;
    if (pc_number_as_int(b, &z) && z == 0) return 0;
    return pc_host2("policyc.div", a, b);
  }
  return 0;
}

PC_NATIVE2(rem) {
  int64_t x, y;
  if (both_int(a, b, &x, &y)) {
    if (y == 0) return 0; /* modulo by zero */
    if (y == -1) return opa_number_int(0);
    return opa_number_int(x % y);
  }
  return both_numbers(a, b) ? pc_host2("policyc.rem", a, b) : 0;
}

typedef enum { ROUND, CEIL, FLOOR } rounding;

static opa_value *unary_int(opa_value *a, rounding mode, const char *host) {
  if (a->type != OPA_NUMBER) return 0;
  if (PC_NUM(a)->repr == PC_NUM_INT) return a;
  int64_t i;
  if (pc_number_as_int(a, &i)) return opa_number_int(i);
  if (PC_NUM(a)->repr == PC_NUM_FLOAT) {
    double f = PC_NUM(a)->u.f, r;
    if (mode == ROUND) r = f < 0 ? -__builtin_floor(-f + 0.5) : __builtin_floor(f + 0.5); /* half away from zero */
    else if (mode == CEIL) r = __builtin_ceil(f);
    else r = __builtin_floor(f);
    if (r >= -9007199254740992.0 && r <= 9007199254740992.0) return opa_number_int((int64_t)r);
  }
  return pc_host1(host, a);
}

PC_NATIVE1(round) { return unary_int(a, ROUND, "policyc.round"); }
PC_NATIVE1(ceil) { return unary_int(a, CEIL, "policyc.ceil"); }
PC_NATIVE1(floor) { return unary_int(a, FLOOR, "policyc.floor"); }

PC_NATIVE1(abs) {
  if (a->type != OPA_NUMBER) return 0;
  opa_number_t *n = PC_NUM(a);
  if (n->repr == PC_NUM_INT && n->u.i != INT64_MIN) return n->u.i < 0 ? opa_number_int(-n->u.i) : a;
  if (n->repr == PC_NUM_FLOAT) return opa_number_float(n->u.f < 0 ? -n->u.f : n->u.f);
  /* text (1.10, 1e3, big integers): OPA computes it as a big.Float and prints the result anew */
  return pc_host1("policyc.abs", a);
}

/* sum / product over an array or set: int64 while it lasts, then pairwise through the host's
 * exact policyc.plus / policyc.mul (so no extra host built-in is needed). */
static opa_value *fold(opa_value *a, int product) {
  opa_value **elems;
  uint32_t n;
  if (a->type == OPA_ARRAY) { elems = PC_ARR(a)->elems; n = PC_ARR(a)->len; }
  else if (a->type == OPA_SET) {
    opa_table_t *t = PC_TAB(a);
    pc_table_sort(t);
    n = t->len;
    elems = opa_malloc((n + 1) * sizeof(opa_value *));
    for (uint32_t i = 0; i < n; i++) elems[i] = t->entries[i]->key;
  } else return 0;
  for (uint32_t i = 0; i < n; i++)
    if (elems[i]->type != OPA_NUMBER) return 0;
  int64_t acc = product ? 1 : 0;
  uint32_t i = 0;
  for (; i < n; i++) {
    opa_value *e = elems[i];
    int64_t x = PC_NUM(e)->u.i, r;
    if (PC_NUM(e)->repr != PC_NUM_INT) break;
    if (product ? mul_overflows(acc, x, &r) : __builtin_add_overflow(acc, x, &r)) break;
    acc = r;
  }
  opa_value *res = opa_number_int(acc);
  for (; i < n && res; i++) res = pc_host2(product ? "policyc.mul" : "policyc.plus", res, elems[i]);
  return res;
}

PC_NATIVE1(sum) { return fold(a, 0); }
PC_NATIVE1(product) { return fold(a, 1); }

PC_NATIVE2(numbers_range) {
  int64_t x, y;
  if (!pc_number_as_int(a, &x) || !pc_number_as_int(b, &y)) return 0;
  uint64_t n = (x <= y ? (uint64_t)(y - x) : (uint64_t)(x - y)) + 1;
  if (n > 0x7fffffffu) pc_abort("policyc: memory limit exceeded");
  opa_value *arr = opa_array_with_cap((int32_t)n);
  int64_t step = x <= y ? 1 : -1;
  for (uint64_t i = 0; i < n; i++) opa_array_append(arr, opa_number_int(x + step * (int64_t)i));
  return arr;
}

/* Go's strconv.ParseFloat syntax (decimal only); the result keeps the text exactly, normalised to
 * JSON number syntax. */
PC_NATIVE1(to_number) {
  switch (a->type) {
  case OPA_NULL: return opa_number_int(0);
  case OPA_BOOLEAN: return opa_number_int(((opa_boolean_t *)a)->v);
  case OPA_NUMBER: return a;
  case OPA_STRING: break;
  default: return 0;
  }
  const char *s = PC_STR(a)->s;
  size_t len = PC_STR(a)->len;
  pc_decimal d;
  if (!len || !pc_decimal_from_text(s, len, &d)) return 0;
  if (d.n + d.exp > 309) return 0; /* out of float64 range: ParseFloat fails */
  int64_t i;
  size_t start = s[0] == '+' ? 1 : 0;
  if (pc_text_is_int64(s + start, len - start, &i)) return opa_number_int(i);
  /* rebuild as [-]digits[.digits] or digits e exp */
  char *out = opa_malloc((size_t)d.n + 32);
  size_t o = 0;
  if (d.n == 0) return opa_number_int(0);
  if (d.neg) out[o++] = '-';
  for (int32_t k = 0; k < d.n; k++) out[o++] = d.digits[k];
  if (d.exp) {
    out[o++] = 'e';
    int32_t e = d.exp;
    if (e < 0) { out[o++] = '-'; e = -e; }
    char tmp[12];
    int t = 0;
    do { tmp[t++] = (char)('0' + e % 10); e /= 10; } while (e);
    while (t) out[o++] = tmp[--t];
  }
  /* prefer the original text when it is already valid JSON */
  const char *p = s;
  size_t plen = len;
  int json_ok = p[0] != '+' && p[0] != '.' && !(p[0] == '-' && (plen < 2 || p[1] == '.'));
  for (size_t k = 0; k + 1 < plen && json_ok; k++)
    if (p[k] == '.' && (p[k + 1] < '0' || p[k + 1] > '9')) json_ok = 0;
  if (json_ok && p[plen - 1] == '.') json_ok = 0;
  size_t lead = p[0] == '-' ? 1 : 0;
  if (json_ok && plen > lead + 1 && p[lead] == '0' && p[lead + 1] >= '0' && p[lead + 1] <= '9') json_ok = 0;
  if (json_ok) return opa_number_ref(s, len);
  return opa_number_ref(out, o);
}

PC_NATIVE2(format_int) {
  int64_t base;
  if (a->type != OPA_NUMBER || !pc_number_as_int(b, &base)) return 0;
  if (base != 2 && base != 8 && base != 10 && base != 16) return 0;
  int64_t x;
  opa_number_t *n = PC_NUM(a);
  if (n->repr == PC_NUM_INT) x = n->u.i;
  else if (n->repr == PC_NUM_FLOAT && __builtin_fabs(n->u.f) <= 9007199254740992.0) x = (int64_t)n->u.f;
  else if (!pc_number_as_int(a, &x)) {
    /* exact text: truncate toward zero when the integer part fits */
    pc_decimal d;
    int32_t intdigits;
    if (n->repr != PC_NUM_REF || !pc_decimal_from_text(n->u.s, n->len, &d)) return 0;
    intdigits = d.n + d.exp;
    if (intdigits > 18) return pc_host2("policyc.format_int", a, b);
    x = 0;
    for (int32_t k = 0; k < intdigits; k++) x = x * 10 + (k < d.n ? d.digits[k] - '0' : 0);
    if (d.neg) x = -x;
  }
  uint64_t u = x < 0 ? 0 - (uint64_t)x : (uint64_t)x;
  char tmp[70];
  int k = 0;
  do { tmp[k++] = "0123456789abcdef"[u % (uint64_t)base]; u /= (uint64_t)base; } while (u);
  char *out = opa_malloc(72);
  size_t o = 0;
  if (x < 0) out[o++] = '-';
  while (k) out[o++] = tmp[--k];
  return opa_string(out, o);
}

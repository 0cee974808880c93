/* Shortest round-trip decimal digits of a finite double, computed exactly with a small bignum:
 * the shortest digit string that lies inside the double's rounding interval (as Go's strconv and
 * JavaScript print floats). Only used for values built by opa_number_float; speed is secondary. */
#include "internal.h"

#define BIG_WORDS 90

typedef struct {
  uint32_t w[BIG_WORDS];
  int n;
} big;

static void big_set(big *b, uint64_t v) {
  b->w[0] = (uint32_t)v;
  b->w[1] = (uint32_t)(v >> 32);
  b->n = b->w[1] ? 2 : b->w[0] ? 1 : 0;
}

static void big_mul_small(big *b, uint32_t m) {
  uint64_t carry = 0;
  for (int i = 0; i < b->n; i++) {
    uint64_t x = (uint64_t)b->w[i] * m + carry;
    b->w[i] = (uint32_t)x;
    carry = x >> 32;
  }
  if (carry) b->w[b->n++] = (uint32_t)carry;
}

static void big_shl(big *b, int k) {
  int words = k / 32, bits = k % 32;
  if (b->n == 0) return;
  if (bits) {
    uint32_t carry = 0;
    for (int i = 0; i < b->n; i++) {
      uint32_t x = b->w[i];
      b->w[i] = (x << bits) | carry;
      carry = x >> (32 - bits);
    }
    if (carry) b->w[b->n++] = carry;
  }
  if (words) {
    for (int i = b->n - 1; i >= 0; i--) b->w[i + words] = b->w[i];
    for (int i = 0; i < words; i++) b->w[i] = 0;
    b->n += words;
  }
}

/* destructive; writes most significant digit first, returns the digit count */
static int big_to_dec(big *b, char *out) {
  char tmp[900];
  int k = 0;
  while (b->n) {
    uint64_t rem = 0;
    for (int i = b->n - 1; i >= 0; i--) {
      uint64_t cur = (rem << 32) | b->w[i];
      b->w[i] = (uint32_t)(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    while (b->n && b->w[b->n - 1] == 0) b->n--;
    for (int j = 0; j < 9; j++) {
      tmp[k++] = (char)('0' + rem % 10);
      rem /= 10;
    }
  }
  while (k > 0 && tmp[k - 1] == '0') k--;
  for (int i = 0; i < k; i++) out[i] = tmp[k - 1 - i];
  return k;
}

/* exact decimal of x * 2^e into d (digits stored in buf) */
static void exact(uint64_t x, int e, pc_decimal *d, char *buf) {
  big b;
  big_set(&b, x);
  int32_t exp10 = 0;
  if (e >= 0) big_shl(&b, e);
  else {
    for (int k = -e; k > 0;) {
      int s = k > 13 ? 13 : k;
      uint32_t p = 1;
      for (int i = 0; i < s; i++) p *= 5;
      big_mul_small(&b, p);
      k -= s;
    }
    exp10 = e;
  }
  int n = big_to_dec(&b, buf);
  int32_t tz = 0;
  while (n > 0 && buf[n - 1] == '0') { n--; tz++; }
  d->neg = 0;
  d->digits = buf;
  d->n = n;
  d->exp = n ? exp10 + tz : 0;
}

static int inside(const pc_decimal *c, const pc_decimal *lo, const pc_decimal *hi, int inclusive) {
  int a = pc_decimal_compare(lo, c), b = pc_decimal_compare(c, hi);
  return inclusive ? a <= 0 && b <= 0 : a < 0 && b < 0;
}

/* p significant digits of mid: mode 0 nearest (half-even), -1 down, +1 up */
static void round_to(const pc_decimal *mid, int p, int mode, pc_decimal *c, char *buf) {
  int n = mid->n < p ? mid->n : p;
  for (int i = 0; i < n; i++) buf[i] = mid->digits[i];
  int32_t exp = mid->exp + (mid->n - n);
  int up = 0;
  if (n < mid->n) {
    if (mode > 0) up = 1;
    else if (mode == 0) {
      char r = mid->digits[n];
      if (r > '5') up = 1;
      else if (r == '5') up = (mid->n > n + 1) || ((buf[n - 1] - '0') & 1);
    }
  }
  if (up) {
    int i = n - 1;
    while (i >= 0 && buf[i] == '9') { buf[i] = '0'; i--; }
    if (i >= 0) buf[i]++;
    else {
      buf[0] = '1';
      for (int j = 1; j < n; j++) buf[j] = '0';
      exp++;
    }
  }
  while (n > 0 && buf[n - 1] == '0') { n--; exp++; }
  c->neg = 0;
  c->digits = buf;
  c->n = n;
  c->exp = n ? exp : 0;
}

void pc_double_shortest(double f, pc_decimal *d, char *out) {
  union { double f; uint64_t u; } bits = {f};
  int neg = (int)(bits.u >> 63);
  int be = (int)((bits.u >> 52) & 0x7ff);
  uint64_t m = bits.u & 0xfffffffffffffULL;
  if (be == 0 && m == 0) { d->neg = 0; d->n = 0; d->exp = 0; d->digits = out; return; }
  int e;
  if (be == 0) e = -1074;
  else { m |= 1ULL << 52; e = be - 1075; }
  char bm[800], bl[800], bh[800], bc[24];
  pc_decimal mid, lo, hi, c;
  int asym = m == (1ULL << 52) && be > 1;
  exact(4 * m, e - 2, &mid, bm);
  exact(4 * m + 2, e - 2, &hi, bh);
  exact(asym ? 4 * m - 1 : 4 * m - 2, e - 2, &lo, bl);
  int inclusive = (m & 1) == 0;
  for (int p = 1; p <= 17; p++) {
    round_to(&mid, p, 0, &c, bc);
    if (inside(&c, &lo, &hi, inclusive)) goto done;
    round_to(&mid, p, -1, &c, bc);
    if (inside(&c, &lo, &hi, inclusive)) goto done;
    round_to(&mid, p, 1, &c, bc);
    if (inside(&c, &lo, &hi, inclusive)) goto done;
  }
  round_to(&mid, 17, 0, &c, bc);
done:
  for (int i = 0; i < c.n; i++) out[i] = bc[i];
  d->neg = neg;
  d->digits = out;
  d->n = c.n;
  d->exp = c.exp;
}

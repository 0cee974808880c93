/* Freestanding memcpy/memset/memcmp: the runtime links no libc, and clang may emit calls to
 * memcpy/memset itself. Compiled with -fno-builtin so these loops are not turned back into calls. */
#include "internal.h"

void *memcpy(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  while (n >= 4 && (((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
    *(uint32_t *)d = *(const uint32_t *)s;
    d += 4; s += 4; n -= 4;
  }
  while (n--) *d++ = *s++;
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (d == s || n == 0) return dst;
  if (d < s) return memcpy(dst, src, n);
  while (n--) d[n] = s[n];
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  unsigned char *d = dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (size_t i = 0; i < n; i++)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

void *pc_memcpy(void *dst, const void *src, size_t n) { return memcpy(dst, src, n); }
void *pc_memmove(void *dst, const void *src, size_t n) { return memmove(dst, src, n); }
void pc_memset(void *dst, int c, size_t n) { memset(dst, c, n); }
int pc_memcmp(const void *a, const void *b, size_t n) { return memcmp(a, b, n); }
size_t pc_strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

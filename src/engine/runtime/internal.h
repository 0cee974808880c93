/* Helpers shared by the runtime's sources (not exported). */
#ifndef POLICYC_INTERNAL_H
#define POLICYC_INTERNAL_H

#include "policyc_runtime.h"

#define PC_NORETURN __attribute__((noreturn))

void *pc_memcpy(void *dst, const void *src, size_t n);
void *pc_memmove(void *dst, const void *src, size_t n);
void pc_memset(void *dst, int c, size_t n);
int pc_memcmp(const void *a, const void *b, size_t n);
size_t pc_strlen(const char *s);

PC_NORETURN void pc_abort(const char *msg);
/* Extends the most recent allocation in place when possible, else reallocates. */
void *pc_realloc(void *p, size_t old_size, size_t new_size);

/* typed views */
#define PC_STR(v) ((opa_string_t *)(v))
#define PC_NUM(v) ((opa_number_t *)(v))
#define PC_ARR(v) ((opa_array_t *)(v))
#define PC_TAB(v) ((opa_table_t *)(v))

opa_value *pc_true(void);
opa_value *pc_false(void);
opa_value *pc_cstring(const char *s); /* from a NUL-terminated literal */
opa_value *pc_string_copy(const char *s, size_t len);

/* tables (objects and sets) */
pc_entry *pc_table_find(opa_table_t *t, opa_value *key);
pc_entry *pc_table_put(opa_table_t *t, opa_value *key, opa_value *value, int replace);
void pc_table_sort(opa_table_t *t);
void pc_table_hash_entries(opa_table_t *t); /* small tables hash their keys only when needed */
uint32_t pc_hash_bytes(const char *s, size_t n);
void pc_table_remove(opa_table_t *t, opa_value *key);
opa_value *pc_table_new(uint8_t type, uint32_t cap);

/* sorting an array of values in place (stable merge sort) */
void pc_sort_values(opa_value **vals, uint32_t n);

/* numbers */
int pc_number_as_int(opa_value *v, int64_t *out); /* 1 if v is a number with an int64 integral value */
int pc_text_is_int64(const char *s, size_t len, int64_t *out);
/* canonical decimal: value = (neg ? -1 : 1) * digits * 10^exp, digits without leading/trailing zeros */
typedef struct {
  int neg;
  char *digits;
  int32_t n;
  int32_t exp;
} pc_decimal;
int pc_decimal_from_text(const char *s, size_t len, pc_decimal *d); /* 0 if not a number */
void pc_decimal_from_number(opa_value *v, pc_decimal *d);
int pc_decimal_compare(const pc_decimal *a, const pc_decimal *b);
int pc_decimal_to_int64(const pc_decimal *d, int64_t *out); /* 1 if integral and in range */
/* shortest round-trip digits of a finite double (Go/JS style), into buf (>= 32 bytes) */
void pc_double_shortest(double f, pc_decimal *d, char *buf);
/* formats a decimal the way JavaScript / Go's encoding/json print a float64 */
size_t pc_decimal_format_js(const pc_decimal *d, char *out);
int pc_number_js_exact(opa_value *v); /* 1 if JSON.parse of its text gives back exactly the same number text */

/* text output buffer on the heap */
typedef struct {
  char *buf;
  size_t len;
  size_t cap;
} pc_buf;
void pc_buf_init(pc_buf *b, size_t cap);
void pc_buf_put(pc_buf *b, const char *s, size_t n);
void pc_buf_putc(pc_buf *b, char c);
const char *pc_buf_cstr(pc_buf *b);
void pc_dump_json(pc_buf *b, opa_value *v);
void pc_dump_number(pc_buf *b, opa_value *v);

/* host calls (policyc.<name>) with tagged arguments; 0 = undefined */
void pc_free_last(void *p, size_t size); /* gives back p when it is the latest allocation */
opa_value *pc_index_value(uint32_t i); /* the number i, shared per evaluation (array indices) */
void pc_index_pool_reset(void);
opa_value *pc_host1(const char *name, opa_value *a);
opa_value *pc_host2(const char *name, opa_value *a, opa_value *b);

/* UTF-8 */
uint32_t pc_utf8_decode(const char *s, size_t len, size_t *adv);
uint32_t pc_utf8_count(const char *s, size_t len);

/* Native definitions: the exported function treats an undefined (0) argument as undefined, then
 * runs the body with defined arguments. */
#define PC_NATIVE1(n)                                                            \
  static opa_value *bi_##n(opa_value *a);                                        \
  opa_value *policyc_bi_##n(opa_value *a) { return a ? bi_##n(a) : 0; }          \
  static opa_value *bi_##n(opa_value *a)
#define PC_NATIVE2(n)                                                            \
  static opa_value *bi_##n(opa_value *a, opa_value *b);                          \
  opa_value *policyc_bi_##n(opa_value *a, opa_value *b) { return a && b ? bi_##n(a, b) : 0; } \
  static opa_value *bi_##n(opa_value *a, opa_value *b)
#define PC_NATIVE3(n)                                                            \
  static opa_value *bi_##n(opa_value *a, opa_value *b, opa_value *c);            \
  opa_value *policyc_bi_##n(opa_value *a, opa_value *b, opa_value *c) { return a && b && c ? bi_##n(a, b, c) : 0; } \
  static opa_value *bi_##n(opa_value *a, opa_value *b, opa_value *c)

#endif

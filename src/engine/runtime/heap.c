/* The bump heap (opa_malloc & co.), aborts, runtime errors and the evaluation fuel budget.
 * Nothing is freed during an evaluation; the SDK resets the heap with opa_heap_ptr_set. */
#include "internal.h"

extern uint32_t pc_heap_base_get(void);
extern void pc_fuel_set(int32_t v);
extern int32_t pc_fuel_get(void);

static uintptr_t heap_ptr; /* 0 until first use: then policyc_heap_base */
static int32_t fuel_budget = 1000000000;

void pc_abort(const char *msg) {
  opa_abort(msg);
  __builtin_unreachable();
}

static uintptr_t heap_current(void) {
  if (!heap_ptr) heap_ptr = pc_heap_base_get();
  return heap_ptr;
}

/* Memory grows by at least a quarter of its size at a time: each memory.grow costs the engine a
 * page-table update and tells the JS garbage collector about external memory, so growing a page at
 * a time made building a large value quadratic in practice. Near the limit it grows by what is
 * needed only. */
static void ensure_memory(uintptr_t end) {
  uintptr_t have = (uintptr_t)__builtin_wasm_memory_size(0) * 65536u;
  if (end <= have) return;
  uintptr_t pages = (end - have + 65535u) / 65536u;
  uintptr_t ahead = have / 65536u / 4u;
  if (ahead > pages && __builtin_wasm_memory_grow(0, ahead) != (size_t)-1) return;
  if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) pc_abort("policyc: memory limit exceeded");
}

void *opa_malloc(size_t size) {
  uintptr_t p = (heap_current() + 7u) & ~(uintptr_t)7u;
  uintptr_t end = p + size;
  if (end < p) pc_abort("policyc: memory limit exceeded");
  ensure_memory(end);
  heap_ptr = end;
  return (void *)p;
}

void *pc_realloc(void *p, size_t old_size, size_t new_size) {
  if (p && (uintptr_t)p + old_size == heap_ptr && new_size >= old_size) {
    uintptr_t end = (uintptr_t)p + new_size;
    if (end < (uintptr_t)p) pc_abort("policyc: memory limit exceeded");
    ensure_memory(end);
    heap_ptr = end;
    return p;
  }
  void *q = opa_malloc(new_size);
  if (p) pc_memcpy(q, p, old_size < new_size ? old_size : new_size);
  return q;
}

void opa_free(void *ptr) { (void)ptr; }

void pc_free_last(void *p, size_t size) {
  if ((uintptr_t)p + size == heap_ptr) heap_ptr = (uintptr_t)p;
}

uintptr_t opa_heap_ptr_get(void) { return heap_current(); }

void opa_heap_ptr_set(uintptr_t ptr) {
  heap_ptr = ptr;
  pc_index_pool_reset();
}

static void put_uint(char *buf, size_t *n, uint32_t v) {
  char tmp[12];
  int k = 0;
  do { tmp[k++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (k) buf[(*n)++] = tmp[--k];
}

void policyc_runtime_error(const char *file, int32_t row, int32_t col, const char *msg) {
  size_t flen = file ? pc_strlen(file) : 0, mlen = pc_strlen(msg);
  char *buf = opa_malloc(flen + mlen + 32);
  size_t n = 0;
  if (file && row > 0) {
    pc_memcpy(buf, file, flen);
    n = flen;
    buf[n++] = ':';
    put_uint(buf, &n, (uint32_t)row);
    buf[n++] = ':';
    put_uint(buf, &n, (uint32_t)(col > 0 ? col : 1));
    buf[n++] = ':';
    buf[n++] = ' ';
  }
  pc_memcpy(buf + n, msg, mlen);
  buf[n + mlen] = 0;
  pc_abort(buf);
}

void policyc_set_fuel(int32_t budget) {
  fuel_budget = budget;
  pc_fuel_set(budget);
}

void pc_fuel_reset(void) { pc_fuel_set(fuel_budget); }

static int32_t tick_on;

void policyc_set_tick(int32_t on) { tick_on = on; }

/* With the tick on (the loader's choice), the fuel global holds a slice of the budget: when it runs
 * out, the host built-in policyc.tick accounts for it, checks the evaluation's deadline, and either
 * refills the global or throws (budget exceeded, timeout). Without it the global is the whole budget. */
void policyc_fuel_exhausted(void) {
  if (tick_on) {
    int32_t id = policyc_host_builtin_id("policyc.tick");
    if (id >= 0) {
      opa_builtin0(id, 0);
      if (pc_fuel_get() > 0) return;
    }
  }
  pc_abort("policyc: evaluation budget exceeded");
}

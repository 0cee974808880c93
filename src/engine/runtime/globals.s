# Wasm globals the back end and the SDK read: C has no way to define them, so they live here.
# Their initial values are 0 in the object file; build.mjs sets them (heap base, fuel, ABI version).
  .globaltype policyc_heap_base, i32
policyc_heap_base:
  .globl policyc_heap_base
  .globaltype policyc_fuel, i32
policyc_fuel:
  .globl policyc_fuel
  .globaltype opa_wasm_abi_version, i32
opa_wasm_abi_version:
  .globl opa_wasm_abi_version
  .globaltype opa_wasm_abi_minor_version, i32
opa_wasm_abi_minor_version:
  .globl opa_wasm_abi_minor_version

  .globl pc_heap_base_get
  .type pc_heap_base_get,@function
pc_heap_base_get:
  .functype pc_heap_base_get () -> (i32)
  global.get policyc_heap_base
  end_function

  .globl pc_fuel_set
  .type pc_fuel_set,@function
pc_fuel_set:
  .functype pc_fuel_set (i32) -> ()
  local.get 0
  global.set policyc_fuel
  end_function

  .globl pc_fuel_get
  .type pc_fuel_get,@function
pc_fuel_get:
  .functype pc_fuel_get () -> (i32)
  global.get policyc_fuel
  end_function

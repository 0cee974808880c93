// The transpiler's golden cases form a policy project of their own, so the differential tests can
// load them like any user project (they are never built: outDir stays unused).
import { defineConfig } from "policyc";

export default defineConfig({ include: ["*/input.ts"], outDir: "generated" });

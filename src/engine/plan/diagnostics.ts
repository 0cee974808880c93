/**
 * The planner's diagnostic catalog (PC53xx). The planner runs on compiled, checked programs, so
 * these are constructs it does not support yet rather than user errors the compiler missed.
 */
import type { MessageDef } from "../../diagnostics/index.js";

export const PlanMessages = {
  unsupported: { code: "PC5301", text: "cannot plan: {0}" },
  unknownEntrypoint: { code: "PC5302", text: "entrypoint {0} does not name a rule or package" },
} satisfies Record<string, MessageDef>;

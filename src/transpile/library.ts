/**
 * Rego functions the emitted module defines when a body needs them: `pod_spec` (the DSL's
 * `podSpecOf`), `replace_first` (JavaScript's `String.replace`, which replaces one occurrence) and
 * `number` (JavaScript's `Number(string)`: surrounding whitespace ignored, `""` is 0).
 * Built as AST, like everything the transpiler emits.
 */
import { build, type Rule } from "../engine/rego/index.js";
import type { Context } from "./context.js";

const { v, str, num, arr, call, ref, rule, assign, expr, set } = build;

const TEMPLATE_KINDS = ["DaemonSet", "Deployment", "Job", "ReplicaSet", "ReplicationController", "StatefulSet"];

export function useLibrary(cx: Context, name: "pod_spec" | "replace_first" | "number"): void {
  cx.library.add(name);
  cx.ruleNames.add(name);
}

export function libraryRules(names: Set<string>): Rule[] {
  const out: Rule[] = [];
  if (names.has("pod_spec")) {
    const obj = v("obj");
    const kindIs = (k: string) => expr(call("equal", [ref(obj, ["kind"]), str(k)]));
    out.push(
      rule({ name: "pod_spec", args: [obj], value: ref(obj, ["spec"]), body: [kindIs("Pod")] }),
      rule({
        name: "pod_spec",
        args: [obj],
        value: ref(obj, ["spec", "template", "spec"]),
        body: [expr(call("internal.member_2", [ref(obj, ["kind"]), set(TEMPLATE_KINDS.map((k) => str(k)))]))],
      }),
      rule({ name: "pod_spec", args: [obj], value: ref(obj, ["spec", "jobTemplate", "spec", "template", "spec"]), body: [kindIs("CronJob")] }),
    );
  }
  if (names.has("replace_first")) {
    const [s, old, nw, i] = [v("s"), v("old"), v("new"), v("i")];
    out.push(
      rule({
        name: "replace_first",
        args: [s, old, nw],
        value: call("concat", [str(""), arr([call("substring", [s, num(0), i]), nw, call("substring", [s, call("plus", [i, call("count", [old])]), num(-1)])])]),
        body: [assign(i, call("indexof", [s, old])), expr(call("gte", [i, num(0)]))],
        else: [{ value: s }],
      }),
    );
  }
  if (names.has("number")) {
    const [s0] = [v("s")];
    out.push(
      rule({
        name: "number",
        args: [s0],
        value: num(0),
        body: [expr(call("equal", [call("trim_space", [s0]), str("")]))],
        else: [{ value: call("to_number", [call("trim_space", [s0])]) }],
      }),
    );
  }
  return out;
}

/**
 * The PC6xxx catalogue: every diagnostic the Deckhouse, Gatekeeper-mutation and Kyverno builders,
 * the Kyverno exception generator and `policyc explain` can report. Codes are stable; texts may
 * improve. Ranges: PC60xx resource shape, PC6010-PC6014 image signatures, PC6016 and PC602x mutations,
 * PC603x Kyverno, PC604x explain.
 */
import type { MessageDef } from "../../diagnostics/index.js";

export const PC6 = {
  unknownField: { code: "PC6001", text: "unknown field `{0}` in {1}" },
  badEnum: { code: "PC6002", text: "`{0}` is not a valid value for {1}: expected one of {2}" },
  schema: { code: "PC6003", text: "{0}: {1}" },
  badName: { code: "PC6004", text: "{0} name `{1}` is not a valid Kubernetes name (lowercase letters, digits, `-` and `.`, at most {2} characters)" },
  duplicate: { code: "PC6005", text: "{0} `{1}` is defined twice" },
  notAnObject: { code: "PC6006", text: "{0} expects an object, got {1}" },

  badReference: { code: "PC6010", text: "image reference `{0}` is not a valid reference glob: {1}" },
  badPublicKey: { code: "PC6011", text: "public key #{0} of `{1}` is not a PEM public key: {2}" },
  badDockerCfg: { code: "PC6012", severity: "warning", text: "dockerCfg of `{0}` is not base64 of a docker config JSON ({1}); Ratify will not be able to pull signatures with it" },
  overlappingReference: { code: "PC6013", text: "image reference `{0}` of SecurityPolicy `{1}` overlaps `{2}` of SecurityPolicy `{3}`; Deckhouse rejects overlapping references" },
  badCa: { code: "PC6014", text: "ca of `{0}` is not a PEM certificate: {1}" },

  pathTest: { code: "PC6016", text: "{0} pathTests[{1}] subPath `{2}` {3}" },
  badLocation: { code: "PC6020", text: "{0} location `{1}` is not a valid Gatekeeper path: {2}" },
  metadataOnly: { code: "PC6021", text: "AssignMetadata location `{0}` must be `metadata.labels.<key>` or `metadata.annotations.<key>`" },
  noMetadata: { code: "PC6022", text: "{0} location `{1}` starts at `metadata`; {0} cannot change metadata (use AssignMetadata for labels and annotations)" },
  listTerminal: { code: "PC6023", text: "{0} location `{1}` ends in a list selector `[...]`; {2}" },
  keyChanged: { code: "PC6024", text: "{0} location `{1}` changes `{2}`, the key field of the list it selects from" },
  metadataValue: { code: "PC6025", text: "AssignMetadata value must be a string, got {0}" },
  imageParts: { code: "PC6026", text: "AssignImage {0}" },
  applyTo: { code: "PC6027", text: "{0} needs a non-empty `applyTo` listing groups, versions and kinds" },
  assignSource: { code: "PC6028", text: "{0} parameters.assign must set exactly one of `value`, `fromMetadata`, `externalData`" },
  keyedValue: { code: "PC6029", text: "{0} location `{1}` selects a list element: {2}" },

  kyvernoNotYaml: { code: "PC6030", text: "Kyverno policy file is not valid YAML: {0}" },
  kyvernoNoRules: { code: "PC6031", text: "Kyverno {0} `{1}` names no rules (spec.rules is missing or empty)" },
  kyvernoNamespace: { code: "PC6032", text: "exception namespace `{0}` is not the Kyverno exception namespace configured for policyc (`{1}`); Kyverno ignores exceptions outside `--exceptionNamespace`" },
  kyvernoUnknownPolicy: { code: "PC6033", text: "Kyverno policy `{0}` is not declared in the DSL and was not found in {1}" },
  kyvernoRuleName: { code: "PC6034", text: "a rule of Kyverno {0} `{1}` has no name" },
  kyvernoNoFolder: { code: "PC6035", text: "Kyverno policy folder `{0}` does not exist" },
  kyvernoBadNamespacePattern: { code: "PC6036", text: "exempt namespace pattern `{0}` is not a namespace name or glob (`*`, `?`)" },

  explainLabels: { code: "PC6040", text: "cannot parse {0} `{1}`: expected comma-separated key=value pairs" },
  explainNoInput: { code: "PC6041", text: "no manifests found in `{0}`; run `policyc build` first or pass --from <dir>" },
  explainBadManifest: { code: "PC6042", text: "cannot read manifest: {0}" },
} satisfies Record<string, MessageDef>;

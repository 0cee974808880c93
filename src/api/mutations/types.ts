/**
 * TypeScript shapes of Gatekeeper's mutators (`mutations.gatekeeper.sh`): Assign, AssignMetadata,
 * ModifySet (v1) and AssignImage (v1alpha1), with every field of the upstream CRDs documented.
 */

/** A Kubernetes label selector. */
export interface MutationLabelSelector {
  /** Labels that must all be present with these values. */
  matchLabels?: Record<string, string>;
  /** Set-based requirements that must all hold. */
  matchExpressions?: {
    /** The label key. */
    key: string;
    /** How the label's value is compared with `values`. */
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    /** Values for `In` / `NotIn`. */
    values?: string[];
  }[];
}

/** Which objects a mutator touches; the same matchers as a Constraint's `spec.match`, ANDed. */
export interface MutationMatch {
  /** Kinds in scope; `apiGroups: [""]` is the core group, `["*"]` any group. */
  kinds?: {
    /** API groups (`""` core, `*` any). */
    apiGroups?: string[];
    /** Kinds (`*` any). */
    kinds?: string[];
  }[];
  /** `Namespaced`, `Cluster` or `*` (default). */
  scope?: "*" | "Cluster" | "Namespaced";
  /** Only objects in these namespaces (a leading or trailing `*` is a glob). */
  namespaces?: string[];
  /** Objects in these namespaces are skipped (globs as in `namespaces`). */
  excludedNamespaces?: string[];
  /** Only objects whose labels match. */
  labelSelector?: MutationLabelSelector;
  /** Only objects in namespaces whose labels match. */
  namespaceSelector?: MutationLabelSelector;
  /** Only the object with this name (a leading or trailing `*` is a glob). */
  name?: string;
  /** `All` (default), `Generated` (objects expanded from workloads) or `Original`. */
  source?: "All" | "Generated" | "Original";
}

/**
 * The group/version/kinds a mutator applies to. Required for Assign, ModifySet and AssignImage:
 * a mutation implies part of an object's schema, and schemas belong to GVKs.
 */
export interface ApplyTo {
  /** API groups (`""` is core). */
  groups?: string[];
  /** Kinds, e.g. `Pod`. */
  kinds?: string[];
  /** API versions, e.g. `v1`. */
  versions?: string[];
  /** Operations to mutate on (`CREATE`, `UPDATE`, `*`); default all. */
  operations?: ("CREATE" | "UPDATE" | "*")[];
}

/** A condition on the object that must hold for the mutation to apply. */
export interface PathTest {
  /** A prefix of `location` (same syntax). */
  subPath?: string;
  /** `MustExist` or `MustNotExist`. */
  condition?: "MustExist" | "MustNotExist";
}

/** Where the assigned value comes from: exactly one of `value`, `fromMetadata`, `externalData`. */
export interface AssignValue {
  /** A literal value (any JSON; AssignMetadata requires a string). */
  value?: unknown;
  /** Copy `metadata.namespace` or `metadata.name` of the object. */
  fromMetadata?: {
    /** Which metadata field to copy. */
    field?: "namespace" | "name";
  };
  /** Ask an external data provider. */
  externalData?: {
    /** Name of the `Provider` object. */
    provider: string;
    /** `ValueAtLocation` (default) sends the current value; `Username` sends the requesting user. */
    dataSource?: "ValueAtLocation" | "Username";
    /** `Fail` (default), `Ignore` or `UseDefault` when the provider errors. */
    failurePolicy?: "UseDefault" | "Ignore" | "Fail";
    /** Value used with `failurePolicy: UseDefault`. */
    default?: string;
  };
}

/**
 * An Assign mutator: sets a value outside `metadata`.
 * `location` is a Gatekeeper path such as `spec.containers[name: *].imagePullPolicy`.
 */
export interface AssignSpec {
  /** GVKs the mutation applies to (required). */
  applyTo: ApplyTo[];
  /** Which objects are mutated. */
  match?: MutationMatch;
  /** Path of the field to set: `a.b[key: value].c`, `[key: *]` globs a list; quote keys with dots or slashes. */
  location: string;
  /** What to assign and when. */
  parameters: {
    /** The value to assign. */
    assign: AssignValue;
    /** Conditions on the object. */
    pathTests?: PathTest[];
  };
}

/** An AssignMetadata mutator: adds a label or annotation (never changes an existing one). */
export interface AssignMetadataSpec {
  /** Which objects are mutated. */
  match?: MutationMatch;
  /** `metadata.labels.<key>` or `metadata.annotations.<key>`; quote keys with `/` or `.`: `metadata.labels."app.kubernetes.io/name"`. */
  location: string;
  /** The value to assign (a string, or `fromMetadata` / `externalData` with `dataSource: Username`). */
  parameters: {
    /** The value to assign. */
    assign: AssignValue;
  };
}

/** A ModifySet mutator: adds values to or removes them from a list treated as a set. */
export interface ModifySetSpec {
  /** GVKs the mutation applies to (required). */
  applyTo: ApplyTo[];
  /** Which objects are mutated. */
  match?: MutationMatch;
  /** Path of the list, e.g. `spec.containers[name: *].args`; must not end in `[...]`. */
  location: string;
  /** What to add or remove. */
  parameters: {
    /** `merge` (default) adds missing values; `prune` removes them. */
    operation?: "merge" | "prune";
    /** The values. */
    values: {
      /** The values, compared as JSON. */
      fromList: unknown[];
    };
    /** Conditions on the object. */
    pathTests?: PathTest[];
  };
}

/** An AssignImage mutator: rewrites parts of an image reference (domain, path, tag). */
export interface AssignImageSpec {
  /** GVKs the mutation applies to (required). */
  applyTo: ApplyTo[];
  /** Which objects are mutated. */
  match?: MutationMatch;
  /** Path of the image field, e.g. `spec.containers[name: *].image`; must not end in `[...]`. */
  location: string;
  /** The image parts to set; at least one of domain, path, tag. */
  parameters: {
    /** New registry domain, e.g. `my.registry.io` or `localhost:5000`. */
    assignDomain?: string;
    /** New repository path, e.g. `library/nginx`. */
    assignPath?: string;
    /** New tag `:v1` or digest `@sha256:...`. */
    assignTag?: string;
    /** Conditions on the object. */
    pathTests?: PathTest[];
  };
}

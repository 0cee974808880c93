// Test objects shared by the example policies' test cases.

export interface ContainerSpec {
  name: string;
  image: string;
  [field: string]: unknown;
}

/** A Pod in namespace `default` with the given spec. */
export function pod(spec: { containers: ContainerSpec[]; [field: string]: unknown }, name = "test-pod") {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec };
}

/** A container with probes and resources set, to vary one property at a time. */
export function goodContainer(overrides: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    name: "app",
    image: "mycompany.registry.com/app:1.4.2",
    readinessProbe: { httpGet: { path: "/ready", port: 8080 } },
    livenessProbe: { httpGet: { path: "/health", port: 8080 } },
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
    ...overrides,
  };
}

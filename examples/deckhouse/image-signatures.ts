// Cosign image-signature verification (Deckhouse SE+/EE/CSE). Public keys are parsed at build
// time; a key that is not PEM is an error at its line here, not a Pod that fails in the cluster.
import { securityPolicy } from "policyc";

const cosignKey = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8nXRh950IZbRj8Ra/N9sbqOPZrfM
5/KAQN0/KjHcorm/J5yctVd7iEcnessRQjU917hmKO6JWVGHpDguIyakZA==
-----END PUBLIC KEY-----`;

// From the FAQ. Its `dockerCfg: zxc==` is a placeholder, not base64 of a docker config, so policyc
// warns (PC6012) about it; replace it with `base64 -w0 ~/.docker/config.json` output.
export const verifyImageSignatures = securityPolicy({
  name: "verify-image-signatures",
  match: { namespaceSelector: { labelSelector: { matchLabels: { "kubernetes.io/metadata.name": "default" } } } },
  policies: {
    verifyImageSignatures: [
      { reference: "docker.io/myrepo/*", publicKeys: [cosignKey] },
      { reference: "company.registry.com/*", dockerCfg: "zxc==", publicKeys: [cosignKey] },
    ],
  },
});

// From the security-policies page walkthrough.
export const verifyImageTest = securityPolicy({
  name: "verify-image-test",
  enforcementAction: "Deny",
  match: { namespaceSelector: { labelSelector: { matchLabels: { "kubernetes.io/metadata.name": "test-namespace" } } } },
  policies: {
    allowHostIPC: true,
    allowHostNetwork: true,
    allowHostPID: false,
    allowPrivilegeEscalation: true,
    allowPrivileged: false,
    allowRbacWildcards: true,
    verifyImageSignatures: [
      {
        publicKeys: [
          `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEhpqaufY9JSY+g4JZmmEWCxYp4BSj
YAzTW+LBJa6GwiJ+iWHMEw2w8aiVk7NSayEp5ZDZaBTmspT/dyuWSpazPQ==
-----END PUBLIC KEY-----`,
        ],
        reference: "registry.private.ru/labs/application/*",
      },
    ],
  },
});

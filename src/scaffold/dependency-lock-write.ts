/**
 * Build step (`npm run build`, `prepare`): writes `dist/dependency-lock.json`, the part of policyc's
 * package-lock.json that a project depending on policyc needs (every non-dev package with its
 * resolved URL and integrity). npm never packs package-lock.json, so this copy travels in the
 * tarball; `policyc init` turns it into the new project's lockfile, which is what lets
 * `npm install --offline` resolve policyc's dependencies from the npm cache alone.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../frontend/paths.js";
import { DEPENDENCY_LOCK_FILE, type LockEntry } from "./dependency.js";

const lock = JSON.parse(readFileSync(path.join(packageRoot, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
const packages: Record<string, LockEntry> = {};
for (const [key, entry] of Object.entries(lock.packages)) {
  if (key === "" || entry.dev) continue;
  packages[key] = entry;
}
writeFileSync(path.join(packageRoot, DEPENDENCY_LOCK_FILE), `${JSON.stringify({ packages }, null, 2)}\n`);

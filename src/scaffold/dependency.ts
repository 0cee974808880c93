/**
 * How a scaffolded project depends on policyc, which need not be in any registry. `policyc init
 * --policyc X` takes a tarball `npm pack` made, a directory (a clone), or any spec npm understands
 * (a git URL, a version range); without it, a clone that runs `init` links itself. For a tarball,
 * init also writes the project's package-lock.json from the dependency lock the tarball carries
 * (`dist/dependency-lock.json`): with every package pinned to a resolved URL and integrity, npm
 * reads them from its cache by integrity, so `npm install --offline` works wherever the cache holds
 * them (for example after `npm ci` in the clone the tarball came from).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../frontend/paths.js";
import { readTarballFiles } from "./tarball.js";

/** Where the dependency lock sits inside the policyc package. */
export const DEPENDENCY_LOCK_FILE = "dist/dependency-lock.json";

/** One `packages` entry of an npm v3 lockfile. */
export interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  [key: string]: unknown;
}

interface Manifest {
  name?: string;
  version?: string;
  license?: string;
  dependencies?: Record<string, string>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
}

export interface ScaffoldDependency {
  /** The project's `devDependencies.policyc`. */
  spec: string;
  /** The project's package-lock.json, when init can pin policyc's whole tree. */
  lockfile?: string;
  /** Where policyc comes from, for the user. */
  note: string;
}

/** The dependency for a project created in `target`; `option` is `--policyc` as given, relative to `cwd`. */
export function chooseDependency(option: string | undefined, target: string, cwd: string, projectName: string): ScaffoldDependency | { error: string } {
  if (option === undefined) {
    if (packageRoot.split(path.sep).includes("node_modules")) {
      const version = readManifest(path.join(packageRoot, "package.json")).version;
      return { spec: `^${version}`, note: `policyc ^${version} from the npm registry (pass --policyc with a tarball, a clone or a git URL when it is not there)` };
    }
    const spec = fileSpec(target, packageRoot);
    return { spec, note: `policyc linked from ${spec.slice(5)}, the clone that ran init (it must stay there, installed and built)` };
  }
  const local = path.resolve(cwd, option);
  if (!looksLikePath(option) || !existsSync(local)) {
    if (looksLikePath(option)) return { error: `--policyc ${option}: no such file or directory` };
    return { spec: option, note: `policyc from ${option}` };
  }
  if (statSync(local).isDirectory()) {
    const manifest = path.join(local, "package.json");
    if (!existsSync(manifest) || readManifest(manifest).name !== "policyc") return { error: `--policyc ${option}: not a policyc package directory (its package.json must name "policyc")` };
    const spec = fileSpec(target, local);
    return { spec, note: `policyc linked from ${spec.slice(5)}` };
  }
  return fromTarball(option, local, target, projectName);
}

function fromTarball(option: string, file: string, target: string, projectName: string): ScaffoldDependency | { error: string } {
  let files: Map<string, Buffer>;
  try {
    files = readTarballFiles(file, ["package/package.json", `package/${DEPENDENCY_LOCK_FILE}`]);
  } catch (e) {
    return { error: `--policyc ${option}: not a package tarball (${(e as Error).message})` };
  }
  const manifestText = files.get("package/package.json");
  const manifest = manifestText ? (JSON.parse(manifestText.toString("utf8")) as Manifest) : undefined;
  if (manifest?.name !== "policyc") return { error: `--policyc ${option}: not a policyc package tarball (make one with \`npm pack\` in a policyc clone)` };
  const spec = fileSpec(target, file);
  const lockText = files.get(`package/${DEPENDENCY_LOCK_FILE}`);
  if (!lockText) return { spec, note: `policyc ${manifest.version} from ${spec.slice(5)} (the tarball has no dependency lock: npm resolves its dependencies online)` };
  const integrity = `sha512-${createHash("sha512").update(readFileSync(file)).digest("base64")}`;
  const deps = (JSON.parse(lockText.toString("utf8")) as { packages: Record<string, LockEntry> }).packages;
  const lockfile = projectLockfile(projectName, spec, manifest, integrity, deps);
  return { spec, lockfile, note: `policyc ${manifest.version} from ${spec.slice(5)}, its dependencies pinned in package-lock.json` };
}

/**
 * The lockfile of a project whose only dependency is policyc (a devDependency): policyc's own tree
 * keeps its layout, one level down, and every package is dev (or devOptional when optional).
 */
function projectLockfile(name: string, spec: string, manifest: Manifest, integrity: string, deps: Record<string, LockEntry>): string {
  const packages: Record<string, LockEntry> = {
    "": { name, devDependencies: { policyc: spec } },
    "node_modules/policyc": {
      version: manifest.version,
      resolved: spec,
      integrity,
      dev: true,
      license: manifest.license,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const key of Object.keys(deps).sort()) {
    const { dev: _dev, optional, devOptional, ...entry } = deps[key]!;
    packages[key] = optional || devOptional ? { ...entry, devOptional: true } : { ...entry, dev: true };
  }
  return `${JSON.stringify({ name, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

function readManifest(file: string): Manifest {
  return JSON.parse(readFileSync(file, "utf8")) as Manifest;
}

/** A `file:` spec for `to`, relative to the project (npm resolves it from the project's folder). */
function fileSpec(project: string, to: string): string {
  const rel = path.relative(project, to).split(path.sep).join("/");
  return `file:${rel.startsWith(".") ? rel : `./${rel}`}`;
}

/** A local path rather than a git URL, range or alias. */
function looksLikePath(option: string): boolean {
  return /^(\.{1,2}([\\/]|$)|[\\/]|~|[A-Za-z]:[\\/])/.test(option) || /\.(tgz|tar\.gz)$/.test(option);
}

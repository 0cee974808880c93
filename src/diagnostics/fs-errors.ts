/**
 * What a failed filesystem call means, in words a user acts on: "permission denied", "is a
 * directory", "symlink cycle", rather than "does not exist" for every failure or Node's raw
 * `EACCES: permission denied, open '…'`. Used wherever a diagnostic reports an unreadable path.
 */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException | undefined;
  switch (err?.code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    case "ENOTDIR":
      return "a part of the path is not a directory";
    case "ELOOP":
      return "symlink cycle (a link that leads back to itself)";
    case "EROFS":
      return "read-only file system";
    case "ENOSPC":
      return "no space left on the device";
    case "EMFILE":
    case "ENFILE":
      return "too many open files";
    case "ERR_FS_FILE_TOO_LARGE":
      return "file too large to read";
    default:
      return err?.message ?? String(e);
  }
}

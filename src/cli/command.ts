/**
 * The command contract. Each file in `src/cli/commands/` exports `command` of this shape and is
 * listed once (lazily loaded) in `commands/index.ts`.
 */
export interface CommandIO {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
  /** Whether stderr is a terminal (code frames and colors). */
  isTTY?: boolean;
  /** Stops a long-running command (`build --watch`) as Ctrl-C would. */
  signal?: AbortSignal;
}

export interface Command {
  name: string;
  /** One line for `policyc --help`. */
  summary: string;
  /** The command's own help text, starting with its synopsis. */
  usage: string;
  /** Returns the exit code: 0 ok, 1 user error (bad input, failed check), 2 internal failure. */
  run(argv: string[], io: CommandIO): Promise<number>;
}

/**
 * @module cli/cli-error
 * A failure the CLI reports as one clear message and a non-zero exit code.
 */

/** Exit codes: 1 for a failed operation, 2 for wrong usage. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** An error whose message is shown to the user as-is. */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = EXIT_FAILURE) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

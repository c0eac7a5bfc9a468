#!/usr/bin/env node
/**
 * @module main
 * Process entry for the `switchyard` command: hands argv to the CLI and exits with its code.
 */
import { runCli } from "./cli/run-cli.js";

// `switchyard status | head` closes stdout early; that is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

runCli(process.argv.slice(2)).then(
  (code) => {
    // `serve` keeps running and sets its own exit code on shutdown.
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);

/**
 * @module config/zod-issue
 * One wording for a validation problem, whoever reports it (config file, admin API, CLI flags);
 * each caller only decides how to name the path.
 */
import type { z } from "zod";

/** The reason part of a zod issue, without its path. `noun` names what unknown keys are called. */
export function zodIssueDetail(issue: z.core.$ZodIssue, noun = "key"): string {
  // A bad record key keeps the key schema's own message (which says what is allowed) one level down.
  if (issue.code === "invalid_key") return issue.issues.map((inner) => inner.message).join("; ");
  if (issue.code === "unrecognized_keys") return `unknown ${noun}${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `'${key}'`).join(", ")}`;
  return issue.message;
}

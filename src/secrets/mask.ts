/**
 * @module secrets/mask
 * The only form in which a stored key is ever shown: a hint of its start and its last four characters.
 */

/** Masks a secret as `sk-…abcd`; short secrets show nothing but the ellipsis. */
export function maskSecret(secret: string | undefined): string {
  if (secret === undefined || secret === "") return "";
  if (secret.length < 12) return "…";
  const dash = secret.indexOf("-");
  const head = dash > 0 && dash <= 6 ? secret.slice(0, dash + 1) : secret.slice(0, 3);
  return `${head}…${secret.slice(-4)}`;
}

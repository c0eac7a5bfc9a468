/**
 * @module console/components/provider-badge
 * A provider's mark: its initials on a colour of its own. No logos are shipped (trademarks, and
 * bytes); the initials and the name beside them are enough to tell providers apart.
 */
import { providerKind } from "../provider-kinds.js";

/** Picks a stable hue from the kind id. */
function hue(kind: string): number {
  let hash = 0;
  for (const character of kind) hash = (hash * 31 + character.charCodeAt(0)) % 360;
  return hash;
}

function initials(name: string): string {
  const words = name.split(/[\s.-]+/).filter((word) => word !== "");
  return ((words[0]?.[0] ?? "?") + (words[1]?.[0] ?? "")).toUpperCase();
}

/** The provider mark for a kind. */
export function ProviderBadge({ kind }: { kind: string }) {
  const info = providerKind(kind);
  return (
    <span className="provider-badge" style={{ backgroundColor: `hsl(${hue(kind)} 55% 42%)` }} aria-hidden="true" title={info.name}>
      {initials(info.name)}
    </span>
  );
}

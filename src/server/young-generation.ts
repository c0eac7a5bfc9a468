/**
 * @module server/young-generation
 * Keeps V8's young generation small while `switchyard serve` runs. Under sustained load V8 doubles
 * the new space up to its maximum (two 16 MB semi-spaces on 64-bit Node 20), and those pages stay
 * resident: on the benchmark they were ~30 MB of the gateway's RSS after load, and the smaller
 * space was not slower (it was faster on a 2-core machine: what survives a scavenge is a few
 * in-flight requests). The supported switch, `--max-semi-space-size`, can only be given when node
 * starts, which a `bin` script cannot do portably (`env -S` is missing from busybox and the BSDs,
 * and npm's Windows shims do not parse it). So the cap is held from inside the process: V8 reads
 * `--semi-space-growth-factor` each time it grows the new space, and a light timer sets it to 1
 * while the new space is at the cap and back to V8's default below it (V8 shrinks the space
 * again when the process goes idle, and it must be able to grow back).
 *
 * Never applied by the library (`createGateway()` leaves its host's V8 alone), not when the
 * operator chose a young-generation size with node's own flag, and only on the V8 this was
 * measured and tested on (V8 11, Node 20): later V8 versions set a floor of 2 on the growth factor
 * and rework the young generation, so there the gateway leaves V8 alone and
 * `NODE_OPTIONS=--max-semi-space-size=4` does the same job.
 * @see https://nodejs.org/api/cli.html#--max-semi-space-sizesize-in-mib
 */
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";

const MIB = 1024 * 1024;
/** V8's default growth factor (each growth doubles the semi-spaces). */
const DEFAULT_GROWTH_FACTOR = 2;
/** How often the cap is checked: a growth step needs many scavenges, far more than this apart. */
const CHECK_INTERVAL_MS = 250;

/** The new space's current size (both semi-spaces), in bytes. */
function newSpaceBytes(): number {
  for (const space of getHeapSpaceStatistics()) if (space.space_name === "new_space") return space.space_size;
  return 0;
}

/** Whether this V8 grows the new space by the growth factor read at each growth (V8 11). */
export function growthFactorHonoured(v8Version: string = process.versions.v8): boolean {
  return v8Version.startsWith("11.");
}

/** True when node was started with its own young-generation size (command line or NODE_OPTIONS). */
export function youngGenerationSetByOperator(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const mentions = (text: string): boolean => /--max[-_]semi[-_]space[-_]size\b/.test(text);
  return execArgv.some(mentions) || (nodeOptions !== undefined && mentions(nodeOptions));
}

/**
 * Holds each semi-space at about `semiSpaceMb` MB (a growth step under way when the cap is reached
 * may end one step above it). Returns the function that stops holding it.
 */
export function capYoungGeneration(semiSpaceMb: number, intervalMs = CHECK_INTERVAL_MS): () => void {
  const capBytes = 2 * semiSpaceMb * MIB;
  let growthFactor = DEFAULT_GROWTH_FACTOR;
  const check = (): void => {
    const wanted = newSpaceBytes() >= capBytes ? 1 : DEFAULT_GROWTH_FACTOR;
    if (wanted === growthFactor) return;
    growthFactor = wanted;
    setFlagsFromString(`--semi-space-growth-factor=${wanted}`);
  };
  check();
  const timer = setInterval(check, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (growthFactor !== DEFAULT_GROWTH_FACTOR) setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
  };
}

/**
 * What `switchyard serve` calls: holds the young generation at `semiSpaceMb` MB unless that is 0,
 * this V8 does not honour the growth factor, or the operator gave node its own size. Returns the
 * release function when it holds it.
 */
export function holdYoungGeneration(semiSpaceMb: number, nodeOptions: string | undefined): (() => void) | undefined {
  if (semiSpaceMb === 0 || !growthFactorHonoured() || youngGenerationSetByOperator(process.execArgv, nodeOptions)) return undefined;
  return capYoungGeneration(semiSpaceMb);
}

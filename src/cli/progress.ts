import type { SingleBar } from "cli-progress";

/**
 * A progress bar on stderr, only on a terminal and never with --json (a pipe or a log file stays
 * quiet). `unit` names what is counted ("points", "runs"). cli-progress loads only when a bar is shown:
 * `fi --json`'s start-up does not pay for it.
 */
export async function progressBar(label: string, unit: string, quiet = false): Promise<SingleBar | undefined> {
  if (quiet || !process.stderr.isTTY) return undefined;
  const { default: cliProgress } = await import("cli-progress");
  return new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {value}/{total} ${unit} | {eta_formatted} left`, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
}

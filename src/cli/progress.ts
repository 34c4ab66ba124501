import cliProgress from "cli-progress";

/**
 * A progress bar on stderr, only on a terminal and never with --json (a pipe or a log file stays
 * quiet). `unit` names what is counted ("points", "runs").
 */
export function progressBar(label: string, unit: string, quiet = false): cliProgress.SingleBar | undefined {
  if (quiet || !process.stderr.isTTY) return undefined;
  return new cliProgress.SingleBar(
    { stream: process.stderr, format: `${label} [{bar}] {value}/{total} ${unit} | {eta_formatted} left`, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
}

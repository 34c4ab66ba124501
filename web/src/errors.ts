/**
 * Which setting a library error is about. The library's messages start with the argument they
 * name ("dt_ms must be …", "parameter gNa (mS/cm2) must be …", "stimulus.stop_ms must be …"),
 * so the page can show each message beside the control it concerns.
 */
export type ErrorField =
  | "dt_ms"
  | "duration_ms"
  | "stimulus.amplitude"
  | "stimulus.start_ms"
  | "stimulus.stop_ms"
  | "method"
  | "model"
  | "steps"
  | "amplitudes"
  | `param:${string}`;

export function errorField(name: string, message: string): ErrorField | null {
  if (name === "DivergenceError") return "dt_ms";
  const param = /^parameter name for model "[^"]*" must be[^;]*; got "([^"]+)"/.exec(message) ?? /^parameter (\S+)/.exec(message);
  if (param) return `param:${param[1]}`;
  const fields: [RegExp, ErrorField][] = [
    [/^dt_ms\b/, "dt_ms"],
    [/^duration_ms\b/, "duration_ms"],
    [/^stimulus\.amplitude/, "stimulus.amplitude"],
    [/^stimulus\.start_ms\b/, "stimulus.start_ms"],
    [/^stimulus\.stop_ms\b/, "stimulus.stop_ms"],
    [/^method\b/, "method"],
    [/^model\b/, "model"],
    [/^steps\b/, "steps"],
    [/^amplitudes\b/, "amplitudes"],
  ];
  return fields.find(([re]) => re.test(message))?.[1] ?? null;
}

/** The fixed-step methods the GPU backend runs (a file of its own: the CLI checks --method without loading the WGSL generator). */
export const GPU_METHODS = ["euler", "exp-euler", "backward-euler", "rk4"] as const;
export type GpuMethod = (typeof GPU_METHODS)[number];

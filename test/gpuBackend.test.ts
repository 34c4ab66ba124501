import { describe, expect, it } from "vitest";
import { chooseBackend, type GpuProbe, gpuMethodsText } from "../src/index.js";

// the one backend chooser of the CLI (Dawn as probe) and the web app (navigator.gpu as probe), with a fake probe
const device = { name: "fake device" };
const probing = (result: GpuProbe<typeof device>) => {
  const calls = { n: 0 };
  return {
    calls,
    probe: async () => {
      calls.n++;
      return result;
    },
  };
};

describe("chooseBackend", () => {
  it("cpu is the CPU, as chosen, without asking for a device", async () => {
    const p = probing({ device, adapter: "A" });
    expect(await chooseBackend("cpu", { method: "euler", neuronSteps: 1e12 }, p.probe)).toEqual({ kind: "cpu", reason: "chosen" });
    expect(p.calls.n).toBe(0);
  });

  it("gpu with a GPU method is the device and its adapter", async () => {
    const p = probing({ device, adapter: "A" });
    expect(await chooseBackend("gpu", { method: "rk4", neuronSteps: 1 }, p.probe)).toEqual({ kind: "gpu", device, adapter: "A" });
  });

  it("no device: the CPU with the probe's reason", async () => {
    const p = probing({ reason: "no adapter" });
    expect(await chooseBackend("auto", { method: "euler", neuronSteps: 1e9 }, p.probe)).toEqual({ kind: "cpu", reason: "no adapter" });
  });

  it("gpu with a method the GPU does not run is an error naming the argument and the method, or the CPU when asked", async () => {
    const p = probing({ device, adapter: "A" });
    await expect(
      chooseBackend("gpu", { method: "rk45", neuronSteps: 1 }, p.probe, {
        methodArgument: "--method with --backend gpu",
        otherwise: "or --backend cpu",
      }),
    ).rejects.toThrow('--method with --backend gpu must be one of euler, exp-euler, backward-euler, rk4 (or --backend cpu); got "rk45"');
    expect(await chooseBackend("gpu", { method: "rk45", neuronSteps: 1 }, p.probe, { unsupportedMethod: "cpu" })).toEqual({
      kind: "cpu",
      reason: "the GPU runs euler, exp-euler, backward-euler and rk4; the method rk45 runs on the CPU",
    });
    expect(p.calls.n).toBe(0);
  });

  it("auto keeps a job below the threshold on the CPU without asking for a device", async () => {
    const p = probing({ device, adapter: "A" });
    const small = await chooseBackend("auto", { method: "euler", neuronSteps: 5e7 }, p.probe, { autoMinNeuronSteps: 1e8 });
    expect(small).toEqual({ kind: "cpu", reason: "the job (5.00e+7 neuron-steps) is below 1e+8 neuron-steps" });
    expect(p.calls.n).toBe(0);
    expect((await chooseBackend("auto", { method: "euler", neuronSteps: 1e8 }, p.probe, { autoMinNeuronSteps: 1e8 })).kind).toBe("gpu");
  });

  it("lists the GPU's methods in words", () => expect(gpuMethodsText()).toBe("euler, exp-euler, backward-euler and rk4"));
});

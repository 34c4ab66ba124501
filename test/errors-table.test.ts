import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { answers, CASES, DIST_CLI, ERRORS_MD, errorsMarkdown } from "../scripts/errors-table.js";

describe("docs/errors.md", () => {
  it("is what the CLI answers now to each bad input: one line, exit 2, no stack trace", async () => {
    const list = await answers(DIST_CLI);
    list.forEach((a, k) => {
      const what = (CASES[k] as (typeof CASES)[number])[0];
      expect(a.status, what).toBe(2);
      expect(a.stderr, what).toMatch(/^spikelab: /);
      expect(a.stderr, what).not.toMatch(/\n {4}at |node:internal|Error:/);
    });
    expect(errorsMarkdown(list)).toBe(readFileSync(ERRORS_MD, "utf8"));
  }, 120_000);
});

import { describe, expect, it } from "vitest";
import { goAsString, goFormatFloat } from "./value-string.js";

describe("goAsString (pcommon Value.AsString)", () => {
  it("writes numbers as strconv.FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent", () => {
    expect(goFormatFloat(40.5)).toBe("40.5");
    expect(goFormatFloat(3)).toBe("3");
    expect(goFormatFloat(1e21)).toBe("1000000000000000000000");
    expect(goFormatFloat(1.5e-7)).toBe("0.00000015");
    expect(goFormatFloat(-2.5e-8)).toBe("-0.000000025");
    expect(goFormatFloat(1.23e22)).toBe("12300000000000000000000");
    expect(goFormatFloat(Number.POSITIVE_INFINITY)).toBe("+Inf");
  });

  it("writes booleans, empty values and maps as Go does", () => {
    expect(goAsString(true)).toBe("true");
    expect(goAsString(null)).toBe("");
    expect(goAsString({ a: [1, "x"] })).toBe('{"a":[1,"x"]}');
  });
});

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Go replacement templates, not JavaScript templates
import { describe, expect, it } from "vitest";
import { GoRegex, isGoRegexError } from "./regex.js";

const compile = (pattern: string): GoRegex => {
  const re = GoRegex.compile(pattern);
  if (isGoRegexError(re)) throw new Error(re.error);
  return re;
};
const refusal = (pattern: string): string | undefined => {
  const re = GoRegex.compile(pattern);
  return isGoRegexError(re) ? re.error : undefined;
};

describe("GoRegex (Go's regexp on re2js)", () => {
  it("answers a pattern that backtracks exponentially in JavaScript, in linear time", () => {
    const hostile = `${"a".repeat(40)}!`;
    expect(compile("^(a+)+$").test(hostile)).toBe(false);
    expect(compile("^(a+)+$").exec(hostile)).toBeNull();
    expect(compile("(a+)+$").replaceAll(`${"a".repeat(5000)}!`, () => "x")).toBe(`${"a".repeat(5000)}!`);
    expect(compile("(a|aa)+b").test("a".repeat(100_000))).toBe(false);
  });

  it("refuses what Go refuses, saying why", () => {
    expect(refusal("(?<=a)b")).toMatch(/invalid named capture.*no lookahead or lookbehind/);
    expect(refusal("(?<!a)b")).toMatch(/no lookahead or lookbehind/);
    expect(refusal("a(?=b)")).toMatch(/invalid or unsupported Perl syntax.*no lookahead or lookbehind/);
    expect(refusal("(a)\\1")).toMatch(/invalid escape sequence.*no backreferences/);
    expect(refusal("\\C")).toMatch(/invalid escape sequence/);
    expect(refusal("\\Z")).toMatch(/invalid escape sequence/);
    expect(refusal("a{1001}")).toMatch(/invalid repeat count/);
    expect(refusal("a**")).toMatch(/invalid nested repetition operator/);
    expect(refusal("(a")).toMatch(/missing closing \)/);
  });

  it("accepts Go syntax that JavaScript lacks", () => {
    expect(compile("\\Q.*\\E").test("a.*b")).toBe(true);
    expect(compile("\\Q.*\\E").test("ab")).toBe(false);
    expect(compile("^\\pL+$").test("Grüße")).toBe(true);
    expect(compile("^\\p{Greek}+$").test("αβγ")).toBe(true);
    expect(compile("^[[:alpha:]]+$").test("abc")).toBe(true);
    expect(compile("(?i:A)b").test("ab")).toBe(true);
    expect(compile("(?i:A)b").test("aB")).toBe(false);
    expect(compile("(?U)a+").exec("aaa")?.[0]).toBe("a");
    expect(compile("a\\z").test("a\n")).toBe(false);
    expect(compile("(?s)a.b").test("a\nb")).toBe(true);
    expect(compile("a.b").test("a\nb")).toBe(false);
  });

  it("names groups as SubexpNames does, a name used twice included", () => {
    expect(compile("(?P<foo>.*)(?P<bar>(a)b)(?P<foo>.*)a").names).toEqual(["", "foo", "bar", "", "foo"]);
    expect(compile("(?<year>\\d{4})-(\\d\\d)").names).toEqual(["", "year", ""]);
    expect(compile("[(?P<x>y)](?P<x>z)").names).toEqual(["", "x"]);
  });

  it("extracts groups as FindStringSubmatch does", () => {
    expect(compile("(?P<a>x)?(y)").exec("zy")).toEqual(["y", undefined, "y"]);
    expect(compile("b+").exec("abbbc")).toEqual(["bbb"]);
  });

  // Cases of ReplaceAllString from Go's regexp tests (regexp/all_test.go, replaceTests): pattern,
  // replacement template, input, output.
  const replaceTests: [string, string, string, string][] = [
    ["", "x", "", "x"],
    ["", "x", "abc", "xaxbxcx"],
    ["b", "x", "abc", "axc"],
    ["y", "x", "abc", "abc"],
    ["[a-c]*", "x", "\u65e5", "x\u65e5x"],
    ["[^\u65e5]", "x", "abc\u65e5def", "xxx\u65e5xxx"],
    ["^[a-c]*", "x", "abcdabc", "xdabc"],
    ["[a-c]*$", "x", "abcdabc", "abcdx"],
    ["^[a-c]*$", "x", "abcdabc", "abcdabc"],
    ["[a-c]*$", "x", "dabce", "dabcex"],
    ["^[a-c]*", "x", "", "x"],
    ["^[a-c]+", "x", "", ""],
    ["x", "xXx", "xxxXxxx", "xXxxXxxXxXxXxxXxxXx"],
    [".+", "x", "abc", "x"],
    ["[a-c]*", "x", "def", "xdxexfx"],
    ["[a-c]+", "x", "abcbcdcdedef", "xdxdedef"],
    ["[a-c]*", "x", "abcbcdcdedef", "xdxdxexdxexfx"],
    ["a+", "($0)", "banana", "b(a)n(a)n(a)"],
    ["a+", "(${0})$0", "banana", "b(a)an(a)an(a)a"],
    ["hello, (.+)", "goodbye, ${1}", "hello, world", "goodbye, world"],
    ["hello, (.+)", "goodbye, $1x", "hello, world", "goodbye, "],
    ["hello, (.+)", "goodbye, ${1}x", "hello, world", "goodbye, worldx"],
    ["hello, (.+)", "<$0><$1><$2><$3>", "hello, world", "<hello, world><world><><>"],
    ["hello, (?P<noun>.+)", "goodbye, $noun!", "hello, world", "goodbye, world!"],
    ["(?P<x>hi)|(?P<x>bye)", "$x$x$x", "hi", "hihihi"],
    ["(?P<x>hi)|(?P<x>bye)", "$x$x$x", "bye", "byebyebye"],
    ["(?P<x>hi)|(?P<x>bye)", "$xyz", "hi", ""],
    ["(?P<x>hi)|(?P<x>bye)", "${x}yz", "hi", "hiyz"],
    ["(?P<x>hi)|(?P<x>bye)", "hello $$x", "hi", "hello $x"],
    ["a+", "${oops", "aaa", "${oops"],
    ["a+", "$$", "aaa", "$"],
    ["a+", "$", "aaa", "$"],
    ["(x)?", "$1", "123", "123"],
    ["(a)(b){0}(c)", ".$1|$3.", "xacxacx", "x.a|c.x.a|c.x"],
    ["((a(b){0}){3}){5}(h)", "y caramb$2", "say aaaaaaaaaaaaaaaah", "say ay caramba"],
  ];
  it.each(replaceTests)("ReplaceAllString(%j, %j) on %j", (pattern, template, input, output) => {
    expect(compile(pattern).replaceAllTemplate(input, template)).toBe(output);
  });

  it("expands templates by Go's rules: longest name, no leading zero, letters of any script", () => {
    const re = compile("(a)(b)");
    expect(re.replaceAllTemplate("ab", "[$1名]")).toBe("[]");
    expect(re.replaceAllTemplate("ab", "[$1-]")).toBe("[a-]");
    expect(re.replaceAllTemplate("ab", "[$01]")).toBe("[]");
    expect(re.replaceAllTemplate("ab", "[$2]")).toBe("[b]");
    expect(re.replaceAllTemplate("ab", "[${2}x]")).toBe("[bx]");
  });

  it("steps over a surrogate pair after an empty match, as Go steps over a rune", () => {
    expect(compile("").replaceAllTemplate("a😀b", "-")).toBe("-a-😀-b-");
    expect(compile("x*").replaceAll("😀", () => "-")).toBe("-😀-");
  });
});

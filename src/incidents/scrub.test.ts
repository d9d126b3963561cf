import { describe, expect, it } from "vitest";
import { luhnValid } from "../model/luhn.js";
import type { SpanRecord } from "../model/record.js";
import { GoRegex } from "../pipeline/go/regex.js";
import { span } from "../testing/records.js";
import { formatScrubReport, Scrubber, scrubRecords, scrubScenario } from "./scrub.js";

const scrub = (text: string, options = {}) => new Scrubber(options).text(text, "f");

describe("detectors", () => {
  it("replaces emails, case-insensitively the same value", () => {
    const s = new Scrubber();
    expect(s.text("mail Jane.Doe@Example.com or jane.doe@example.com", "f")).toBe(
      "mail <email-1> or <email-1>",
    );
  });

  it("replaces Luhn-valid card numbers with or without separators, and keeps other digit runs", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
    const s = new Scrubber();
    expect(s.text("card 4111 1111 1111 1111, again 4111-1111-1111-1111 and 4111111111111111", "f")).toBe(
      "card <card-1>, again <card-1> and <card-1>",
    );
    expect(scrub("order 1234567890123 and 4111 1111 1111 1112 and ts 1768469400012000000")).toBe(
      "order 1234567890123 and 4111 1111 1111 1112 and ts 1768469400012000000",
    );
  });

  it("replaces API keys and bearer tokens, keeping the words around them", () => {
    expect(scrub("key sk-proj-abcdefghijklmnop1234 and AKIAIOSFODNN7EXAMPLE")).toBe(
      "key <secret-1> and <secret-2>",
    );
    expect(scrub("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig")).toBe(
      "Authorization: Bearer <secret-1>",
    );
    expect(scrub("https://x.test/v1?api_key=abc123def456&q=1")).toBe(
      "https://x.test/v1?api_key=<secret-1>&q=1",
    );
  });

  it("replaces IPv4 and IPv6 addresses but not versions or times", () => {
    expect(scrub("from 203.0.113.7 and 2001:db8::8a2e:370:7334, v1.4.2 at 09:30:00")).toBe(
      "from <ip-1> and <ip-2>, v1.4.2 at 09:30:00",
    );
  });

  it("replaces grouped and E.164 phone numbers, not dates, amounts or ids", () => {
    expect(scrub("call +1 555 123 4567 or (555) 123-4567 or +4915112345678")).toBe(
      "call <phone-1> or <phone-2> or <phone-3>",
    );
    expect(scrub("on 2026-01-15, 40.00 USD, order A-1001, refund R-5001")).toBe(
      "on 2026-01-15, 40.00 USD, order A-1001, refund R-5001",
    );
  });

  it("applies user patterns and keys; a key's value keeps its kind's token when it is one", () => {
    const s = new Scrubber({
      patterns: [{ name: "customer", pattern: GoRegex.compile("CUST-\\d+") as GoRegex }],
      keys: ["user.id", "user.mail"],
    });
    expect(s.text("for CUST-0042", "f")).toBe("for <customer-1>");
    expect(s.value("u-829", "f", "user.id")).toBe("<redacted-1>");
    expect(s.value("jane@example.com", "f", "user.mail")).toBe("<email-1>");
    expect(s.text("write to jane@example.com", "f")).toBe("write to <email-1>");
  });

  it("scrubs the whole value of secret-looking keys, in attributes and in JSON", () => {
    const s = new Scrubber();
    expect(s.value("hunter2", "f", "http.request.header.authorization")).toBe("<secret-1>");
    expect(s.text('{"password":"hunter2","note":"ok"}', "f")).toBe('{"password":"<secret-1>","note":"ok"}');
  });

  // The usual names of credentials carry a prefix: AWS_SECRET_ACCESS_KEY (the AWS CLI's and SDKs'
  // variable), db_password. README: "API keys … credentials … are replaced before anything is written".
  it("scrubs secrets named with a prefix, in text, in JSON and as attribute keys", () => {
    const s = new Scrubber();
    const key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    expect(s.text(`AWS_SECRET_ACCESS_KEY=${key} aws s3 ls`, "f")).toBe(
      "AWS_SECRET_ACCESS_KEY=<secret-1> aws s3 ls",
    );
    expect(s.text(`{"aws_secret_access_key":"${key}","db_password":"hunter2hunter2","tokens":12}`, "f")).toBe(
      '{"aws_secret_access_key":"<secret-1>","db_password":"<secret-2>","tokens":12}',
    );
    expect(s.value(key, "f", "aws.secret_access_key")).toBe("<secret-1>");
    expect(s.value("abc123session", "f", "app.session_token")).toBe("<secret-3>");
    expect(scrub("gen_ai.usage.input_tokens: 1234, max_tokens=512, password_policy: strict")).toBe(
      "gen_ai.usage.input_tokens: 1234, max_tokens=512, password_policy: strict",
    );
  });
});

describe("secrets in other shapes", () => {
  const base64 = (s: string) => Buffer.from(s).toString("base64");
  const PEM = [
    "-----BEGIN RSA PRIVATE KEY-----",
    "MIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
    "-----END RSA PRIVATE KEY-----",
  ].join("\n");

  it("scrubs keys as well as values: attribute keys, nested map keys and JSON keys", () => {
    const s = new Scrubber();
    const out = s.attributes(
      {
        "sk-proj-abcdefghijklmnop1234": "used as a key",
        "user.emails": { "jane@example.com": true },
        "tool.args": '{"AKIAIOSFODNN7EXAMPLE":{"note":"x"}}',
      },
      "attributes",
    );
    expect(out).toEqual({
      "<secret-1>": "used as a key",
      "user.emails": { "<email-1>": true },
      "tool.args": '{"<secret-2>":{"note":"x"}}',
    });
    const report = formatScrubReport(s.report()).join("\n");
    expect(report).toContain("attributes keys: secret ×1");
    expect(report).not.toContain("sk-proj");
  });

  it("keeps both of two keys that scrub to the same token", () => {
    expect(new Scrubber().attributes({ "Jane@Example.com": 1, "jane@example.com": 2 }, "a")).toEqual({
      "<email-1>": 1,
      "<email-1>#2": 2,
    });
  });

  it("replaces Basic credentials, JWTs and PEM private keys, whole", () => {
    const s = new Scrubber();
    expect(s.text("Authorization: Basic dXNlcjpodW50ZXIy", "f")).toBe("Authorization: Basic <secret-1>");
    expect(s.text(`curl -H 'x: Basic ${base64("alice:s3cr3t!")}'`, "f")).toBe(
      "curl -H 'x: Basic <secret-2>'",
    );
    expect(s.text("a basic approach, basic understanding", "f")).toBe(
      "a basic approach, basic understanding",
    );
    const jwt =
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    expect(s.text(`id_token ${jwt} done`, "f")).toBe("id_token <secret-3> done");
    expect(s.text(`key:\n${PEM}\nnext line`, "f")).toBe("key:\n<secret-4>\nnext line");
    // The same key written with \n escapes, or cut before its END line, is the same secret.
    expect(s.text(PEM.replaceAll("\n", "\\n"), "f")).toBe("<secret-4>");
    expect(s.text(`${PEM.split("\n").slice(0, 2).join("\n")}\n(truncated`, "f")).toBe("<secret-5>(truncated");
  });

  it("replaces credentials in URL query and form parameters", () => {
    expect(scrub("https://x.test/cb?state=ok&token=abc123&x=1#access_token=zzz999yyy")).toBe(
      "https://x.test/cb?state=ok&token=<secret-2>&x=1#access_token=<secret-1>",
    );
    expect(
      scrub("https://b.s3.amazonaws.com/o?X-Amz-Credential=AKID%2F2026&X-Amz-Signature=abcdef0123"),
    ).toBe("https://b.s3.amazonaws.com/o?X-Amz-Credential=<secret-1>&X-Amz-Signature=<secret-2>");
    expect(scrub("grant_type=password&password=hunter2&client_secret=xyzxyz")).toBe(
      "grant_type=password&password=<secret-1>&client_secret=<secret-2>",
    );
  });

  it("opens base64: a hidden value gets its own token, a hidden secret hides the whole run", () => {
    const s = new Scrubber();
    expect(s.text(`mail ${base64("jane@example.com")} and jane@example.com`, "f")).toBe(
      "mail <email-1> and <email-1>",
    );
    const config = base64("api_key=sk-proj-abcdefghijklmnop1234\nregion=eu");
    expect(s.text(`env ${config}`, "f")).toBe("env <secret-1>");
    expect(s.text(`again ${config}`, "f")).toBe("again <secret-1>");
    expect(s.text(base64(base64("password: correct-horse-battery")), "f")).toBe("<secret-2>");
    const harmless = `${base64("hello world, nothing to see")} 0af7651916cd43dd8448eb211c80319c ${"QUJD".repeat(40)}`;
    expect(s.text(harmless, "f")).toBe(harmless);
  });
});

describe("hostile sizes", () => {
  // Each value is a few hundred kB built to make a backtracking detector retry at every position; the
  // scrubber reads it in one pass per detector (bench/scrub.ts measures the time).
  const N = 300_000;
  const adversarial: Record<string, string> = {
    "an email local part that never meets an @": "a".repeat(N),
    "dots and at signs": "a.@".repeat(N / 3),
    "digits in groups": "4111 ".repeat(N / 5),
    "dotted numbers": "1.2.3.4.".repeat(N / 8),
    colons: "a:".repeat(N / 2),
    "secret names without values": "password= ".repeat(N / 10),
    "PEM headers without an END": "-----BEGIN PRIVATE KEY-----\n".repeat(N / 28),
  };
  it.each(Object.entries(adversarial))("%s", (_, text) => {
    const s = new Scrubber();
    const marked = `${text}; jane@example.com`;
    const out = s.text(marked, "f");
    expect(out.endsWith("<email-1>") || out.endsWith('"<email-1>"}')).toBe(true);
    expect(out.length).toBeGreaterThan(N / 3);
  });

  it("JSON with a long run of whitespace between a key and its value", () => {
    const spaces = " ".repeat(N);
    expect(new Scrubber().text(`{"to":${spaces}"jane@example.com"}`, "f")).toBe(
      `{"to":${spaces}"<email-1>"}`,
    );
  });
});

describe("JSON values", () => {
  it("walks JSON literal by literal so it stays valid, keeping layout and big integers", () => {
    const text =
      '{ "to": "jane@example.com",\n  "n": 12345678901234567890, "card": 4111111111111111, "body": "hi\\njane@example.com" }';
    const out = scrub(text);
    expect(out).toBe(
      '{ "to": "<email-1>",\n  "n": 12345678901234567890, "card": "<card-1>", "body": "hi\\n<email-1>" }',
    );
    expect(() => JSON.parse(out)).not.toThrow();
  });

  it("scrubs JSON nested in a JSON string", () => {
    const inner = JSON.stringify({ email: "jane@example.com" });
    const out = scrub(JSON.stringify([{ content: inner }]));
    expect(JSON.parse(JSON.parse(out)[0].content)).toEqual({ email: "<email-1>" });
  });

  it("is stable: scrubbing a scrubbed text again changes nothing", () => {
    const text =
      'Bearer abcdefgh12345678 api_key=zzzz9999 jane@example.com 4111 1111 1111 1111 10.0.0.1 +1 555 123 4567 {"password":"x1secret"}';
    const once = scrub(text);
    expect(once).toBe(
      'Bearer <secret-1> api_key=<secret-2> <email-1> <card-1> <ip-1> <phone-1> {"password":"<secret-3>"}',
    );
    expect(scrub(once)).toBe(once);
    expect(new Scrubber().report().findings).toEqual([]);
  });
});

const record = (): SpanRecord =>
  span({
    traceId: "0123456789abcdef0123456789abcdef",
    spanId: "1234567890123456",
    name: "tool",
    kind: "tool",
    convention: "native",
    status: { code: "error", message: "failed for jane@example.com" },
    attributes: {
      "tool.args": '{"card":"4111 1111 1111 1111","to":"jane@example.com"}',
      "policy.subject": "1234567890123456",
    },
    events: [
      { name: "exception", time: "1", attributes: { "exception.message": "token sk-abcdefghijklmnopqrst" } },
    ],
    resource: { "host.ip": "10.1.2.3" },
  });

describe("records and scenario", () => {
  it("scrubs every string of a record, keeps ids, and reports by field", () => {
    const s = new Scrubber({ keep: ["1234567890123456"] });
    const [out] = scrubRecords([record()], s);
    expect(out).toMatchObject({
      spanId: "1234567890123456",
      status: { message: "failed for <email-1>" },
      attributes: {
        "tool.args": '{"card":"<card-1>","to":"<email-1>"}',
        "policy.subject": "1234567890123456",
      },
      events: [{ attributes: { "exception.message": "token <secret-1>" } }],
      resource: { "host.ip": "<ip-1>" },
    });
    const scenario = scrubScenario(
      {
        input: "I am jane@example.com",
        turns: [{ toolCalls: [{ name: "pay", arguments: '{"card":"4111111111111111"}' }] }],
      },
      s,
    );
    expect(scenario).toEqual({
      input: "I am <email-1>",
      turns: [{ toolCalls: [{ name: "pay", arguments: '{"card":"<card-1>"}' }] }],
    });
    expect(formatScrubReport(s.report())).toMatchInlineSnapshot(`
      [
        "span 1234567890123456 status.message: email ×1",
        "span 1234567890123456 attributes["tool.args"]: card ×1, email ×1",
        "span 1234567890123456 events[0].attributes["exception.message"]: secret ×1",
        "resource["host.ip"]: ip ×1",
        "scenario.input: email ×1",
        "scenario.turns[0].toolCalls[0].arguments: card ×1",
      ]
    `);
    expect(s.report()).toMatchObject({ values: 4, occurrences: 7 });
  });
});

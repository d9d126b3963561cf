/**
 * The sampling fields of a span's W3C `tracestate` as the collector's `pkg/sampling` reads them
 * (w3ctracestate.go NewW3CTraceState, oteltracestate.go NewOpenTelemetryTraceState): the `ot` member's
 * `rv` (explicit randomness, 14 hex digits) and `th` (threshold, 1–14 hex digits). The probabilistic
 * sampler uses them instead of, or together with, the trace id; a tracestate that does not parse is an
 * error the sampler settles by `fail_closed`.
 */

const MAX_W3C_LENGTH = 1024;
const MAX_PAIRS = 32;
const MAX_KEY_LENGTH = 256;
const MAX_TENANT_LENGTH = 241;
const MAX_SYSTEM_LENGTH = 14;
const MAX_OTEL_LENGTH = 256;
const HEX_DIGITS = 14;

/** What the sampler needs of a tracestate; `error` when it does not parse (the span's sampling fails). */
export interface SamplingTraceState {
  readonly randomness?: bigint;
  readonly threshold?: bigint;
  readonly error?: string;
  /** `rv` and `th` as written (a kept span carries them on unchanged, upper-case digits and all). */
  readonly rvText?: string;
  readonly thText?: string;
  /** The `ot` value's other members (`key:value`) and the tracestate's other members (`key=value`), in order. */
  readonly otExtras?: readonly string[];
  readonly members?: readonly string[];
}

const NONE: SamplingTraceState = {};
const KEY = /^(?:[a-z][a-z0-9_\-*/]*|[a-z0-9][a-z0-9_\-*/]*@[a-z][a-z0-9_\-*/]*)$/;
/**
 * A W3C `tracestate` member's value, as both Go readers take it (OpenTelemetry Go's ParseTraceState and
 * the collector's pkg/sampling): value = 0*255(chr) nblk-chr; chr = %x20 / nblk-chr; nblk-chr = %x21-2B /
 * %x2D-3C / %x3E-7E.
 */
export const W3C_VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const OTEL_MEMBER = "[a-z][a-z0-9]*:[a-zA-Z0-9._\\-]*";
const OTEL_VALUE = new RegExp(`^${OTEL_MEMBER}(?:;${OTEL_MEMBER})*$`);
const HEX = /^[0-9a-fA-F]+$/;

/** Parses a span's tracestate (undefined or "" is an empty one). */
export function samplingTraceState(text: string | undefined): SamplingTraceState {
  if (text === undefined || text === "") return NONE;
  if (text.length > MAX_W3C_LENGTH) return { error: `the tracestate is longer than ${MAX_W3C_LENGTH} bytes` };
  let ot: string | undefined;
  let pairs = 0;
  const members: string[] = [];
  for (const raw of text.split(",")) {
    const member = raw.replace(/^[ \t]+|[ \t]+$/g, "");
    if (member === "") continue;
    const eq = member.indexOf("=");
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (eq < 1 || !KEY.test(key) || !W3C_VALUE.test(value))
      return { error: `the tracestate member '${member}' is not valid W3C syntax` };
    if (++pairs > MAX_PAIRS) return { error: `the tracestate has more than ${MAX_PAIRS} members` };
    const at = key.indexOf("@");
    if (
      key.length > MAX_KEY_LENGTH ||
      (at >= 0 && (at > MAX_TENANT_LENGTH || key.length - at - 1 > MAX_SYSTEM_LENGTH))
    )
      return { error: `the tracestate key '${key}' is too long` };
    if (key === "ot") ot = value;
    else members.push(member);
  }
  const parsed = ot === undefined ? NONE : otelValue(ot);
  return parsed.error || members.length === 0 ? parsed : { ...parsed, members };
}

/**
 * The tracestate as the sampler writes it back on a span it keeps (W3CTraceState.Serialize,
 * OTelTraceState.Serialize): `ot=` first — `rv`, then `th`, then its other members — then the other
 * members in the order they came; nothing when nothing is left.
 */
export function serializeSamplingTraceState(ts: SamplingTraceState): string {
  const ot = [
    ...(ts.rvText !== undefined ? [`rv:${ts.rvText}`] : []),
    ...(ts.thText !== undefined ? [`th:${ts.thText}`] : []),
    ...(ts.otExtras ?? []),
  ];
  return [...(ot.length > 0 ? [`ot=${ot.join(";")}`] : []), ...(ts.members ?? [])].join(",");
}

function otelValue(text: string): SamplingTraceState {
  if (text.length > MAX_OTEL_LENGTH) return { error: `the tracestate's ot value is longer than 256 bytes` };
  if (!OTEL_VALUE.test(text)) return { error: `the tracestate's ot value '${text}' is not valid` };
  let randomness: bigint | undefined;
  let threshold: bigint | undefined;
  let rvText: string | undefined;
  let thText: string | undefined;
  const otExtras: string[] = [];
  for (const member of text.split(";")) {
    const colon = member.indexOf(":");
    const key = member.slice(0, colon);
    const value = member.slice(colon + 1);
    if (key === "rv") {
      // RValueToRandomness: exactly 14 hex digits.
      if (value.length !== HEX_DIGITS || !HEX.test(value))
        return { error: `the tracestate's rv '${value}' is not 14 hex digits` };
      randomness = BigInt(`0x${value}`);
      rvText = value;
    } else if (key === "th") {
      // TValueToThreshold: 1–14 hex digits, the missing low digits zero.
      if (value.length === 0 || value.length > HEX_DIGITS || !HEX.test(value))
        return { error: `the tracestate's th '${value}' is not 1 to 14 hex digits` };
      threshold = BigInt(`0x${value}`) << BigInt(4 * (HEX_DIGITS - value.length));
      thText = value;
    } else otExtras.push(member);
  }
  return {
    ...(randomness !== undefined ? { randomness, rvText } : {}),
    ...(threshold !== undefined ? { threshold, thText } : {}),
    ...(otExtras.length > 0 ? { otExtras } : {}),
  };
}

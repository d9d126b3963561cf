import type { Profile } from "../model/profile.js";

/** What every profile requires at least: each action fully reconstructable and joined into its run. */
const RECONSTRUCTABLE_FACTS: Profile["required"] = {
  agent: ["record", "parent", "traceId", "name", "status"],
  llm: ["record", "parent", "traceId", "model", "status", "input", "output"],
  tool: ["record", "parent", "traceId", "name", "status", "arguments", "result"],
  policy: ["record", "parent", "traceId", "name", "decision", "reason", "subject"],
  handoff: ["record", "parent", "traceId", "from", "to"],
};

/** Content that carries personal data: regimes that care about it accept it masked or hashed. */
const PERSONAL_CONTENT: Profile["maskable"] = {
  llm: ["input", "output"],
  tool: ["arguments", "result"],
  agent: ["input", "output"],
};

const base = {
  required: RECONSTRUCTABLE_FACTS,
  maskable: {},
  retention: {},
  integrity: "none",
  alwaysKeep: { failedRuns: true, policyDecisions: true },
} satisfies Omit<Profile, "name" | "description" | "citations">;

export const BUILTIN_PROFILES: Record<string, Profile> = {
  reconstructable: {
    ...base,
    name: "reconstructable",
    description: "Every action of every run fully reconstructable end to end; no retention minimum.",
    citations: [],
  },
  "eu-ai-act": {
    ...base,
    name: "eu-ai-act",
    description:
      "EU AI Act (Regulation (EU) 2024/1689), high-risk systems: automatic recording of events over the system's lifetime, logs kept at least six months.",
    citations: [
      "Art. 12(1): automatic recording of events (logs) over the lifetime of the system",
      "Art. 19(1): providers keep automatically generated logs for at least six months",
      "Art. 26(6): deployers keep automatically generated logs for at least six months",
    ],
    maskable: PERSONAL_CONTENT,
    retention: { minimum: "6mo" },
  },
  "pci-dss-4": {
    ...base,
    name: "pci-dss-4",
    description:
      "PCI DSS v4.0.1 Requirement 10: audit logs record user, event, time, outcome, origin and resource; kept 12 months with the last 3 immediately available; protected from modification.",
    citations: [
      "Req. 10.2.2: audit logs record user identification, event type, date and time, success or failure, origin, affected resource",
      "Req. 10.3.2–10.3.4: audit log files are protected from modification; changes are detected",
      "Req. 10.5.1: audit log history retained for at least 12 months, the most recent three months immediately available",
    ],
    maskable: PERSONAL_CONTENT,
    retention: { minimum: "12mo", immediate: "3mo" },
    integrity: "tamper-evident",
  },
  hipaa: {
    ...base,
    name: "hipaa",
    description:
      "HIPAA Security Rule: audit controls over systems with electronic protected health information, documentation kept six years, integrity protected.",
    citations: [
      "45 CFR 164.312(b): audit controls that record and examine activity",
      "45 CFR 164.312(c)(1): integrity — protect ePHI from improper alteration or destruction",
      "45 CFR 164.316(b)(2)(i): retain documentation for six years",
    ],
    maskable: PERSONAL_CONTENT,
    retention: { minimum: "6y" },
    integrity: "tamper-evident",
  },
  "sec-17a-4": {
    ...base,
    name: "sec-17a-4",
    description:
      "SEC Rule 17a-4 / FINRA 4511: required records kept six years, the first two easily accessible, in WORM storage or with an audit-trail alternative.",
    citations: [
      "17 CFR 240.17a-4(a): records preserved for not less than six years, the first two years in an easily accessible place",
      "17 CFR 240.17a-4(f)(2): non-rewriteable, non-erasable format or a complete time-stamped audit trail",
      "FINRA Rule 4511: books and records preserved per SEA Rule 17a-4",
    ],
    retention: { minimum: "6y", immediate: "2y" },
    integrity: "tamper-evident",
  },
  soc2: {
    ...base,
    name: "soc2",
    description:
      "SOC 2 (CC7.2) with ISO/IEC 27001:2022 A.8.15 and ISO/IEC 42001 A.6.2.8: activity logged, protected, and kept as evidence for the audit period (twelve months for a Type 2 report).",
    citations: [
      "AICPA TSC CC7.2: the entity monitors system components for anomalies and evaluates them",
      "ISO/IEC 27001:2022 Annex A 8.15: logs produced, stored, protected and analysed",
      "ISO/IEC 42001:2023 Annex A 6.2.8: event logs of the AI system recorded",
    ],
    maskable: PERSONAL_CONTENT,
    retention: { minimum: "12mo" },
    integrity: "tamper-evident",
  },
  "nist-800-53": {
    ...base,
    name: "nist-800-53",
    description:
      "NIST SP 800-53 Rev. 5 audit family: event content per AU-3, retention per AU-11 (FedRAMP: 90 days online), protection per AU-9.",
    citations: [
      "AU-2, AU-3: event logging and content of audit records",
      "AU-11: audit record retention (FedRAMP baseline: at least 90 days online)",
      "AU-9, AU-9(3): protection of audit information, cryptographic protection",
    ],
    maskable: PERSONAL_CONTENT,
    retention: { minimum: "90d", immediate: "90d" },
    integrity: "tamper-evident",
  },
};

export const BUILTIN_PROFILE_NAMES = Object.keys(BUILTIN_PROFILES);

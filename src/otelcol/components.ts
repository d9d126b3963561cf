import { PROCESSOR_NAMES } from "../model/processors.js";

/** The component kinds of a collector config, in the order of its top-level sections. */
export const KINDS = ["receivers", "processors", "exporters", "connectors", "extensions"] as const;
export type ComponentKind = (typeof KINDS)[number];

/**
 * Component types of the core and contrib distributions, by kind. They let trailcheck reject a type
 * written in a section it can't belong to (an `otlp` processor), as the collector does; a type in none
 * of these lists may belong to a custom distribution and is not rejected.
 */
export const KNOWN_TYPES: Readonly<Record<ComponentKind, ReadonlySet<string>>> = {
  receivers: new Set([
    "otlp",
    "jaeger",
    "zipkin",
    "kafka",
    "opencensus",
    "skywalking",
    "pulsar",
    "solace",
    "awsxray",
    "googlecloudpubsub",
    "datadog",
    "hostmetrics",
    "prometheus",
    "filelog",
    "journald",
    "kubeletstats",
    "k8s_cluster",
    "k8sobjects",
    "k8s_events",
    "syslog",
    "fluentforward",
    "statsd",
    "nop",
  ]),
  processors: new Set([
    // The ones trailcheck models, then known ones it reports as unknown.
    ...PROCESSOR_NAMES,
    "resource",
    "resourcedetection",
    "k8sattributes",
    "span",
    "groupbytrace",
    "groupbyattrs",
    "cumulativetodelta",
    "deltatorate",
    "metricstransform",
    "metricsgeneration",
    "schema",
    "remotetap",
    "interval",
    "geoip",
    "logdedup",
    "routing",
  ]),
  exporters: new Set([
    "otlp",
    "otlphttp",
    "debug",
    "logging",
    "nop",
    "file",
    "kafka",
    "zipkin",
    "prometheus",
    "prometheusremotewrite",
    "loadbalancing",
    "awsxray",
    "awss3",
    "azureblob",
    "azuremonitor",
    "googlecloud",
    "googlecloudstorage",
    "datadog",
    "elasticsearch",
    "opensearch",
    "clickhouse",
    "splunk_hec",
    "loki",
    "sentry",
  ]),
  connectors: new Set([
    "forward",
    "routing",
    "spanmetrics",
    "servicegraph",
    "count",
    "exceptions",
    "failover",
    "roundrobin",
    "signaltometrics",
    "sum",
    "otlpjson",
    "datadog",
  ]),
  extensions: new Set([
    "health_check",
    "healthcheckv2",
    "pprof",
    "zpages",
    "file_storage",
    "basicauth",
    "bearertokenauth",
    "oauth2client",
    "oidc",
    "headers_setter",
    "memory_ballast",
    "opamp",
  ]),
};

/** A known type of another kind and of no kind this section allows: the collector has no such factory. */
export function misplacedType(kind: ComponentKind, type: string): ComponentKind | undefined {
  if (KNOWN_TYPES[kind].has(type)) return undefined;
  return KINDS.find((k) => k !== kind && KNOWN_TYPES[k].has(type));
}

/** Exporters that keep nothing anyone can read later. */
export const NON_STORING_EXPORTERS: ReadonlySet<string> = new Set(["debug", "logging", "nop"]);

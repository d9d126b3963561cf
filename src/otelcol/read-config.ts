import { InputError, type Location } from "../errors.js";
import { type ComponentId, parseComponentId, pipelineSignal } from "./component-id.js";
import { type ComponentKind, KINDS, misplacedType } from "./components.js";
import { type Environment, type ExpansionNote, expandTree } from "./env-expand.js";
import { type ConfigPath, isPlainMap, MergedSource, type SourceFile } from "./source-tree.js";

/** One configured component: `processors: { probabilistic_sampler/llm: {...} }`. */
export interface Component extends ComponentId {
  readonly kind: ComponentKind;
  /** Its settings after expansion; `{}` for `batch:` with nothing under it. */
  readonly settings: Record<string, unknown>;
  readonly path: ConfigPath;
}

export interface Pipeline {
  readonly id: string;
  readonly signal: string;
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
  readonly path: ConfigPath;
}

/** A collector config as the collector reads it: merged, expanded, its references checked. */
export interface CollectorConfig {
  readonly source: MergedSource;
  readonly components: Readonly<Record<ComponentKind, ReadonlyMap<string, Component>>>;
  readonly pipelines: readonly Pipeline[];
  /** References the expansion could not resolve as the collector would (unset variables, other providers). */
  readonly expansion: readonly ExpansionNote[];
}

const TOP_LEVEL = new Set<string>([...KINDS, "service"]);
const PIPELINE_KEYS = ["receivers", "processors", "exporters"] as const;

function reject(message: string, location: Location): never {
  throw new InputError("bad-otelcol-config", message, location);
}

function readComponents(kind: ComponentKind, section: unknown, source: MergedSource): Map<string, Component> {
  const out = new Map<string, Component>();
  if (section === null || section === undefined) return out;
  if (!isPlainMap(section))
    reject(`${kind} must be a map of component ids to settings`, source.locate([kind]));
  for (const [id, settings] of Object.entries(section)) {
    const path = [kind, id];
    const parsed = parseComponentId(id, source.locate(path), kind.slice(0, -1));
    const wrong = misplacedType(kind, parsed.type);
    if (wrong) {
      reject(
        `${kind}::${id}: unknown type: "${parsed.type}" for id: "${id}" ("${parsed.type}" is one of the ${wrong}, not of the ${kind})`,
        source.locate(path),
      );
    }
    if (settings !== null && !isPlainMap(settings)) {
      reject(`${kind}::${id}: settings must be a map`, source.locate(path));
    }
    out.set(id, { ...parsed, kind, settings: (settings as Record<string, unknown> | null) ?? {}, path });
  }
  return out;
}

function readIdList(value: unknown, path: ConfigPath, source: MergedSource): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    reject(`${path.join("::")}: expected a list of component ids`, source.locate(path));
  }
  return value as string[];
}

function readPipeline(
  id: string,
  raw: unknown,
  components: CollectorConfig["components"],
  source: MergedSource,
): Pipeline {
  const path = ["service", "pipelines", id];
  const signal = pipelineSignal(id, source.locate(path));
  const name = `service::pipelines::${id}`;
  if (raw !== null && !isPlainMap(raw)) reject(`${name}: must be a map`, source.locate(path));
  const map = (raw as Record<string, unknown> | null) ?? {};
  for (const key of Object.keys(map)) {
    if (!(PIPELINE_KEYS as readonly string[]).includes(key)) {
      reject(`${name}: has invalid keys: ${key}`, source.locate([...path, key]));
    }
  }
  const lists = {} as Record<(typeof PIPELINE_KEYS)[number], string[]>;
  for (const key of PIPELINE_KEYS) {
    const ids = readIdList(map[key], [...path, key], source);
    const singular = key.slice(0, -1);
    const allowed: ComponentKind[] = key === "processors" ? ["processors"] : [key, "connectors"];
    ids.forEach((ref, i) => {
      if (ids.indexOf(ref) !== i) {
        reject(`${name}: references ${singular} "${ref}" multiple times`, source.locate([...path, key, i]));
      }
      if (!allowed.some((k) => components[k].has(ref))) {
        reject(
          `${name}: references ${singular} "${ref}" which is not configured`,
          source.locate([...path, key, i]),
        );
      }
    });
    lists[key] = ids;
  }
  if (lists.receivers.length === 0) reject(`${name}: must have at least one receiver`, source.locate(path));
  if (lists.exporters.length === 0) reject(`${name}: must have at least one exporter`, source.locate(path));
  return { id, signal, ...lists, path };
}

/** Every connector must be an exporter of one pipeline and a receiver of another, as the collector requires. */
function checkConnectors(config: Omit<CollectorConfig, "expansion">): void {
  for (const [id, connector] of config.components.connectors) {
    const asExporter = config.pipelines.filter((p) => p.exporters.includes(id));
    const asReceiver = config.pipelines.filter((p) => p.receivers.includes(id));
    if (asExporter.length > 0 && asReceiver.length === 0) {
      reject(
        `connector "${id}" used as exporter in ${asExporter[0]!.signal} pipeline but not used in any supported receiver pipeline`,
        config.source.locate(connector.path),
      );
    }
    if (asReceiver.length > 0 && asExporter.length === 0) {
      reject(
        `connector "${id}" used as receiver in ${asReceiver[0]!.signal} pipeline but not used in any supported exporter pipeline`,
        config.source.locate(connector.path),
      );
    }
  }
}

/** Pipelines joined by connectors must not form a cycle; the collector refuses to start one. */
function checkCycles(config: Omit<CollectorConfig, "expansion">): void {
  const next = (p: Pipeline) =>
    config.pipelines.filter((q) =>
      q.receivers.some((r) => p.exporters.includes(r) && config.components.connectors.has(r)),
    );
  const state = new Map<string, "visiting" | "done">();
  const visit = (p: Pipeline, trail: string[]): void => {
    if (state.get(p.id) === "done") return;
    if (state.get(p.id) === "visiting") {
      const from = trail.indexOf(p.id);
      reject(
        `cycle detected: ${[...trail.slice(from), p.id].join(" -> ")}`,
        config.source.locate(["service", "pipelines", p.id]),
      );
    }
    state.set(p.id, "visiting");
    for (const q of next(p)) visit(q, [...trail, p.id]);
    state.set(p.id, "done");
  };
  for (const p of config.pipelines) visit(p, []);
}

/**
 * Reads parsed config files as the collector does: merges them in order, expands `${…}` references,
 * and rejects what the collector rejects (unknown sections, undefined references, empty pipelines,
 * connectors used on one side only, cycles). Components are not interpreted here.
 */
export function readCollectorConfig(files: readonly SourceFile[], env: Environment): CollectorConfig {
  const merged = new MergedSource(files);
  const expansion: ExpansionNote[] = [];
  const value = expandTree(merged.value, env, expansion, (p) => merged.locate(p)) as Record<string, unknown>;
  const source = new MergedSource(files, value);
  for (const key of Object.keys(value)) {
    if (!TOP_LEVEL.has(key)) reject(`'' has invalid keys: ${key}`, source.locate([key]));
  }
  const components = Object.fromEntries(
    KINDS.map((kind) => [kind, readComponents(kind, value[kind], source)]),
  ) as unknown as CollectorConfig["components"];
  const service = value.service;
  if (service !== undefined && service !== null && !isPlainMap(service)) {
    reject("service must be a map", source.locate(["service"]));
  }
  const svc = (service as Record<string, unknown> | undefined) ?? {};
  readIdList(svc.extensions, ["service", "extensions"], source).forEach((ref, i) => {
    if (!components.extensions.has(ref)) {
      reject(
        `service::extensions: references extension "${ref}" which is not configured`,
        source.locate(["service", "extensions", i]),
      );
    }
  });
  const rawPipelines = svc.pipelines;
  if (rawPipelines !== undefined && rawPipelines !== null && !isPlainMap(rawPipelines)) {
    reject("service::pipelines must be a map", source.locate(["service", "pipelines"]));
  }
  const entries = Object.entries((rawPipelines as Record<string, unknown> | undefined) ?? {});
  if (entries.length === 0) reject("service must have at least one pipeline", source.locate(["service"]));
  const pipelines = entries.map(([id, raw]) => readPipeline(id, raw, components, source));
  const config = { source, components, pipelines };
  checkConnectors(config);
  checkCycles(config);
  return { ...config, expansion };
}

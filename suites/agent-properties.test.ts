// Synthetic scenarios replayed against the agent (properties.agentRuns) — trailcheck's own suite; `npx trailcheck run` runs it with the settings in trailcheck.config.yaml.
import "trailcheck/suites/agent-properties";

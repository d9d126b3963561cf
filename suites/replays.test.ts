// Incidents with a scenario replayed against the agent — trailcheck's own suite; `npx trailcheck run` runs it with the settings in trailcheck.config.yaml.
import "trailcheck/suites/replays";

// The logging config per stream: retention, integrity, correlation, capture probability — trailcheck's own suite; `npx trailcheck run` runs it with the settings in trailcheck.config.yaml.
import "trailcheck/suites/config-checks";

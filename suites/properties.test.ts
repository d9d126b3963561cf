// Property-based synthetic runs through the logging config — trailcheck's own suite; `npx trailcheck run` runs it with the settings in trailcheck.config.yaml.
import "trailcheck/suites/properties";

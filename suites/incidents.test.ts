// Every incident in incidents/ is a permanent test — trailcheck's own suite; `npx trailcheck run` runs it with the settings in trailcheck.config.yaml.
import "trailcheck/suites/incidents";

#!/usr/bin/env node
// The compiled CLI (`npm run build`, which `npm ci` runs as `prepare`). In this repository, `npm run dev --`
// runs the TypeScript sources instead.
import "../dist/cli/main.js";

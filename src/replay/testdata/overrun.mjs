// Keeps asking the model until it refuses, like an agent loop that doesn't stop; exports what it did.
import { chat, chatSpan, exportJson } from "./_lib.mjs";

const spans = [];
try {
  for (let i = 0; i < 10; i++) {
    await chat([{ role: "user", content: process.env.TRAILCHECK_INPUT }]);
    spans.push(chatSpan());
  }
} finally {
  await exportJson(spans);
}

// Shared by the browser tests: Playwright drives Debian's Chromium (no
// browser download), axe-core checks accessibility, and `test` runs named
// checks in order and exits non-zero when one fails.
//
// Every script takes the served site's base URL (`http://127.0.0.1:PORT/`)
// as its first argument; `cargo test --test ux` starts `almanac serve` and
// runs each script against it.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import assert from "node:assert/strict";

export { assert };

export const base = process.argv[2] || "http://127.0.0.1:8000/";

export const PHONE = { width: 390, height: 844 };
export const TABLET = { width: 1024, height: 768 };
export const DESKTOP = { width: 1440, height: 900 };

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");

let browser;
export async function launch() {
  browser ??= await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return browser;
}

/// A fresh page at `viewport` in `scheme` ("light" or "dark"); console errors
/// failed subresources and uncaught exceptions are collected in `page.errors`.
export async function newPage(viewport = DESKTOP, scheme = "light", options = {}) {
  const b = await launch();
  const context = await b.newContext({ viewport, colorScheme: scheme, ...options });
  const page = await context.newPage();
  page.errors = [];
  // A missing subresource is an error; the page's own 404 (the 404 page's
  // test) is not.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) page.errors.push(m.text());
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.request().isNavigationRequest()) page.errors.push(`${r.status()} ${r.url()}`);
  });
  page.on("pageerror", (e) => page.errors.push(String(e)));
  return page;
}

/// Opens `path` (relative to the site's base) and waits until it has loaded.
export async function open(page, path) {
  const response = await page.goto(new URL(path, base).href, { waitUntil: "load" });
  return response;
}

/// axe-core's WCAG 2.1 A and AA violations on the page as it is now, as
/// readable lines: rule, impact, and the first few elements.
export async function axe(page, context = "document") {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async (context) => {
    const target = context === "document" ? document : document.querySelector(context);
    const result = await window.axe.run(target, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ") + " — " + n.failureSummary.split("\n").slice(1, 2).join("")),
      count: v.nodes.length,
    }));
  }, context);
  return violations.map((v) => `${v.id} (${v.impact}, ${v.count}×): ${v.nodes.join(" | ")}`);
}

const failures = [];
let ran = 0;
/// Runs one named check; a failure is printed and the script goes on.
export async function test(name, body) {
  ran += 1;
  try {
    await body();
    console.log(`ok   ${name}`);
  } catch (e) {
    failures.push(name);
    console.log(`FAIL ${name}\n     ${String(e && e.stack || e).split("\n").join("\n     ")}`);
  }
}

/// Closes the browser and sets the exit code: 1 when a check failed.
export async function done() {
  if (browser) await browser.close();
  console.log(`${ran - failures.length} passed, ${failures.length} failed`);
  process.exitCode = failures.length ? 1 : 0;
}

// axe-core on each page type of the bundled handbook, on a phone (390 px)
// and a desktop (1440 px), in light and dark: no WCAG 2.1 A/AA violation.
import { axe, assert, newPage, open, test, done, PHONE, DESKTOP } from "./lib.mjs";

const pages = [
  ["home", "index.html"],
  ["guide", "release/hotfix-guide.html"],
  ["section", "release/index.html"],
  ["calendar", "calendar/index.html"],
  ["release", "calendar/0.6.0.html"],
  ["metrics", "metrics/index.html"],
  ["report", "reports/2026-Q3.html"],
  ["reports index", "reports/index.html"],
  ["404 at a nested path", "no/such/page.html"],
];

for (const [label, viewport] of [["390", PHONE], ["1440", DESKTOP]]) {
  for (const scheme of ["light", "dark"]) {
    const page = await newPage(viewport, scheme);
    for (const [kind, path] of pages) {
      await test(`axe: ${kind} at ${label} px, ${scheme}`, async () => {
        await open(page, path);
        const found = await axe(page);
        assert.deepEqual(found, [], `${path}:\n  ${found.join("\n  ")}`);
        assert.deepEqual(page.errors.splice(0), [], "console errors");
      });
    }
    await test(`axe: search open at ${label} px, ${scheme}`, async () => {
      await open(page, "release/hotfix-guide.html");
      await page.fill("#search-input", "release");
      await page.waitForSelector("#search-results:not([hidden]) a");
      const found = await axe(page);
      assert.deepEqual(found, [], found.join("\n  "));
    });
    await page.context().close();
  }
}
await done();

// Versions (issue 21) on the fixture repository of tests/versions.rs, built
// with `versions:` and opened from disk (argument 1: its file:// URL; a
// second argument: where to write the README's screenshot). From a deep page
// of the latest release, switch to 1.0.0 by the switcher: the page it had
// then, with the banner; the banner leads back; search in 1.0.0 finds what
// only 1.0.0 has; axe on an older version's page, switcher open.
import { mkdirSync } from "node:fs";
import { assert, newPage, open, test, done, axe, PHONE, DESKTOP } from "./lib.mjs";

const shot = process.argv[3];

await test("switching version from a deep page lands on that page as it was, under the banner", async () => {
  const page = await newPage(DESKTOP);
  await open(page, "guides/patching.html");
  assert.equal(await page.locator(".al-version-banner").count(), 0, "the latest has no banner");
  await page.click(".al-versions > summary");
  const items = await page.locator(".al-versions a").allTextContents();
  assert.deepEqual(items.map((t) => t.split(" ")[0]), ["1.2.0", "1.1.0", "1.0.0"]);
  await page.click(".al-versions a:has-text('1.0.0')");
  await page.waitForLoadState("load");
  assert.match(page.url(), /\/v1\.0\.0\/guides\/hotfix\.html$/, "renamed since: the old name");
  const banner = page.locator(".al-version-banner");
  assert.ok(await banner.isVisible(), "the banner shows");
  assert.match(await banner.textContent(), /You are reading the handbook for 1\.0\.0\. The latest release is 1\.2\.0/);
  // An older release's page is shared by the releases that have it the
  // same: the theme's script names the version from the menu.
  assert.equal(await page.locator(".al-versions > summary").textContent(), "Version: 1.0.0");
  assert.equal(await page.locator('.al-versions a[aria-current="true"]').getAttribute("data-version"), "1.0.0");
  await page.click(".al-version-banner a");
  await page.waitForLoadState("load");
  assert.match(page.url(), /\/guides\/patching\.html$/);
  assert.ok(!/\/v1\./.test(page.url()), "back at the latest");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

await test("search in an older version finds that version's pages", async () => {
  const page = await newPage(DESKTOP);
  await open(page, "v1.0.0/guides/release.html");
  await page.fill("#search-input", "zanzibar");
  await page.waitForSelector("#search-results a[role=option]");
  const hrefs = await page.$$eval("#search-results a[role=option]", (as) => as.map((a) => a.href));
  assert.ok(hrefs.length > 0);
  for (const href of hrefs) assert.match(href, /\/v1\.0\.0\/guides\/legacy\.html/);
  // The latest does not have the page: no result there.
  await open(page, "guides/release.html");
  await page.fill("#search-input", "zanzibar");
  await page.waitForFunction(() => /No results/.test(document.getElementById("search-status")?.textContent || ""));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

await test("an older version's page, switcher open, passes axe on phone and desktop, light and dark", async () => {
  for (const viewport of [PHONE, DESKTOP]) {
    for (const scheme of ["light", "dark"]) {
      const page = await newPage(viewport, scheme);
      await open(page, "v1.1.0/guides/release.html");
      await page.click(".al-versions > summary");
      const list = await page.locator(".al-versions ul").boundingBox();
      assert.ok(list.x >= 0 && list.x + list.width <= viewport.width, `the list fits at ${viewport.width}px`);
      const violations = await axe(page);
      assert.deepEqual(violations, [], `${viewport.width}px ${scheme}`);
      await open(page, "v1.1.0/what-changed.html");
      assert.deepEqual(await axe(page), [], `what changed, ${viewport.width}px ${scheme}`);
      await page.context().close();
    }
  }
});

if (shot) {
  await test("screenshot of the switcher and the banner", async () => {
    const page = await newPage({ width: 1100, height: 520 });
    await open(page, "v1.0.0/guides/hotfix.html");
    await page.click(".al-versions > summary");
    mkdirSync(shot.replace(/\/[^/]*$/, ""), { recursive: true });
    await page.screenshot({ path: shot });
    await page.context().close();
  });
}

await done();

import { newPage, open, axe, done, PHONE, DESKTOP } from "./lib.mjs";
for (const vp of [PHONE, DESKTOP]) for (const scheme of ["light","dark"]) {
  const page = await newPage(vp, scheme);
  for (const p of process.argv.slice(3)) {
    await open(page, p);
    const v = await axe(page);
    console.log(vp.width, scheme, p, v.length ? v.join("\n   ") : "clean", page.errors.splice(0).join(";"));
  }
  await page.context().close();
}
await done();

// Drives saga-step's operator console in Debian's headless Chromium with playwright-core (no
// browser download). Run by ConsoleBrowserTest, which prepares the state and checks the effects in
// PostgreSQL and Kafka. Settings come from the environment; prints one JSON object of what it saw
// on its last line, and exits non-zero (with the reason) on any failure.
import { chromium } from "playwright-core";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const need = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
};
const base = need("CONSOLE_URL");
const token = need("OPERATOR_TOKEN");
const stuckId = need("STUCK_ID");
const orderId = need("ORDER_ID");
const letter = need("LETTER"); // partition@offset
const shots = need("SCREENSHOTS_DIR");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const TIMEOUT = 20000;

mkdirSync(shots, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), "console-chromium-"));
const seen = {};
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: 1400, height: 1000 },
  });
  context.setDefaultTimeout(TIMEOUT);
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));

  // 1. Without the token: the page shows only the login, and its API refuses.
  await page.goto(base + "/console");
  await page.locator("#login-form").waitFor();
  if (await page.locator("#app").isVisible()) throw new Error("the console is shown without a token");
  seen.refusedStatus = await page.evaluate(async () => (await fetch("/console/api/sagas?status=STUCK")).status);
  if (seen.refusedStatus !== 401) throw new Error(`the API answered ${seen.refusedStatus} without a token, not 401`);
  await page.fill("#token", "not-the-token");
  await page.click("#login-button");
  await page.locator("#login-error", { hasText: "not the operator token" }).waitFor();
  seen.wrongTokenError = await page.textContent("#login-error");
  if (await page.locator("#app").isVisible()) throw new Error("the console is shown with a wrong token");
  await page.screenshot({ path: join(shots, "1-refused.png"), fullPage: true });

  // 2. Logged in: counts by state, the stuck list (the default) with our saga.
  await page.fill("#token", token);
  await page.click("#login-button");
  await page.locator("#counts button").first().waitFor();
  seen.counts = {};
  for (const b of await page.locator("#counts button").all()) {
    seen.counts[await b.getAttribute("data-status")] = Number(await b.locator(".count").textContent());
  }
  const stuckRow = page.locator(`#sagas tr[data-saga-id="${stuckId}"]`);
  await stuckRow.waitFor();
  await page.locator(`#letters tr[data-letter="${letter}"]`).waitFor();
  await page.screenshot({ path: join(shots, "2-overview.png"), fullPage: true });

  // 3. An order: its steps and its timeline.
  await page.fill("#order-id", orderId);
  await page.click("#open");
  await page.locator("#message", { hasText: `Order ${orderId}` }).waitFor();
  seen.orderStatus = await page.locator("#order-summary dd").nth(2).textContent();
  seen.steps = await page.locator("#steps tbody tr").evaluateAll((rows) =>
    rows.map((r) => ({ name: r.cells[0].textContent, status: r.cells[1].textContent })));
  seen.timeline = await page.locator("#timeline tbody tr").evaluateAll((rows) =>
    rows.map((r) => ({ at: r.cells[0].textContent, direction: r.cells[1].textContent,
      type: r.cells[2].textContent, source: r.cells[3].textContent, id: r.cells[4].textContent })));
  // Its payment, hold and notifications, each from its owner (or why the owner did not answer).
  seen.parts = {};
  for (const name of ["payment", "reservation", "notifications"]) {
    seen.parts[name] = {
      source: await page.textContent(`#${name}-source`),
      error: (await page.locator(`#${name}-error`).isVisible()) ? await page.textContent(`#${name}-error`) : null,
      rows: await page.locator(`#${name} tbody tr`).evaluateAll((rows) =>
        rows.map((r) => Array.from(r.cells).map((c) => c.textContent))),
    };
  }
  await page.locator("#order").screenshot({ path: join(shots, "3-order.png") });

  // 4. Resume the stuck saga.
  await stuckRow.locator("button.resume").click();
  await page.locator("#message", { hasText: `Resumed ${stuckId}` }).waitFor();
  seen.resumed = await page.textContent("#message");
  await stuckRow.waitFor({ state: "detached" }); // no longer in the stuck list

  // 5. Redrive the dead letter; a second redrive is impossible from the page.
  const letterRow = page.locator(`#letters tr[data-letter="${letter}"]`);
  seen.letterCeId = await letterRow.getAttribute("data-ce-id");
  await letterRow.locator("button.redrive").click();
  await page.locator("#message", { hasText: `Redrove dead letter ${letter}` }).waitFor();
  seen.redriven = await page.textContent("#message");
  await page.locator(`#letters tr[data-letter="${letter}"]`, { hasText: "redriven to" }).waitFor();
  seen.redriveButtonsLeft = await page.locator(`#letters tr[data-letter="${letter}"] button.redrive`).count();
  await page.screenshot({ path: join(shots, "4-after-resume-and-redrive.png"), fullPage: true });

  if (errors.length) throw new Error("errors in the page: " + errors.join("; "));
  console.log(JSON.stringify(seen));
} catch (e) {
  console.error("console browser test failed: " + (e && e.stack ? e.stack : e));
  console.error("seen so far: " + JSON.stringify(seen));
  process.exitCode = 1;
} finally {
  if (context) await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}

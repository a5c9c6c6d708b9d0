// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

// Opens an HTML trace view in Debian's headless chromium (through playwright-core, which downloads no browser) and
// carries out a plan of user actions, printing what was read as one JSON line:
//   node trace-view.mjs <page.html> '<plan JSON>'
// A plan is a list of steps: {"click": css}, {"press": css, "key": "Enter"}, {"select": css, "value": v},
// {"text": css} (the element's text), {"count": css} (visible elements), {"hidden": css} (true when not visible).
// Every wait is bounded; a failed step prints {"error": …} and exits 1.
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [page, planText] = process.argv.slice(2);
const plan = JSON.parse(planText);
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const stepTimeout = 10_000;

// A fresh profile per run: parallel runs must not share chromium's profile lock.
const profile = await mkdtemp(join(tmpdir(), 'trace-view-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    timeout: 60_000,
    args: [
      '--headless',
      '--no-sandbox', // root in containers and CI cannot use chromium's user-namespace sandbox
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const tab = context.pages()[0] ?? await context.newPage();
  tab.setDefaultTimeout(stepTimeout);
  await tab.goto(pathToFileURL(page).href);
  await tab.waitForSelector('body[data-rendered="true"]', { state: 'attached' });
  const results = [];
  for (const step of plan) {
    if (step.click !== undefined) {
      await tab.locator(step.click).first().click();
      results.push(null);
    } else if (step.press !== undefined) {
      await tab.locator(step.press).first().press(step.key);
      results.push(null);
    } else if (step.select !== undefined) {
      await tab.locator(step.select).selectOption(step.value);
      results.push(null);
    } else if (step.text !== undefined) {
      results.push(await tab.locator(step.text).first().innerText());
    } else if (step.count !== undefined) {
      results.push(await tab.locator(step.count).filter({ visible: true }).count());
    } else if (step.hidden !== undefined) {
      results.push(await tab.locator(step.hidden).first().isHidden());
    } else {
      throw new Error('unknown step ' + JSON.stringify(step));
    }
  }

  console.log(JSON.stringify({ results }));
} catch (error) {
  console.log(JSON.stringify({ error: String(error && error.stack || error) }));
  process.exitCode = 1;
} finally {
  await context?.close();
  await rm(profile, { recursive: true, force: true });
}

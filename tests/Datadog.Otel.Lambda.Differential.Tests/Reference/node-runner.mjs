// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

// Runs one event through Datadog's own Node.js Lambda library, started the way the Datadog Lambda layer starts it:
// datadog-lambda-js's handler entry (dist/handler.mjs) initialises dd-trace (initTracer), loads the function's handler
// named by DD_LAMBDA_HANDLER from LAMBDA_TASK_ROOT and wraps it with datadog(handler). The runner then plays the Lambda
// runtime for one invocation (one process per event: every invocation is a cold start) and prints the handler's result.
//
// argv[2]: the folder holding the reference's node_modules (the test project's node/ folder).
// argv[3]: a JSON file {"event": ..., "context": {...}} written by the test.
// The environment (AWS_LAMBDA_FUNCTION_NAME, DD_TRACE_EXPERIMENTAL_EXPORTER=agent, DD_TRACE_AGENT_URL, ...) comes from
// the test.
//
// After the invocation the process stays until the test closes its stdin, which the test does once the agent has the
// trace: on Lambda the sandbox freezes instead of exiting, and dd-trace's impending-timeout timer (left armed when a
// handler throws) would otherwise keep the process alive until the invocation's deadline.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";

const [nodeFolder, inputFile] = process.argv.slice(2);
const input = JSON.parse(readFileSync(inputFile, "utf8"));
const require = createRequire(`${nodeFolder}/package.json`);
const { handler } = await import(pathToFileURL(require.resolve("datadog-lambda-js/dist/handler.mjs")).href);

const c = input.context;
const deadline = Date.now() + c.remainingTimeMs;
const context = {
  awsRequestId: c.awsRequestId,
  invokedFunctionArn: c.invokedFunctionArn,
  functionName: c.functionName,
  functionVersion: c.functionVersion,
  memoryLimitInMB: String(c.memoryLimitInMB),
  logGroupName: c.logGroupName,
  logStreamName: c.logStreamName,
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => deadline - Date.now(),
};
if (c.clientContextCustom) {
  context.clientContext = { custom: c.clientContextCustom };
}

// Written with process.stdout.write: datadog-lambda-js patches console.* to prefix trace ids.
try {
  const result = await handler(input.event, context);
  process.stdout.write(`DIFFERENTIAL-RESULT ${JSON.stringify(result === undefined ? null : result)}\n`);
} catch (error) {
  process.stdout.write(`DIFFERENTIAL-ERROR ${JSON.stringify(String(error?.message ?? error))}\n`);
}

process.stdin.on("end", () => process.exit(0));
process.stdin.resume();

// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

// The producing side of the interop tests in Node.js: dd-trace (initialised first, as an application does with
// `require('dd-trace').init()`, configured by the environment the test gives) with its aws-sdk, http and fetch
// instrumentations, then one call made under a root span `interop.produce`: an AWS SDK v3 command (the real
// @aws-sdk/client-* packages, sent to an emulator or a recording server on loopback), or an HTTP request with the http
// module or fetch. dd-trace's plugins inject the trace context into the call exactly as they do in production; its
// traces go to the test's fake agent (DD_TRACE_AGENT_URL, DD_TRACE_FLUSH_INTERVAL=0: each trace is sent when it ends).
//
// argv[2]: the folder holding node_modules (the test project's node/ folder).
// argv[3]: a JSON file written by the test:
//   {"aws": {"client": "sqs"|"sns"|"eventbridge"|"kinesis", "endpoint": url, "command": "SendMessageCommand", "input": {...}}}
//     (a Kinesis "Data" given as {"utf8": text} or {"base64": bytes} is passed as bytes, as an application passes it)
//   {"http": {"via": "http"|"fetch", "url": url}}
// It prints one line, "DIFFERENTIAL-RESULT {json}" (the command's output, or the HTTP status), or
// "DIFFERENTIAL-ERROR {message}", then waits until the test closes its stdin (once the agent has the trace).
"use strict";

const { createRequire } = require("node:module");
const { readFileSync } = require("node:fs");

const [nodeFolder, inputFile] = process.argv.slice(2);
const input = JSON.parse(readFileSync(inputFile, "utf8"));
const load = createRequire(`${nodeFolder}/package.json`);
const tracer = load("dd-trace").init();

const clients = {
  sqs: ["@aws-sdk/client-sqs", "SQSClient"],
  sns: ["@aws-sdk/client-sns", "SNSClient"],
  eventbridge: ["@aws-sdk/client-eventbridge", "EventBridgeClient"],
  kinesis: ["@aws-sdk/client-kinesis", "KinesisClient"],
};

async function callAws({ client, endpoint, command, input: commandInput }) {
  const [packageName, clientName] = clients[client];
  const sdk = load(packageName);
  const config = {
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  };
  if (client === "kinesis") {
    // The Kinesis client defaults to HTTP/2 (for SubscribeToShard); kinesalite serves HTTP/1.1 only, so the client gets
    // the SDK's own HTTP/1.1 handler, as an application pointing it at an HTTP/1.1 endpoint does.
    const { NodeHttpHandler } = load("@smithy/node-http-handler");
    config.requestHandler = new NodeHttpHandler();
  }

  const awsClient = new sdk[clientName](config);
  if (commandInput.Data && typeof commandInput.Data === "object") {
    commandInput.Data = commandInput.Data.utf8 !== undefined
      ? Buffer.from(commandInput.Data.utf8, "utf8")
      : Buffer.from(commandInput.Data.base64, "base64");
  }

  const output = await awsClient.send(new sdk[command](commandInput));
  delete output.$metadata;
  return output;
}

async function callHttp({ via, url }) {
  if (via === "fetch") {
    const response = await fetch(url);
    await response.text();
    return { status: response.status };
  }

  const http = load("node:http");
  return new Promise((resolve, reject) => {
    http.get(url, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode }));
    }).on("error", reject);
  });
}

tracer.trace("interop.produce", { resource: "interop.produce" }, async () => (input.aws ? callAws(input.aws) : callHttp(input.http)))
  .then(
    (result) => process.stdout.write(`DIFFERENTIAL-RESULT ${JSON.stringify(result ?? null)}\n`),
    (error) => process.stdout.write(`DIFFERENTIAL-ERROR ${JSON.stringify(String(error?.message ?? error))}\n`));

process.stdin.on("end", () => process.exit(0));
process.stdin.resume();

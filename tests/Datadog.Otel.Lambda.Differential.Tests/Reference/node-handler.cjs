// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

// The function under test in the Node.js reference (DD_LAMBDA_HANDLER=node-handler.handle). It does what the corpus case
// says (DIFFERENTIAL_RESULT: {"return": value} or {"throw": message}) after DIFFERENTIAL_WORK_MS of simulated work, the
// same as the .NET side's handler: the work gives the invocation a duration, so that "when the function started" and
// "when it ended" are distinct moments in the comparison.
exports.handle = async () => {
  const spec = JSON.parse(process.env.DIFFERENTIAL_RESULT);
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.DIFFERENTIAL_WORK_MS)));
  if (spec.throw !== undefined) {
    throw new Error(spec.throw);
  }
  return spec.return;
};

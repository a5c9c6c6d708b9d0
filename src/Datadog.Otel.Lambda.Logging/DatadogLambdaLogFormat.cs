// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Logging;

/// <summary>The layout the Datadog Lambda console formatter writes.</summary>
public enum DatadogLambdaLogFormat
{
    /// <summary>Follow the function's log format: JSON when <c>AWS_LAMBDA_LOG_FORMAT</c> is <c>JSON</c>, text otherwise.</summary>
    Auto = 0,

    /// <summary>Lambda's text layout (timestamp, request id, level) with the <c>[dd.trace_id=… dd.span_id=…]</c> prefix.</summary>
    Text = 1,

    /// <summary>One JSON object per line in the shape of Lambda's JSON logs, with the ids under <c>dd</c>.</summary>
    Json = 2,
}

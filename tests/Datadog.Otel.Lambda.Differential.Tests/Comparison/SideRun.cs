// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json.Nodes;
using Datadog.Otel.Lambda.ExtensionEmulator;

namespace Datadog.Otel.Lambda.Differential.Tests.Comparison;

/// <summary>What the wrapper returned: the handler's result (as the wrapper passed it on) or the message of what it threw.</summary>
internal sealed record SideResult(JsonNode? Value, string? Error);

/// <summary>One side's run of one case: the spans of the invocation's trace as Datadog receives them, the result, the output.</summary>
internal sealed record SideRun(IReadOnlyList<DatadogSpan> Spans, SideResult Result, string Output);

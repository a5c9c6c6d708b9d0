// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json.Nodes;

namespace Datadog.Otel.Lambda.Differential.Tests.Corpus;

/// <summary>
/// One event of the corpus, resolved for this run (placeholders replaced, times shifted to the run's present): the
/// event, what the function does with it, and the invocation's surroundings (environment, X-Ray header, client context).
/// Both sides get exactly these values.
/// </summary>
internal sealed class CorpusCase
{
    /// <summary>Gets the case's name: its file name without <c>.json</c>.</summary>
    public required string Id { get; init; }

    public required string Description { get; init; }

    /// <summary>Gets the AWS source the event comes from (the corpus must cover every source the library supports).</summary>
    public required string Trigger { get; init; }

    /// <summary>Gets where the upstream trace context is carried (e.g. <c>sqs-string</c>, <c>w3c</c>, <c>none</c>).</summary>
    public required string Carrier { get; init; }

    /// <summary>Gets the event as the function receives it, resolved.</summary>
    public required string EventJson { get; init; }

    /// <summary>Gets the handler's behaviour: <c>{"return": value}</c> or <c>{"throw": message}</c>.</summary>
    public required JsonObject Result { get; init; }

    /// <summary>Gets environment variables set for both sides on top of the common ones.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>Gets the invocation's X-Ray trace header (<c>_X_AMZN_TRACE_ID</c>), if any.</summary>
    public string? XRayTraceHeader { get; init; }

    /// <summary>Gets the client context's <c>custom</c> map of a direct invocation, if any.</summary>
    public IReadOnlyDictionary<string, string>? ClientContextCustom { get; init; }

    /// <summary>
    /// Gets a value indicating whether the invocation starts a new trace (no context anywhere): its trace id is random on
    /// both sides and compared by form only.
    /// </summary>
    public bool NewTrace { get; init; }

    /// <summary>Gets the Lambda request id of the invocation (unique per case).</summary>
    public string RequestId => "req-" + this.Id;

    public override string ToString() => this.Id;
}

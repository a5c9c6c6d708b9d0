// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.StepFunctions;

/// <summary>
/// The fields of a Step Functions context object that the trace ids are derived from, already read
/// from the event (JSONPath style: the event or its <c>Payload</c>; JSONata style: <c>_datadog</c>).
/// </summary>
internal readonly struct StepFunctionsContextFields
{
    /// <summary><c>Execution.Id</c> (the execution ARN).</summary>
    public required string ExecutionId { get; init; }

    /// <summary><c>State.Name</c>.</summary>
    public required string StateName { get; init; }

    /// <summary><c>State.EnteredTime</c>, exactly as the event carries it (it is hashed as text).</summary>
    public required string StateEnteredTime { get; init; }

    /// <summary><c>State.RetryCount</c>; 0 when missing.</summary>
    public long RetryCount { get; init; }

    /// <summary><c>Execution.RedriveCount</c>; 0 when missing.</summary>
    public long RedriveCount { get; init; }

    /// <summary><c>RootExecutionId</c> (JSONata / <c>serverless-version</c> v1 contexts whose root is a state machine).</summary>
    public string? RootExecutionId { get; init; }

    /// <summary><c>serverless-version</c>; only <c>v1</c> has a meaning, anything else is the legacy form.</summary>
    public string? ServerlessVersion { get; init; }

    /// <summary>
    /// The upstream <c>x-datadog-trace-id</c> (decimal, lower 64 bits): from the v1 context itself when the
    /// root is a Lambda, or from <c>Execution.Input._datadog</c> in a legacy context.
    /// </summary>
    public string? UpstreamTraceId { get; init; }

    /// <summary>The upstream <c>x-datadog-tags</c> that goes with <see cref="UpstreamTraceId"/> (carries <c>_dd.p.tid</c>).</summary>
    public string? UpstreamTags { get; init; }
}

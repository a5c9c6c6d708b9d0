// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.StepFunctions;

/// <summary>Where the trace id of a Step Functions context came from (section 1.7's four cases).</summary>
internal enum StepFunctionsTraceSource
{
    /// <summary>v1 context whose root is a state machine: hashed from <c>RootExecutionId</c>.</summary>
    RootExecution,

    /// <summary>v1 context whose root is a Lambda: the upstream <c>x-datadog-trace-id</c>.</summary>
    UpstreamLambda,

    /// <summary>Legacy context with <c>Execution.Input._datadog</c>: the upstream <c>x-datadog-trace-id</c>.</summary>
    LegacyUpstream,

    /// <summary>Legacy context, nothing upstream: hashed from <c>Execution.Id</c>.</summary>
    Execution,
}

// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.StepFunctions;

/// <summary>
/// The trace context a Lambda invoked by Step Functions continues: the ids the Step Functions side of
/// Datadog derives from the same execution, so the state machine's spans and the function's join.
/// </summary>
internal readonly struct StepFunctionsTraceContext
{
    /// <summary>Step Functions contexts are always kept (AUTO_KEEP).</summary>
    public const int SamplingPriority = 1;

    private const string V1 = "v1";

    private StepFunctionsTraceContext(ulong traceIdUpper, ulong traceIdLower, ulong parentSpanId, StepFunctionsTraceSource source)
    {
        TraceIdUpper = traceIdUpper;
        TraceIdLower = traceIdLower;
        ParentSpanId = parentSpanId;
        Source = source;
    }

    /// <summary>The Datadog trace id (lower 64 bits, <c>x-datadog-trace-id</c>).</summary>
    public ulong TraceIdLower { get; }

    /// <summary>The upper 64 bits (<c>_dd.p.tid</c>); 0 when an upstream Lambda sent none.</summary>
    public ulong TraceIdUpper { get; }

    /// <summary>The parent span id (the state's span on the Step Functions side).</summary>
    public ulong ParentSpanId { get; }

    public StepFunctionsTraceSource Source { get; }

    /// <summary>
    /// <c>_dd.p.tid</c> as 16 lowercase hex digits, or null when the upper half is 0. Always zero-padded:
    /// Python's layer writes <c>hex()</c> without padding (15 characters for some executions), which
    /// dd-trace's header extractor rejects as malformed; Node writes 16.
    /// </summary>
    public string? Tid => TraceIdUpper == 0 ? null : DatadogIds.ToHex16(TraceIdUpper);

    /// <summary>The 128-bit OpenTelemetry trace id (<c>_dd.p.tid</c> ‖ trace id).</summary>
    public ActivityTraceId TraceId => DatadogIds.TraceId(TraceIdUpper, TraceIdLower);

    /// <summary>The parent span id as an OpenTelemetry span id.</summary>
    public ActivitySpanId SpanId => DatadogIds.SpanId(ParentSpanId);

    /// <summary>
    /// Derives the context (section 1.7). The cases, in order:
    /// <list type="number">
    /// <item><c>serverless-version</c> v1 with an upstream <c>x-datadog-trace-id</c>: that trace id, tid from <c>x-datadog-tags</c>.</item>
    /// <item>v1 with <c>RootExecutionId</c>: trace = lower64(root), tid = higher64(root).</item>
    /// <item>legacy with <c>Execution.Input._datadog</c>'s trace id: that trace id, tid from its tags.</item>
    /// <item>legacy otherwise: trace = lower64(<c>Execution.Id</c>), tid = higher64(<c>Execution.Id</c>).</item>
    /// </list>
    /// The parent is always higher64 of the state text (see <see cref="StepFunctionsIdHash.TryParentId"/>).
    /// A v1 context with neither a root execution nor an upstream trace id has no context (both libraries agree).
    /// </summary>
    /// <remarks>
    /// Choices where the libraries differ, following Python: when a v1 context carries both an upstream trace id and
    /// <c>RootExecutionId</c>, the upstream Lambda's trace wins (Python checks the trace id first; Node.js the root
    /// execution). An upstream trace id without <c>x-datadog-tags</c> is accepted with no tid (Node.js requires the tags).
    /// An upstream trace id that is not a non-zero unsigned 64-bit decimal is ignored with a diagnostic (Python drops the
    /// whole context): a v1 context then falls back to its root execution and a legacy context to the execution hash, so
    /// the function still joins the state machine's trace.
    /// </remarks>
    public static bool TryCreate(in StepFunctionsContextFields fields, out StepFunctionsTraceContext context)
    {
        context = default;
        if (string.IsNullOrEmpty(fields.ExecutionId) || fields.StateName is null || fields.StateEnteredTime is null)
        {
            Diag.ExtractionSkipped("step-functions", "Execution.Id, State.Name or State.EnteredTime is missing");
            return false;
        }

        if (!StepFunctionsIdHash.TryParentId(fields.ExecutionId, fields.StateName, fields.StateEnteredTime, fields.RetryCount, fields.RedriveCount, out var parentId))
        {
            Diag.ExtractionSkipped("step-functions", "the context's fields are too long to be a Step Functions context");
            return false;
        }

        ulong upper;
        ulong lower;
        if (string.Equals(fields.ServerlessVersion, V1, StringComparison.Ordinal))
        {
            if (TryUpstream(fields, out upper, out lower))
            {
                context = new StepFunctionsTraceContext(upper, lower, parentId, StepFunctionsTraceSource.UpstreamLambda);
                return true;
            }

            if (!string.IsNullOrEmpty(fields.RootExecutionId))
            {
                if (!StepFunctionsIdHash.TryHash(fields.RootExecutionId, out upper, out lower))
                {
                    Diag.ExtractionSkipped("step-functions", "RootExecutionId is too long");
                    return false;
                }

                context = new StepFunctionsTraceContext(upper, lower, parentId, StepFunctionsTraceSource.RootExecution);
                return true;
            }

            Diag.ExtractionSkipped("step-functions", "a serverless-version v1 context has neither RootExecutionId nor x-datadog-trace-id");
            return false;
        }

        if (TryUpstream(fields, out upper, out lower))
        {
            context = new StepFunctionsTraceContext(upper, lower, parentId, StepFunctionsTraceSource.LegacyUpstream);
            return true;
        }

        if (!StepFunctionsIdHash.TryHash(fields.ExecutionId, out upper, out lower))
        {
            Diag.ExtractionSkipped("step-functions", "Execution.Id is too long");
            return false;
        }

        context = new StepFunctionsTraceContext(upper, lower, parentId, StepFunctionsTraceSource.Execution);
        return true;
    }

    private static bool TryUpstream(in StepFunctionsContextFields fields, out ulong upper, out ulong lower)
    {
        upper = 0;
        lower = 0;
        if (fields.UpstreamTraceId is null)
        {
            return false;
        }

        if (!DatadogIds.TryParseDecimal(fields.UpstreamTraceId.AsSpan().Trim(), out lower) || lower == 0)
        {
            Diag.ExtractionSkipped("step-functions", "the upstream x-datadog-trace-id is not a non-zero unsigned 64-bit decimal; ignored");
            lower = 0;
            return false;
        }

        upper = ParseTid(fields.UpstreamTags);
        return true;
    }

    /// <summary>
    /// Reads <c>_dd.p.tid</c> from an <c>x-datadog-tags</c> list (<c>k=v</c> pairs separated by commas): 1 to 16 hex
    /// digits of either case. Shorter than 16 is accepted here, unlike in headers: Python passes this text on unchecked
    /// and its own Step Functions trace ids write the upper half without leading zeros (<c>hex(…)[2:]</c>, 15 digits
    /// for some executions), which the agent reads as hex. A sign, <c>0x</c>, underscores, inner spaces or more than 16
    /// digits give 0 (no upper half).
    /// </summary>
    internal static ulong ParseTid(string? tags)
    {
        if (string.IsNullOrEmpty(tags))
        {
            return 0;
        }

        var rest = tags.AsSpan();
        while (!rest.IsEmpty)
        {
            var comma = rest.IndexOf(',');
            var pair = (comma < 0 ? rest : rest[..comma]).Trim();
            rest = comma < 0 ? default : rest[(comma + 1)..];

            var equals = pair.IndexOf('=');
            if (equals < 0 || !pair[..equals].Trim().SequenceEqual("_dd.p.tid"))
            {
                continue;
            }

            var value = pair[(equals + 1)..].Trim();
            if (DatadogIds.TryParseHex(value, out var tid))
            {
                return tid;
            }

            Diag.ExtractionSkipped("step-functions", "_dd.p.tid in x-datadog-tags is not 1 to 16 hex digits; the upper 64 bits are dropped");
            return 0;
        }

        return 0;
    }
}

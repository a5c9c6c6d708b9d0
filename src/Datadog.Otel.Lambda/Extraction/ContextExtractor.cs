// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Propagation;

namespace Datadog.Otel.Lambda.Extraction;

/// <summary>
/// Turns the trace carriers the sources find (header maps, header dictionaries, a direct invocation's client context)
/// into upstream contexts with the configured propagation styles (the composite's detailed extraction: links for
/// conflicting contexts, <c>_dd.parent_id</c>, baggage). A header map that is a Step Functions context gives the context
/// derived from it instead. One per provider; never throws.
/// </summary>
internal sealed class ContextExtractor
{
    private static readonly byte[] ExecutionName = "Execution"u8.ToArray();
    private static readonly byte[] StateName = "State"u8.ToArray();
    private static readonly byte[] StateMachineName = "StateMachine"u8.ToArray();

    private readonly DatadogCompositePropagator propagator;

    public ContextExtractor(DatadogCompositePropagator propagator)
    {
        this.propagator = propagator;
    }

    /// <summary>Extracts from a JSON map of trace headers, or derives the context when the map is a Step Functions context.</summary>
    public UpstreamContext? FromHeaderMap(HeaderMap headers, string carrier)
    {
        if (IsStepFunctionsContext(headers, out var stepFunctions))
        {
            return stepFunctions.TryDerive(out var derived) ? new UpstreamContext(derived, UpstreamSource.Event) { Carrier = carrier + ":states" } : null;
        }

        var extracted = this.propagator.ExtractDetailed(headers.Headers);
        if (!extracted.HasContext)
        {
            return extracted.Baggage.Count > 0 ? new UpstreamContext(default, UpstreamSource.None) { Baggage = extracted.Baggage } : null;
        }

        return new UpstreamContext(extracted.Parent, UpstreamSource.Event)
        {
            Links = extracted.Links.Count > 0 ? extracted.Links : null,
            DatadogParentId = extracted.DatadogParentIdTag,
            PropagationError = extracted.PropagationError,
            Baggage = extracted.Baggage,
            Carrier = carrier,
        };
    }

    /// <summary>Extracts from headers given as a name → value map (Kafka record headers, a client context).</summary>
    public UpstreamContext? FromHeaderDictionary(IReadOnlyDictionary<string, string> headers, string carrier)
    {
        var extracted = this.propagator.ExtractDetailed(headers);
        return extracted.HasContext
            ? new UpstreamContext(extracted.Parent, UpstreamSource.Event) { Links = extracted.Links.Count > 0 ? extracted.Links : null, DatadogParentId = extracted.DatadogParentIdTag, PropagationError = extracted.PropagationError, Baggage = extracted.Baggage, Carrier = carrier }
            : null;
    }

    /// <summary>
    /// A direct invocation's client context: <c>custom</c> is the header map (Datadog's legacy form nests it as a JSON
    /// string under <c>custom._datadog</c>).
    /// </summary>
    public UpstreamContext? FromClientContext(DatadogLambdaContext context)
    {
        if (context.ClientContextCustom is not { Count: > 0 } custom)
        {
            return null;
        }

        if (custom.TryGetValue("_datadog", out var legacy) && !string.IsNullOrEmpty(legacy))
        {
            using var map = HeaderMap.Create(Encoding.UTF8.GetBytes(legacy), EventReader.EmbeddedOptions, out var isJson);
            if (map is not null)
            {
                return this.FromHeaderMap(map, "client-context");
            }

            if (!isJson)
            {
                Diag.ExtractionSkipped("client context", "custom._datadog is not JSON");
            }
        }

        var headers = custom as IReadOnlyDictionary<string, string> ?? new Dictionary<string, string>(custom, StringComparer.OrdinalIgnoreCase);
        return this.FromHeaderDictionary(headers, "client-context");
    }

    /// <summary>The user's extractor (it replaces extraction from the event); null when it finds nothing or throws.</summary>
    public static UpstreamContext? FromCustomExtractor(Func<System.Text.Json.JsonElement, DatadogLambdaContext, ActivityContext?> extractor, System.Text.Json.JsonElement @event, DatadogLambdaContext context)
    {
        try
        {
            var parent = extractor(@event, context);
            if (parent is { } value && value.TraceId != default)
            {
                return new UpstreamContext(new ActivityContext(value.TraceId, value.SpanId, value.TraceFlags, value.TraceState, isRemote: true), UpstreamSource.Event) { Carrier = "custom-extractor" };
            }
        }
#pragma warning disable CA1031 // A failing user extractor falls back to X-Ray, as in Datadog's libraries.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.Warn("extract", "the custom trace extractor threw; falling back to X-Ray: " + ExceptionText.Message(ex));
        }

        return null;
    }

    private static bool IsStepFunctionsContext(HeaderMap headers, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StepFunctionsContext? context)
    {
        context = null;
        if (headers.ObjectMember(ExecutionName).IsEmpty || headers.ObjectMember(StateName).IsEmpty || headers.ObjectMember(StateMachineName).IsEmpty)
        {
            return false;
        }

        context = StepFunctionsContext.Read(headers.Json, headers.Options);
        return context is not null;
    }
}

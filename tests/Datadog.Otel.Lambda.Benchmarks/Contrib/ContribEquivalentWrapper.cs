// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>
/// The per-invocation work of OpenTelemetry.Instrumentation.AWSLambda's wrapper, reimplemented from its documented
/// behaviour (shared/spec/otel-dotnet-anchors.md §2.3–2.5) because the package is not in this repository's package
/// registry: a typed event (already deserialized by Lambda's serializer, so not counted), the parent and links from
/// SQS message attributes or HTTP headers through the default propagator, the faas/cloud tags computed before the
/// span starts, one Server span, Stop, then ForceFlush. A comparison baseline, not their code.
/// </summary>
internal sealed class ContribEquivalentWrapper
{
    private static readonly ActivitySource Source = new("OpenTelemetry.Instrumentation.AWSLambda");
    // The SDK's default propagator (W3C trace context and baggage): Propagators.DefaultTextMapPropagator itself is
    // replaced by AddDatadogLambda in this process.
    private static readonly TextMapPropagator Propagator = new CompositeTextMapPropagator([new TraceContextPropagator(), new BaggagePropagator()]);
    private static bool isColdStart = true;

    private readonly TracerProvider provider;
    private readonly List<Dictionary<string, string>> messageAttributes = new();
    private readonly Dictionary<string, string>? headers;
    private readonly bool isHttp;

    public ContribEquivalentWrapper(TracerProvider provider, byte[] @event)
    {
        this.provider = provider;
        using var document = JsonDocument.Parse(@event);
        var root = document.RootElement;
        if (root.TryGetProperty("Records", out var records) && records.ValueKind == JsonValueKind.Array)
        {
            foreach (var record in records.EnumerateArray())
            {
                var attributes = new Dictionary<string, string>();
                if (record.TryGetProperty("messageAttributes", out var map) && map.ValueKind == JsonValueKind.Object)
                {
                    foreach (var attribute in map.EnumerateObject())
                    {
                        if (attribute.Value.ValueKind == JsonValueKind.Object && attribute.Value.TryGetProperty("stringValue", out var value))
                        {
                            attributes[attribute.Name] = value.GetString() ?? string.Empty;
                        }
                    }
                }

                this.messageAttributes.Add(attributes);
            }
        }

        if (root.TryGetProperty("headers", out var headerMap) && headerMap.ValueKind == JsonValueKind.Object)
        {
            this.isHttp = true;
            this.headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in headerMap.EnumerateObject())
            {
                this.headers[header.Name] = header.Value.GetString() ?? string.Empty;
            }
        }
    }

    public TResult Invoke<TResult>(Func<TResult> handler, DatadogLambdaContext context)
    {
        var propagator = Propagator;
        ActivityContext parent = default;
        List<ActivityLink>? links = null;
        if (this.headers is not null)
        {
            parent = propagator.Extract(default, this.headers, static (h, name) => h.TryGetValue(name, out var v) ? [v] : []).ActivityContext;
        }
        else
        {
            foreach (var attributes in this.messageAttributes)
            {
                var extracted = propagator.Extract(default, attributes, static (a, name) => a.TryGetValue(name, out var v) ? [v] : []).ActivityContext;
                if (extracted != default)
                {
                    (links ??= new()).Add(new ActivityLink(extracted));
                }
            }
        }

        var arn = context.InvokedFunctionArn ?? string.Empty;
        var parts = arn.Split(':');
        var tags = new List<KeyValuePair<string, object?>>
        {
            new("faas.trigger", this.isHttp ? "http" : "other"),
            new("faas.name", context.FunctionName),
            new("faas.coldstart", isColdStart),
            new("faas.invocation_id", context.AwsRequestId),
            new("cloud.resource_id", parts.Length >= 7 ? string.Join(':', parts, 0, 7) : arn),
            new("cloud.account.id", parts.Length > 4 ? parts[4] : null),
            new("faas.max_memory", (long)context.MemoryLimitInMB * 1024 * 1024),
        };
        isColdStart = false;
        var activity = Source.StartActivity(context.FunctionName ?? "AWS Lambda Invoke", ActivityKind.Server, parent, tags, links);
        try
        {
            return handler();
        }
        finally
        {
            activity?.Stop();
            this.provider.ForceFlush();
        }
    }
}

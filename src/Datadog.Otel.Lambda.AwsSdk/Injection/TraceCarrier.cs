// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Datadog.Otel.Lambda.AwsSdk.Injection;

/// <summary>
/// The <c>_datadog</c> carrier: the text-map injection of a span's context in every configured style (the default
/// propagator, which AddDatadogLambda sets to Datadog's composite), as compact JSON.
/// </summary>
internal static class TraceCarrier
{
    /// <summary>Returns the carrier's UTF-8 JSON, or null when there is no context to send.</summary>
    public static byte[]? Create(Activity? span)
    {
        if (span is null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            Propagators.DefaultTextMapPropagator.Inject(new PropagationContext(span.Context, Baggage.Current), writer, static (w, name, value) => w.WriteString(name, value));
            writer.WriteEndObject();
        }

        return buffer.WrittenCount > 2 ? buffer.WrittenSpan.ToArray() : null;
    }
}

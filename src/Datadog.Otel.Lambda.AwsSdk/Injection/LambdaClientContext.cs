// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Buffers;
using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.AwsSdk.Injection;

/// <summary>
/// Lambda <c>Invoke</c>: the carrier goes into the ClientContext (the <c>X-Amz-Client-Context</c> header, base64 JSON)
/// under <c>custom</c>, merged with what the caller put there (their keys win), or under <c>custom._datadog</c> with
/// DD_BOTOCORE_INVOKE_WITH_LEGACY_CONTEXT; not when the result would pass Lambda's 3,583-byte limit, the caller's
/// ClientContext is not base64 JSON, or its <c>custom</c> is something other than an object.
/// </summary>
internal static class LambdaClientContext
{
    public const string Header = "X-Amz-Client-Context";

    internal const int MaxBase64Length = 3583;

    public static string? Create(string? existing, byte[] carrier, bool legacy)
    {
        JsonDocument? document = null;
        try
        {
            if (existing is { Length: > 0 })
            {
                document = JsonDocument.Parse(Convert.FromBase64String(existing));
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    Diag.InjectionSkipped("Lambda ClientContext", "the ClientContext is not a JSON object");
                    return null;
                }

                // A custom value of the caller's that is not an object (a string, null) is theirs to send: replacing it
                // with the carrier would change what the called function receives (dd-trace-py's update fails and sends it unchanged).
                if (document.RootElement.TryGetProperty("custom"u8, out var existingCustom) && existingCustom.ValueKind != JsonValueKind.Object)
                {
                    Diag.InjectionSkipped("Lambda ClientContext", "the ClientContext's custom is not a JSON object");
                    return null;
                }
            }

            using var carrierDocument = JsonDocument.Parse(carrier);
            var buffer = new ArrayBufferWriter<byte>(1024);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                JsonElement custom = default;
                if (document is not null)
                {
                    foreach (var property in document.RootElement.EnumerateObject())
                    {
                        if (property.NameEquals("custom"u8))
                        {
                            custom = property.Value;
                        }
                        else
                        {
                            property.WriteTo(writer);
                        }
                    }
                }

                writer.WriteStartObject("custom"u8);
                var userCustom = custom.ValueKind == JsonValueKind.Object;
                if (userCustom)
                {
                    foreach (var property in custom.EnumerateObject())
                    {
                        property.WriteTo(writer);
                    }
                }

                if (legacy)
                {
                    if (!userCustom || !custom.TryGetProperty("_datadog"u8, out _))
                    {
                        writer.WritePropertyName("_datadog"u8);
                        carrierDocument.RootElement.WriteTo(writer);
                    }
                }
                else
                {
                    foreach (var property in carrierDocument.RootElement.EnumerateObject())
                    {
                        if (!userCustom || !custom.TryGetProperty(property.Name, out _))
                        {
                            property.WriteTo(writer);
                        }
                    }
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            var encoded = Convert.ToBase64String(buffer.WrittenSpan);
            if (encoded.Length > MaxBase64Length)
            {
                Diag.InjectionSkipped("Lambda ClientContext", "the ClientContext would exceed 3,583 bytes");
                return null;
            }

            return encoded;
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            Diag.InjectionSkipped("Lambda ClientContext", "the ClientContext is not base64 JSON");
            return null;
        }
        finally
        {
            document?.Dispose();
        }
    }
}

// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.Injection;

/// <summary>A fixed carrier and JSON helpers for the tests that work on marshalled requests.</summary>
internal static class Carrier
{
    public const string Json = "{\"x-datadog-trace-id\":\"123\",\"x-datadog-parent-id\":\"456\",\"x-datadog-sampling-priority\":\"1\"}";

    public static readonly byte[] Bytes = Encoding.UTF8.GetBytes(Json);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static JsonElement Parse(byte[] json) => JsonDocument.Parse(json).RootElement;

    public static void AssertIsCarrier(JsonElement element) =>
        Assert.Equal("123", element.GetProperty("x-datadog-trace-id").GetString());
}

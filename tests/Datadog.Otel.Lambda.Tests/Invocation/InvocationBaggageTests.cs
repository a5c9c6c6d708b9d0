// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text;
using Datadog.Otel.Lambda.Tests.TestSupport;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.Tests.Invocation;

/// <summary>
/// Upstream baggage is current inside the handler (its outgoing calls propagate it) and gone when the invocation
/// returns, for a synchronous handler as for an asynchronous one: the caller's baggage is as it was.
/// </summary>
[Collection("Tracing")]
public class InvocationBaggageTests
{
    private const string HttpApiEventWithBaggage = """
        {"version":"2.0","routeKey":"GET /orders","rawPath":"/orders","rawQueryString":"",
         "headers":{"traceparent":"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01","baggage":"user.id=42"},
         "requestContext":{"apiId":"abc123","domainName":"abc123.execute-api.us-east-1.amazonaws.com",
          "http":{"method":"GET","path":"/orders","protocol":"HTTP/1.1","sourceIp":"1.2.3.4","userAgent":"test"},
          "requestId":"r-1","routeKey":"GET /orders","stage":"$default","timeEpoch":1700000000000},
         "isBase64Encoded":false}
        """;

    private static MemoryStream Event() => new(Encoding.UTF8.GetBytes(HttpApiEventWithBaggage));

    [Fact]
    public void ASynchronousInvocationLeavesTheCallersBaggageAsItWas()
    {
        using var tracing = new TestTracing();
        Baggage.Current = default;
        string? inside = null;

        var result = DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-baggage-sync"), (_, _) =>
        {
            inside = Baggage.GetBaggage("user.id");
            return 7;
        });

        Assert.Equal(7, result);
        Assert.Equal("42", inside);
        Assert.Null(Baggage.GetBaggage("user.id"));
        Assert.Equal(0, Baggage.Current.Count);
        Assert.Null(Activity.Current);
    }

    [Fact]
    public void ASynchronousInvocationKeepsTheCallersOwnBaggage()
    {
        using var tracing = new TestTracing();
        Baggage.Current = Baggage.Create(new Dictionary<string, string> { ["caller"] = "yes" });
        try
        {
            string? inside = null;
            DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context("req-baggage-caller"), (_, _) =>
            {
                inside = Baggage.GetBaggage("user.id");
                return 0;
            });

            Assert.Equal("42", inside);
            Assert.Equal("yes", Baggage.GetBaggage("caller"));
            Assert.Null(Baggage.GetBaggage("user.id"));
        }
        finally
        {
            Baggage.Current = default;
        }
    }

    [Fact]
    public async Task AnAsynchronousInvocationLeavesTheCallersBaggageAsItWas()
    {
        using var tracing = new TestTracing();
        Baggage.Current = default;
        string? inside = null;

        var result = await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context("req-baggage-async"), async (_, _) =>
        {
            await Task.Yield();
            inside = Baggage.GetBaggage("user.id");
            return 8;
        });

        Assert.Equal(8, result);
        Assert.Equal("42", inside);
        Assert.Null(Baggage.GetBaggage("user.id"));
    }
}

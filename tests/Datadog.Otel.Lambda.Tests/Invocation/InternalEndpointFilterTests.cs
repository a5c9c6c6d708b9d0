// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Invocation;

namespace Datadog.Otel.Lambda.Tests.Invocation;

public class InternalEndpointFilterTests
{
    private static Activity Client(params (string Key, object Value)[] tags)
    {
        var activity = new Activity("HTTP POST");
        activity.SetIdFormat(ActivityIdFormat.W3C);
        typeof(Activity).GetProperty(nameof(Activity.Kind))!.SetValue(activity, ActivityKind.Client);
        foreach (var (key, value) in tags)
        {
            activity.SetTag(key, value);
        }

        return activity;
    }

    [Theory]
    [InlineData("http://127.0.0.1:9001/2018-06-01/runtime/invocation/next", true)]
    [InlineData("http://127.0.0.1:4318/v1/traces", true)]
    [InlineData("http://localhost:8126/v0.4/traces", true)]
    [InlineData("http://127.0.0.1:8124/lambda/start-invocation", true)]
    [InlineData("http://127.0.0.1:8080/api", false)]
    [InlineData("https://example.com/", false)]
    public void RecognisesRuntimeApiAndExtensionUrls(string url, bool expected)
    {
        var filter = new InternalEndpointFilter("127.0.0.1:9001");
        Assert.Equal(expected, filter.IsInternal(Client(("url.full", url))));
    }

    [Fact]
    public void UsesTheRuntimeApiVariableNotAHardCodedPort()
    {
        var filter = new InternalEndpointFilter("169.254.100.1:9999");
        Assert.True(filter.IsInternal(Client(("url.full", "http://169.254.100.1:9999/2018-06-01/runtime/invocation/next"))));
        Assert.True(filter.IsInternal(Client(("server.address", "169.254.100.1"), ("server.port", 9999))));
        Assert.False(filter.IsInternal(Client(("url.full", "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next"))));
    }

    [Fact]
    public void IgnoresServerSpans()
    {
        var filter = new InternalEndpointFilter(null);
        var activity = new Activity("x");
        activity.SetTag("url.full", "http://127.0.0.1:4318/v1/traces");
        Assert.False(filter.IsInternal(activity));
    }
}

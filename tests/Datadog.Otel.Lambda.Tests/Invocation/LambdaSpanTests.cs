// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Reflection;
using System.Text;
using Datadog.Otel.Lambda.Tests.TestSupport;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.Tests.Invocation;

[Collection("Tracing")]
public class LambdaSpanTests
{
    private static MemoryStream Event(string json = "{}") => new(Encoding.UTF8.GetBytes(json));

    [Fact]
    public async Task SemanticConventionTagsThatDifferFromTheResourceAreOnTheSpan()
    {
        using var tracing = new TestTracing(new() { ["AWS_LAMBDA_FUNCTION_NAME"] = "Other", ["AWS_REGION"] = "eu-west-1" });
        var unqualified = "arn:aws:lambda:us-east-1:123456789012:function:My-Function";
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context("req-a", unqualified), (_, _) => Task.FromResult(1));

        var span = tracing.LambdaSpan("req-a");
        Assert.Equal("My-Function", span.GetTagItem("faas.name"));
        Assert.Equal("us-east-1", span.GetTagItem("cloud.region"));
        Assert.Equal(unqualified, span.GetTagItem("cloud.resource_id"));
        Assert.Null(span.GetTagItem("aws.lambda.invoked_arn")); // invoked without a qualifier: the same as cloud.resource_id
    }

    [Fact]
    public async Task ColdThenWarmInvocationCarriesDatadogLambdaTags()
    {
        using var tracing = new TestTracing();
        var arn = "arn:aws:lambda:us-east-1:123456789012:function:My-Function:Prod";
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context("req-cold", arn), (_, _) => Task.FromResult(1));
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context("req-warm", arn), (_, _) => Task.FromResult(2));

        var cold = tracing.LambdaSpan("req-cold");
        Assert.Equal("My-Function", cold.DisplayName);
        Assert.Equal(ActivityKind.Server, cold.Kind);
        Assert.Equal("aws.lambda", cold.GetTagItem("operation.name"));
        Assert.Equal("My-Function", cold.GetTagItem("resource.name"));
        Assert.Equal("serverless", cold.GetTagItem("span.type"));
        Assert.Null(cold.GetTagItem("datadog.service"));
        Assert.Equal("server", cold.GetTagItem("span.kind"));
        Assert.Equal("true", cold.GetTagItem("cold_start"));
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:my-function", cold.GetTagItem("function_arn"));
        Assert.Equal("prod", cold.GetTagItem("function_version")); // both libraries lowercase the ARN before splitting it
        Assert.Equal("my-function", cold.GetTagItem("functionname"));
        Assert.Equal("My-Function", cold.GetTagItem("resource_names"));
        Assert.Equal("req-cold", cold.GetTagItem("request_id"));
        Assert.Equal(PackageVersion(), cold.GetTagItem("datadog_lambda"));
        Assert.Equal("aws.lambda", cold.GetTagItem("span.name")); // Python's (Node.js does not write it)
        Assert.Null(cold.GetTagItem("faas.name")); // equal to the resource's (AWS_LAMBDA_FUNCTION_NAME)
        Assert.Equal("req-cold", cold.GetTagItem("faas.invocation_id"));
        Assert.Equal(true, cold.GetTagItem("faas.coldstart"));
        Assert.Equal("other", cold.GetTagItem("faas.trigger"));
        Assert.Null(cold.GetTagItem("cloud.provider")); // the resource's, not repeated per span
        Assert.Contains(tracing.Provider.GetResource().Attributes, a => a.Key == "cloud.provider" && Equals(a.Value, "aws"));
        Assert.Null(cold.GetTagItem("cloud.region")); // equal to the resource's (AWS_REGION)
        Assert.Contains(tracing.Provider.GetResource().Attributes, a => a.Key == "faas.name" && Equals(a.Value, "My-Function"));
        Assert.Contains(tracing.Provider.GetResource().Attributes, a => a.Key == "cloud.region" && Equals(a.Value, "us-east-1"));
        Assert.Equal("123456789012", cold.GetTagItem("cloud.account.id"));
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:My-Function", cold.GetTagItem("cloud.resource_id"));
        Assert.Equal(arn, cold.GetTagItem("aws.lambda.invoked_arn"));

        var warm = tracing.LambdaSpan("req-warm");
        Assert.Equal("false", warm.GetTagItem("cold_start"));
        Assert.Equal(false, warm.GetTagItem("faas.coldstart"));
        Assert.NotEqual(cold.TraceId, warm.TraceId);
    }

    [Fact]
    public async Task UnqualifiedArnReportsLatestVersion()
    {
        using var tracing = new TestTracing();
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context(), (_, _) => Task.FromResult(1));
        Assert.Equal("$LATEST", tracing.LambdaSpan("req-1").GetTagItem("function_version"));
    }

    [Fact]
    public async Task ExplicitLatestQualifierIsLowercasedAsTheLibrariesWriteIt()
    {
        // Python and Node.js split the lowercased ARN: an explicit $LATEST qualifier is "$latest", no qualifier "$LATEST".
        using var tracing = new TestTracing();
        var context = TestTracing.Context(arn: TestTracing.FunctionArn + ":$LATEST");
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), context, (_, _) => Task.FromResult(1));
        Assert.Equal("$latest", tracing.LambdaSpan("req-1").GetTagItem("function_version"));
    }

    [Fact]
    public async Task FunctionUrlArnKeepsTheQualifiersCase()
    {
        // Python builds the function URL's ARN from the invoked ARN as given (an alias name is case-sensitive).
        using var tracing = new TestTracing();
        var context = TestTracing.Context(arn: TestTracing.FunctionArn + ":Prod");
        await DatadogLambda.TraceAsync(tracing.Provider, EventSamples.Stream(EventSamples.Load("function-url.json")), context, (_, _) => Task.FromResult(1));
        var lambda = tracing.LambdaSpan("req-1");
        Assert.Equal("prod", lambda.GetTagItem("function_version"));
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:url:My-Function:Prod", lambda.GetTagItem("function_trigger.event_source_arn"));
    }

    [Fact]
    public async Task DdServiceNamesTheFunctionSpan()
    {
        using var tracing = new TestTracing(new() { ["DD_SERVICE"] = "checkout", ["OTEL_SERVICE_NAME"] = "ignored" });
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context(), (_, _) => Task.FromResult(1));
        var span = tracing.LambdaSpan("req-1");
        Assert.Null(span.GetTagItem("datadog.service"));
        Assert.Equal("checkout", tracing.Provider.GetResource().Attributes.Single(a => a.Key == "service.name").Value);
    }

    [Fact]
    public async Task OtelServiceNameIsUsedWhenDdServiceIsUnset()
    {
        using var tracing = new TestTracing(new() { ["OTEL_SERVICE_NAME"] = "orders" });
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context(), (_, _) => Task.FromResult(1));
        Assert.Equal("orders", tracing.Provider.GetResource().Attributes.Single(a => a.Key == "service.name").Value);
        Assert.Null(tracing.LambdaSpan("req-1").GetTagItem("datadog.service"));
    }

    [Fact]
    public async Task FunctionNameIsTheDefaultService()
    {
        using var tracing = new TestTracing();
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context(), (_, _) => Task.FromResult(1));
        Assert.Equal("My-Function", tracing.Provider.GetResource().Attributes.Single(a => a.Key == "service.name").Value);
    }

    [Fact]
    public async Task ServiceRepresentationDisabledNamesTheSpanServiceAwsLambda()
    {
        using var tracing = new TestTracing(new() { ["DD_TRACE_AWS_SERVICE_REPRESENTATION_ENABLED"] = "false" });
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context(), (_, _) => Task.FromResult(1));
        Assert.Equal("aws.lambda", tracing.LambdaSpan("req-1").GetTagItem("datadog.service"));
    }

    [Fact]
    public async Task ServiceRepresentationDisabledKeepsDdService()
    {
        using var tracing = new TestTracing(new() { ["DD_TRACE_AWS_SERVICE_REPRESENTATION_ENABLED"] = "0", ["DD_SERVICE"] = "svc" });
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context(), (_, _) => Task.FromResult(1));
        Assert.Null(tracing.LambdaSpan("req-1").GetTagItem("datadog.service"));
    }

    [Fact]
    public async Task ResourceCarriesUnifiedServiceTagsAndLambdaAttributes()
    {
        using var tracing = new TestTracing(new()
        {
            ["DD_ENV"] = "prod",
            ["DD_VERSION"] = "1.2.3",
            ["DD_TAGS"] = "team:payments,tier:1",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "512",
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = "2026/11/25/[$LATEST]abc",
        });
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context(), (_, _) => Task.FromResult(1));
        var resource = tracing.Provider.GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value);
        Assert.Equal("prod", resource["deployment.environment.name"]);
        Assert.Equal("1.2.3", resource["service.version"]);
        Assert.Equal("payments", resource["team"]);
        Assert.Equal("1", resource["tier"]);
        Assert.Equal("aws", resource["cloud.provider"]);
        Assert.Equal("aws_lambda", resource["cloud.platform"]);
        Assert.Equal("us-east-1", resource["cloud.region"]);
        Assert.Equal(512L * 1024 * 1024, resource["faas.max_memory"]);
        Assert.Equal("2026/11/25/[$LATEST]abc", resource["faas.instance"]);
    }

    [Fact]
    public async Task HandlerSeesTheInvocationSpanAsCurrentAndCallerDoesNot()
    {
        using var tracing = new TestTracing();
        Activity? seen = null;
        await DatadogLambda.TraceAsync(tracing.Provider, Event(), TestTracing.Context(), async (_, _) =>
        {
            await Task.Yield();
            seen = Activity.Current;
            return 0;
        });
        Assert.Same(tracing.LambdaSpan("req-1"), seen);
        Assert.Null(Activity.Current);
    }

    [Fact]
    public void SyncWrapperRestoresTheCallersCurrentActivity()
    {
        using var tracing = new TestTracing();
        using var outer = new ActivitySource("test.outer").StartActivity("outer");
        var before = Activity.Current;
        var result = DatadogLambda.Trace(tracing.Provider, Event(), TestTracing.Context(), (_, _) => Activity.Current!.DisplayName);
        Assert.Equal("My-Function", result);
        Assert.Same(before, Activity.Current);
    }

    /// <summary>The version the package is built with, as its assembly states it (without the source revision).</summary>
    private static string PackageVersion() =>
        typeof(DatadogLambda).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
}

// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Tests.Configuration;

public class LambdaSettingsTests
{
    private static LambdaSettings Resolve(Dictionary<string, string?> env, Action<DatadogLambdaOptions>? configure = null)
    {
        var options = new DatadogLambdaOptions();
        configure?.Invoke(options);
        return LambdaSettings.Resolve(EnvironmentSource.FromDictionary(env), options);
    }

    [Fact]
    public void DefaultsMatchDatadog()
    {
        var settings = Resolve(new());
        Assert.True(settings.TraceEnabled);
        Assert.True(settings.ManagedServices);
        Assert.True(settings.ColdStartTracing);
        Assert.True(settings.LogsInjection);
        Assert.True(settings.EncodeAuthorizerContext);
        Assert.True(settings.DecodeAuthorizerContext);
        Assert.True(settings.AddSpanPointers);
        Assert.False(settings.MergeXRayTraces);
        Assert.False(settings.CaptureLambdaPayload);
        Assert.Equal(10, settings.PayloadCapture.MaxDepth);
        Assert.Equal(100, settings.FlushDeadlineMilliseconds);
        Assert.Equal("aws.lambda", settings.ServiceName);
    }

    [Theory]
    [InlineData("-5", 100)]
    [InlineData("abc", 100)]
    [InlineData("250", 250)]
    [InlineData("0", 0)]
    public void FlushDeadlineFallsBackForNegativeOrInvalidValues(string value, int expected) =>
        Assert.Equal(expected, Resolve(new() { ["DD_APM_FLUSH_DEADLINE_MILLISECONDS"] = value }).FlushDeadlineMilliseconds);

    [Fact]
    public void EnvironmentWinsOverCodeOptions()
    {
        var settings = Resolve(
            new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "false", ["DD_MERGE_XRAY_TRACES"] = "true", ["OTEL_SERVICE_NAME"] = "env-svc" },
            o =>
            {
                o.CaptureLambdaPayload = true;
                o.MergeXRayTraces = false;
                o.ServiceName = "code-svc";
            });
        Assert.False(settings.CaptureLambdaPayload);
        Assert.True(settings.MergeXRayTraces);
        Assert.Equal("env-svc", settings.ServiceName);
    }

    [Fact]
    public void CodeOptionsApplyWhenTheEnvironmentIsSilent()
    {
        var settings = Resolve(new() { ["AWS_LAMBDA_FUNCTION_NAME"] = "fn" }, o =>
        {
            o.CaptureLambdaPayload = true;
            o.ServiceName = "code-svc";
        });
        Assert.True(settings.CaptureLambdaPayload);
        Assert.Equal("code-svc", settings.ServiceName);
    }

    [Theory]
    [InlineData("team:a,tier:1", "team=a;tier=1")]
    [InlineData("team:a tier:1", "team=a;tier=1")]
    [InlineData("url:http://x:1,bad,:nokey,novalue:", "url=http://x:1;bad=;novalue=")]
    [InlineData("team:a, team:b ,x:1", "team=b;x=1")]
    [InlineData("", "")]
    public void ParsesDdTagsAsDatadogsTracers(string raw, string expected)
    {
        // dd-trace-py's parse_tags_str: split at the first colon, no colon is an empty value, no key is dropped, last value wins.
        var tags = LambdaSettings.ParseTags(raw);
        Assert.Equal(expected, string.Join(';', tags.Select(t => t.Key + "=" + t.Value)));
    }

    [Fact]
    public void EnvAndVersionFallBackToDdTags()
    {
        var fromTags = Resolve(new() { ["DD_TAGS"] = "env:prod,version:1.2,critical" });
        Assert.Equal("prod", fromTags.Environment);
        Assert.Equal("1.2", fromTags.Version);
        Assert.Contains(new KeyValuePair<string, string>("critical", string.Empty), fromTags.Tags);

        var explicitOnes = Resolve(new() { ["DD_TAGS"] = "env:prod,version:1.2", ["DD_ENV"] = "staging", ["DD_VERSION"] = "2.0" });
        Assert.Equal("staging", explicitOnes.Environment);
        Assert.Equal("2.0", explicitOnes.Version);
    }

    [Theory]
    [InlineData(null, null, null, "fn", "aws.lambda")]
    [InlineData(null, null, "fn:fn-svc", "fn-svc", "aws.lambda")]
    [InlineData("shop", null, "shop:shop-web,shop-web:twice", "shop-web", "aws.lambda")]
    [InlineData(null, "false", "aws.lambda:lambdas", "lambdas", "lambdas")]
    [InlineData(null, "false", "fn:fn-svc", "aws.lambda", "aws.lambda")]
    public void TheLambdaAndColdStartServicesAreLookedUpInTheMappingOnce(string? ddService, string? representation, string? mapping, string lambdaService, string coldStartService)
    {
        // dd-trace-py's tracer maps every span's service (one lookup) after datadog-lambda-python chose it; the resource's
        // service (user spans) is not mapped here.
        var settings = Resolve(new()
        {
            ["AWS_LAMBDA_FUNCTION_NAME"] = "fn",
            ["DD_SERVICE"] = ddService,
            ["DD_TRACE_AWS_SERVICE_REPRESENTATION_ENABLED"] = representation,
            ["DD_SERVICE_MAPPING"] = mapping,
        });
        Assert.Equal(lambdaService, settings.LambdaSpanService);
        Assert.Equal(coldStartService, settings.ColdStartService);
        Assert.Equal(ddService ?? "fn", settings.ServiceName);
    }

    [Theory]
    [InlineData("lambda_sqs:queues,lambda_sns:topics", "lambda_sns=topics;lambda_sqs=queues")]
    [InlineData("a:b:c,x:y", "x=y")]
    [InlineData("same:same, : ,k:", "")]
    public void ParsesServiceMappingLikeDatadog(string raw, string expected)
    {
        var mapping = LambdaSettings.ParseServiceMapping(raw);
        Assert.Equal(expected, string.Join(';', mapping.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Key + "=" + m.Value)));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("yes", false)]
    [InlineData("on", false)]
    [InlineData("", false)]
    [InlineData(" true", false)]
    [InlineData("garbage", false)]
    public void ParsesBooleansAsDatadogsAsBool(string value, bool expected)
    {
        // datadog-lambda-python's as_bool and dd-trace-py's asbool: only "true" (any case) and "1" are true, even for a
        // setting whose default is true.
        Assert.Equal(expected, Resolve(new() { ["DD_TRACE_ENABLED"] = value }).TraceEnabled);
        Assert.Equal(expected, Resolve(new() { ["DD_MERGE_XRAY_TRACES"] = value }).MergeXRayTraces);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("no", true)]
    [InlineData("off", true)]
    [InlineData("False", false)]
    [InlineData("0", false)]
    public void ServiceRepresentationIsOffOnlyForFalseOrZero(string? value, bool expected) =>
        Assert.Equal(expected, Resolve(new() { ["DD_TRACE_AWS_SERVICE_REPRESENTATION_ENABLED"] = value }).ServiceRepresentationEnabled);

    [Theory]
    [InlineData("3", 3)]
    [InlineData("100", 64)]
    [InlineData("-2", 0)]
    [InlineData("deep", 10)]
    public void PayloadDepthPastTheBoundIsTheBound(string value, int expected) =>
        Assert.Equal(expected, Resolve(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD_MAX_DEPTH"] = value }).PayloadCapture.MaxDepth);
}

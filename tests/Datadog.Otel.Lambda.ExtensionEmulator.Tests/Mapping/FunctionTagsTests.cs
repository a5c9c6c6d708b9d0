// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using static Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport.OtlpModel;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Mapping;

/// <summary>
/// The function tags the extension writes on every span (bottlecap <c>tags/lambda/tags.rs</c> <c>tags_from_env</c>, with
/// the ARN of <c>config/aws.rs</c> <c>build_lambda_function_arn</c>) and <c>_dd.base_service</c> on inferred spans
/// (<c>traces/trace_processor.rs</c>), emulated when the function's name is given.
/// </summary>
public class FunctionTagsTests
{
    private static readonly string[] ArnTagKeys = ["region", "account_id", "aws_account", "functionname", "resource", "executedversion", "function_arn"];

    [Fact]
    public void TheArnAndTheLambdaEnvironmentGiveTheFunctionTags()
    {
        var options = new ExtensionEmulatorOptions
        {
            FunctionName = "Order-API",
            Region = "eu-west-1",
            AccountId = "111122223333",
            MemorySize = 1024,
            InitializationType = "provisioned-concurrency",
            ExecutionEnvironment = "AWS_Lambda_dotnet8",
            Architecture = "arm64",
        };

        var mapped = MapOne(Span(name: "GET /orders"), options: options);

        Assert.Equal("eu-west-1", mapped.Meta["region"]);
        Assert.Equal("111122223333", mapped.Meta["account_id"]);
        Assert.Equal("111122223333", mapped.Meta["aws_account"]);
        Assert.Equal("Order-API", mapped.Meta["functionname"]);
        Assert.Equal("Order-API", mapped.Meta["resource"]);
        Assert.Equal("arn:aws:lambda:eu-west-1:111122223333:function:order-api", mapped.Meta["function_arn"]);
        Assert.False(mapped.Meta.ContainsKey("executedversion"));
        Assert.Equal("1024", mapped.Meta["memorysize"]);
        Assert.Equal("provisioned-concurrency", mapped.Meta["init_type"]);
        Assert.Equal("AWS_Lambda_dotnet8", mapped.Meta["runtime"]);
        Assert.Equal("arm64", mapped.Meta["architecture"]);

        // The meta tag named resource is not the span's resource.
        Assert.Equal("GET /orders", mapped.Resource);
    }

    [Theory]
    [InlineData("7", "my-fn:7", "7")]
    [InlineData("$LATEST", "my-fn", null)]
    [InlineData(null, "my-fn", null)]
    public void AQualifierOtherThanLatestIsInTheResourceAndExecutedVersionButNotTheArn(string? version, string resource, string? executedVersion)
    {
        var mapped = MapOne(Span(), options: new ExtensionEmulatorOptions { FunctionName = "my-fn", FunctionVersion = version });

        Assert.Equal(resource, mapped.Meta["resource"]);
        Assert.Equal(executedVersion, mapped.Meta.GetValueOrDefault("executedversion"));
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:my-fn", mapped.Meta["function_arn"]);
    }

    [Theory]
    [InlineData("cn-north-1", "arn:aws-cn:lambda:cn-north-1:123456789012:function:f")]
    [InlineData("us-gov-west-1", "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f")]
    [InlineData("eu-central-1", "arn:aws:lambda:eu-central-1:123456789012:function:f")]
    [InlineData(null, "arn:aws:lambda:us-east-1:123456789012:function:f")]
    public void TheRegionPicksThePartitionAndDefaultsToUsEast1(string? region, string arn)
    {
        var mapped = MapOne(Span(), options: new ExtensionEmulatorOptions { FunctionName = "f", Region = region });

        Assert.Equal(arn, mapped.Meta["function_arn"]);
        Assert.Equal(region ?? "us-east-1", mapped.Meta["region"]);
    }

    [Fact]
    public void DdTagsWinOverTheFunctionTags()
    {
        var options = new ExtensionEmulatorOptions
        {
            FunctionName = "orders",
            FunctionVersion = "3",
            MemorySize = 512,
            Tags = "functionname:renamed,region:local,memorysize:1,executedversion:x",
        };

        var mapped = MapOne(Span(), options: options);

        Assert.Equal(("renamed", "local", "1", "x"), (mapped.Meta["functionname"], mapped.Meta["region"], mapped.Meta["memorysize"], mapped.Meta["executedversion"]));
        Assert.Equal("orders:3", mapped.Meta["resource"]);
    }

    [Fact]
    public void WithoutAFunctionNameTheEnvironmentTagsComeWithoutTheArnTags()
    {
        // The extension reads these variables whether or not it has an ARN.
        var options = new ExtensionEmulatorOptions { MemorySize = 256, InitializationType = "on-demand", ExecutionEnvironment = "AWS_Lambda_dotnet8", Region = "eu-west-1", FunctionVersion = "2" };

        var mapped = MapOne(Span(attributes: [Attr("_inferred_span.tag_source", "self")]), options: options);

        Assert.Equal(("256", "on-demand", "AWS_Lambda_dotnet8"), (mapped.Meta["memorysize"], mapped.Meta["init_type"], mapped.Meta["runtime"]));
        Assert.DoesNotContain(mapped.Meta.Keys, ArnTagKeys.Contains);
        Assert.False(mapped.Meta.ContainsKey("_dd.base_service"));
    }

    [Fact]
    public void UnsetOptionsKeepTheEarlierOutput()
    {
        // A guard, not a new behaviour: with none of the function options, spans are exactly what they were.
        var mapped = MapOne(Span(attributes: [Attr("_inferred_span.tag_source", "self"), Attr("team", "a")]), options: new ExtensionEmulatorOptions { Service = "svc" });

        Assert.DoesNotContain(mapped.Meta.Keys, ArnTagKeys.Concat(["memorysize", "init_type", "runtime", "_dd.base_service"]).Contains);
        Assert.Equal(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x86_64", mapped.Meta["architecture"]);
    }

    [Theory]
    [InlineData("Shop-Web", true, "Shop-Web")]
    [InlineData(null, true, "Order-API")]
    [InlineData("Shop-Web", false, "aws.lambda")]
    [InlineData(null, false, "aws.lambda")]
    [InlineData("  ", true, "Order-API")]
    public void AnInferredSpanGetsTheFunctionsServiceAsBaseService(string? service, bool representation, string expected)
    {
        var options = new ExtensionEmulatorOptions { FunctionName = "Order-API", Service = service, AwsServiceRepresentationEnabled = representation };

        var inferred = MapOne(Span(attributes: [Attr("_inferred_span.tag_source", "self")]), options: options);
        var other = MapOne(Span(), options: options);

        Assert.Equal(expected, inferred.Meta["_dd.base_service"]);
        Assert.False(other.Meta.ContainsKey("_dd.base_service"));
    }

    [Fact]
    public void ABaseServiceAlreadySetIsKeptAndDdTagsNameTheFunction()
    {
        var options = new ExtensionEmulatorOptions { FunctionName = "orders", Tags = "functionname:renamed" };

        var kept = MapOne(Span(attributes: [Attr("_inferred_span.tag_source", "self"), Attr("_dd.base_service", "mine")]), options: options);
        var derived = MapOne(Span(attributes: [Attr("_inferred_span.tag_source", "self")]), options: options);

        Assert.Equal("mine", kept.Meta["_dd.base_service"]);
        Assert.Equal("renamed", derived.Meta["_dd.base_service"]);
    }

    [Fact]
    public void BlankUnifiedServiceTagsAreUnsetAndOthersAreKeptAsWritten()
    {
        // serverless-components deserialize_string_or_int: a blank DD_ENV/DD_SERVICE/DD_VERSION is None; any other value
        // is kept untrimmed.
        var blank = MapOne(Span(), options: new ExtensionEmulatorOptions { Env = " ", Service = "\t", Version = "  " });
        var padded = MapOne(Span(), options: new ExtensionEmulatorOptions { Env = " prod " });

        Assert.False(blank.Meta.ContainsKey("env"));
        Assert.False(blank.Meta.ContainsKey("version"));
        Assert.NotEqual("\t", blank.Meta.GetValueOrDefault("service"));
        Assert.Equal(" prod ", padded.Meta["env"]);
    }
}

// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Tool;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Tool;

public class CommandLineTests
{
    [Fact]
    public void NoArguments_ListenOn4318WithoutDdTags()
    {
        Assert.True(CommandLine.TryParse([], out var commandLine, out _));

        Assert.Equal(4318, commandLine.Options.Port);
        Assert.Null(commandLine.Options.Service);
        Assert.Null(commandLine.Options.Tags);
        Assert.Equal(ExtensionEmulatorOptions.DefaultMaxRequestBodyBytes, commandLine.Options.MaxRequestBodyBytes);
        Assert.False(commandLine.ShowHelp);
    }

    [Fact]
    public void AllOptions_SpaceAndEqualsForms()
    {
        string[] args = ["--port", "0", "--dd-service=my-fn", "--dd-env", "prod", "--dd-version=1.2.3", "--dd-tags", "team:a,tier:b", "--max-body-bytes", "1024", "--html=out/traces.html"];

        Assert.True(CommandLine.TryParse(args, out var commandLine, out _));

        var options = commandLine.Options;
        Assert.Equal((0, "my-fn", "prod", "1.2.3", "team:a,tier:b", 1024), (options.Port, options.Service, options.Env, options.Version, options.Tags, options.MaxRequestBodyBytes));
        Assert.Equal("out/traces.html", options.HtmlReportPath);
    }

    [Fact]
    public void FunctionOptions_WhatTheExtensionReadsFromTheFunctionsEnvironment()
    {
        string[] args =
        [
            "--function-name", "Order-API", "--region=cn-north-1", "--account-id", "111122223333", "--function-version", "$LATEST",
            "--memory-size", "1024", "--init-type", "snap-start", "--execution-env", "AWS_Lambda_dotnet8", "--architecture", "arm64",
            "--dd-trace-aws-service-representation-enabled", "FALSE",
        ];

        Assert.True(CommandLine.TryParse(args, out var commandLine, out _));

        var o = commandLine.Options;
        Assert.Equal(("Order-API", "cn-north-1", "111122223333", "$LATEST"), (o.FunctionName, o.Region, o.AccountId, o.FunctionVersion));
        Assert.Equal((1024, "snap-start", "AWS_Lambda_dotnet8", "arm64"), (o.MemorySize, o.InitializationType, o.ExecutionEnvironment, o.Architecture));
        Assert.False(o.AwsServiceRepresentationEnabled);
        Assert.Contains("--function-name", CommandLine.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionOptions_UnsetByDefault()
    {
        Assert.True(CommandLine.TryParse([], out var commandLine, out _));

        var o = commandLine.Options;
        Assert.Equal((null, null, null, null, null), (o.FunctionName, o.Region, o.AccountId, o.FunctionVersion, o.MemorySize));
        Assert.Equal((null, null, null, true), (o.InitializationType, o.ExecutionEnvironment, o.Architecture, o.AwsServiceRepresentationEnabled));
    }

    [Fact]
    public void AValueMayContainEqualsSigns()
    {
        Assert.True(CommandLine.TryParse(["--dd-tags=k:a=b"], out var commandLine, out _));
        Assert.Equal("k:a=b", commandLine.Options.Tags);
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    public void Help(string flag)
    {
        Assert.True(CommandLine.TryParse([flag], out var commandLine, out _));
        Assert.True(commandLine.ShowHelp);
        Assert.Contains("--dd-tags", CommandLine.Usage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Unknown argument '--nope'", "--nope")]
    [InlineData("Unknown argument 'positional'", "positional")]
    [InlineData("Option '--port' needs a value", "--port")]
    [InlineData("Invalid port 'abc'", "--port", "abc")]
    [InlineData("Invalid port '70000'", "--port", "70000")]
    [InlineData("Invalid port '-1'", "--port=-1")]
    [InlineData("Invalid body limit '0'", "--max-body-bytes", "0")]
    [InlineData("Invalid memory size '0'", "--memory-size", "0")]
    [InlineData("Invalid memory size 'big'", "--memory-size", "big")]
    [InlineData("Invalid architecture 'aarch64'", "--architecture", "aarch64")]
    [InlineData("Invalid switch 'off'", "--dd-trace-aws-service-representation-enabled", "off")]
    public void InvalidArguments_AreRejectedWithAMessage(string message, params string[] args)
    {
        Assert.False(CommandLine.TryParse(args, out var commandLine, out var error));

        Assert.Null(commandLine);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }
}

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
    public void InvalidArguments_AreRejectedWithAMessage(string message, params string[] args)
    {
        Assert.False(CommandLine.TryParse(args, out var commandLine, out var error));

        Assert.Null(commandLine);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }
}

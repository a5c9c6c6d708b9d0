// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Reflection;
using System.Text;
using Amazon.Lambda.Core;
using Amazon.Lambda.RuntimeSupport.Bootstrap;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.ZeroCode.Tests.TestSupport;

/// <summary>Handler strings, and handlers loaded and called as the managed runtime does (the stand-in's UserCodeLoader).</summary>
internal static class Handlers
{
    /// <summary>The function's assembly, where the package compiled the redirect.</summary>
    public const string FunctionAssembly = "Datadog.Otel.Lambda.ZeroCode.Function";

    /// <summary>The redirect, as a function's handler setting names it.</summary>
    public const string Redirect = FunctionAssembly + "::Datadog.Otel.Lambda.DatadogLambdaHandler::HandleAsync";

    public static string Function(string typeAndMethod) => FunctionAssembly + "::ZeroCodeFunction." + typeAndMethod;

    /// <summary>Loads a handler as the runtime does at initialization (Init throws what the runtime reports).</summary>
    public static UserCodeLoader Load(string handler)
    {
        var loader = new UserCodeLoader(handler);
        loader.Init();
        return loader;
    }

    /// <summary>Calls a loaded handler as the runtime does for one invocation: event in, response written to an output stream.</summary>
    public static Outcome Invoke(UserCodeLoader loader, string eventJson, string requestId)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(eventJson));
        using var output = new MemoryStream();
        try
        {
            loader.Invoke(input, new LambdaContextDouble(requestId), output);
            return new Outcome(output.ToArray(), null);
        }
        catch (Exception ex)
        {
            return new Outcome(output.ToArray(), ex);
        }
    }

    public static string Event(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", name));
}

/// <summary>What the runtime would post to the Runtime API: the response bytes, or the exception.</summary>
internal sealed record Outcome(byte[] Response, Exception? Error)
{
    public string Text => Encoding.UTF8.GetString(this.Response);

    public override string ToString() => this.Error is null ? this.Text : $"{this.Error.GetType().FullName}: {this.Error.Message}";
}

/// <summary>Where the end-to-end tests find what they start.</summary>
internal static class Paths
{
    public static string FunctionDirectory { get; } = Metadata("FunctionDirectory");

    public static string RuntimeDirectory { get; } = Metadata("RuntimeDirectory");

    public static string ExecWrapper { get; } = RepositoryPaths.Combine("src", "Datadog.Otel.Lambda", "ExecWrapper", "datadog-otel-dotnet");

    private static string Metadata(string key) => Path.GetFullPath(typeof(Paths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!);
}

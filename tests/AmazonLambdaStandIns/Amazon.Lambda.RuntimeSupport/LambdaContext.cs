// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.RuntimeSupport/Context/{LambdaContext,
// CognitoClientContext,CognitoClientApplication,CognitoIdentity,LambdaEnvironment}.cs at
// 831492165a694825e0e762d68ec74f3e36b628c0 (RuntimeSupport 2.1.2): the context the runtime hands the handler, built from
// the Runtime API's headers and the function's environment. ClientContext is never null (its maps are, when the
// invocation has no client context); the logger writes lines to stdout.
using System.Text.Json;
using Amazon.Lambda.Core;

namespace Amazon.Lambda.RuntimeSupport;

internal sealed class LambdaContext : ILambdaContext
{
    private static readonly DateTime UnixEpoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly RuntimeApiHeaders headers;
    private readonly long deadlineMs;
    private readonly Lazy<CognitoClientContext> clientContext;
    private readonly Lazy<CognitoIdentity> identity;

    public LambdaContext(RuntimeApiHeaders headers)
    {
        this.headers = headers;
        _ = long.TryParse(headers.DeadlineMs, out this.deadlineMs);
        _ = int.TryParse(Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), out var memory);
        this.MemoryLimitInMB = memory;
        this.FunctionName = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME");
        this.FunctionVersion = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_VERSION");
        this.LogGroupName = Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_GROUP_NAME");
        this.LogStreamName = Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_STREAM_NAME");
        this.clientContext = new(() => CognitoClientContext.FromJson(headers.ClientContextJson));
        this.identity = new(() => CognitoIdentity.FromJson(headers.CognitoIdentityJson));
    }

    public string TraceId => this.headers.TraceId;

    public string AwsRequestId => this.headers.AwsRequestId;

    public IClientContext ClientContext => this.clientContext.Value;

    public string FunctionName { get; }

    public string FunctionVersion { get; }

    public ICognitoIdentity Identity => this.identity.Value;

    public string InvokedFunctionArn => this.headers.InvokedFunctionArn;

    public ILambdaLogger Logger { get; } = new LambdaConsoleLogger();

    public string LogGroupName { get; }

    public string LogStreamName { get; }

    public int MemoryLimitInMB { get; }

    public TimeSpan RemainingTime => TimeSpan.FromMilliseconds(this.deadlineMs - (DateTime.UtcNow - UnixEpoch).TotalMilliseconds);

    public string TenantId => this.headers.TenantId;

    public ILambdaSerializer Serializer { get; internal set; }

    internal IRuntimeApiHeaders RuntimeApiHeaders => this.headers;
}

internal sealed class CognitoClientContext : IClientContext
{
    public IDictionary<string, string> Environment { get; private set; }

    public IClientApplication Client { get; private set; }

    public IDictionary<string, string> Custom { get; private set; }

    internal static CognitoClientContext FromJson(string json)
    {
        var result = new CognitoClientContext();
        if (string.IsNullOrWhiteSpace(json))
        {
            return result;
        }

        var root = JsonDocument.Parse(json).RootElement;
        if (root.TryGetProperty("client", out var client))
        {
            result.Client = new CognitoClientApplication
            {
                AppPackageName = String(client, "app_package_name"),
                AppTitle = String(client, "app_title"),
                AppVersionCode = String(client, "app_version_code"),
                AppVersionName = String(client, "app_version_name"),
                InstallationId = String(client, "installation_id"),
            };
        }

        if (root.TryGetProperty("custom", out var custom))
        {
            result.Custom = custom.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());
        }

        if (root.TryGetProperty("env", out var env))
        {
            result.Environment = env.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());
        }

        return result;
    }

    private static string String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetString() : null;
}

internal sealed class CognitoClientApplication : IClientApplication
{
    public string AppPackageName { get; init; }

    public string AppTitle { get; init; }

    public string AppVersionCode { get; init; }

    public string AppVersionName { get; init; }

    public string InstallationId { get; init; }
}

internal sealed class CognitoIdentity : ICognitoIdentity
{
    public string IdentityId { get; private set; }

    public string IdentityPoolId { get; private set; }

    internal static CognitoIdentity FromJson(string json)
    {
        var result = new CognitoIdentity();
        if (!string.IsNullOrWhiteSpace(json))
        {
            var root = JsonDocument.Parse(json).RootElement;
            result.IdentityId = root.TryGetProperty("cognitoIdentityId", out var id) ? id.GetString() : null;
            result.IdentityPoolId = root.TryGetProperty("cognitoIdentityPoolId", out var pool) ? pool.GetString() : null;
        }

        return result;
    }
}

internal sealed class LambdaConsoleLogger : ILambdaLogger
{
    public void Log(string message) => Console.Write(message);

    public void LogLine(string message) => Console.WriteLine(message);

    public void Log(string level, string message) => Console.WriteLine(level + " " + message);

    public void Log(string level, string message, params object[] args) =>
        Console.WriteLine(level + " " + message + (args is { Length: > 0 } ? " " + string.Join(' ', args) : string.Empty));
}

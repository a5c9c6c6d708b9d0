// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

// Amazon.Lambda.Core is not in the package registry here. These test-only types have the public member names and
// shapes of Amazon.Lambda.Core 2.8 (ILambdaContext, IClientContext, LambdaTraceProvider) so that the ToDatadog()
// source file the package ships is compiled and exercised exactly as it is in a user's project.
#pragma warning disable CA1716, CA1711, SA1649, CA1024
namespace Amazon.Lambda.Core;

public interface ILambdaContext
{
    string AwsRequestId { get; }

    IClientContext ClientContext { get; }

    string FunctionName { get; }

    string FunctionVersion { get; }

    string InvokedFunctionArn { get; }

    string LogGroupName { get; }

    string LogStreamName { get; }

    int MemoryLimitInMB { get; }

    TimeSpan RemainingTime { get; }
}

public interface IClientContext
{
    IDictionary<string, string> Environment { get; }

    IDictionary<string, string> Custom { get; }
}

public static class LambdaTraceProvider
{
    private static readonly AsyncLocal<string> Current = new();

    public static string CurrentTraceId => Current.Value!;

    internal static void Set(string value) => Current.Value = value;
}

/// <summary>
/// Amazon.Lambda.Core's hook registry (2.5.0+). The test-only <c>Run…</c> methods do what the runtime does around a
/// snapshot: before-snapshot hooks run last-registered first, after-restore hooks in registration order.
/// </summary>
public static class SnapshotRestore
{
    private static readonly Stack<Func<ValueTask>> BeforeSnapshot = new();
    private static readonly Queue<Func<ValueTask>> AfterRestore = new();

    public static void RegisterBeforeSnapshot(Func<ValueTask> beforeSnapshotAction) => BeforeSnapshot.Push(beforeSnapshotAction);

    public static void RegisterAfterRestore(Func<ValueTask> afterRestoreAction) => AfterRestore.Enqueue(afterRestoreAction);

    internal static int Registered => BeforeSnapshot.Count + AfterRestore.Count;

    internal static async Task RunBeforeSnapshotHooksAsync()
    {
        while (BeforeSnapshot.TryPop(out var hook))
        {
            await hook();
        }
    }

    /// <summary>Runs the after-restore hooks and keeps them, so the same process can play several restores.</summary>
    internal static async Task RunAfterRestoreHooksAsync()
    {
        foreach (var hook in AfterRestore.ToArray())
        {
            await hook();
        }
    }

    internal static void Clear()
    {
        BeforeSnapshot.Clear();
        AfterRestore.Clear();
    }
}

// ILambdaLogger as of Amazon.Lambda.Core 2.3+ (structured logging): the two abstract members and the default
// interface members the Datadog logger wrapper implements or relies on.
public enum LogLevel
{
    Trace = 0,
    Debug = 1,
    Information = 2,
    Warning = 3,
    Error = 4,
    Critical = 5,
}

public interface ILambdaLogger
{
    void Log(string message);

    void LogLine(string message);

    void Log(string level, string message) => this.LogLine(message);

    void Log(LogLevel level, string message) => this.Log(level.ToString(), message);

    void LogInformation(string message) => this.Log(LogLevel.Information.ToString(), message);

    void LogWarning(string message) => this.Log(LogLevel.Warning.ToString(), message);

    void Log(string level, string message, params object[] args) => this.Log(level, message);

    void Log(string level, Exception exception, string message, params object[] args) => this.Log(level, message, args);

    void Log(LogLevel level, string message, params object[] args) => this.Log(level.ToString(), message, args);

    void LogInformation(string message, params object[] args) => this.Log(LogLevel.Information.ToString(), message, args);

    void LogError(Exception exception, string message, params object[] args) => this.Log(LogLevel.Error.ToString(), exception, message, args);
}

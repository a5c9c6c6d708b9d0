// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0
//
// Stand-in for aws/aws-lambda-dotnet Libraries/src/Amazon.Lambda.Core/ILambdaLogger.cs at
// 831492165a694825e0e762d68ec74f3e36b628c0 (Amazon.Lambda.Core 3.2.0, .NET 8 build): the two abstract members and the
// default interface members of structured logging (2.3.0+).
//
// One deliberate difference: the real default body of Log(string, string, params object[]) calls itself (an implementer
// that does not override it recurses without end; the runtime's own logger overrides it). Here it falls back to
// Log(string, string), so that a test double that forgets the member fails an assertion instead of the test host.
namespace Amazon.Lambda.Core;

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

    void LogTrace(string message) => this.Log(LogLevel.Trace.ToString(), message);

    void LogDebug(string message) => this.Log(LogLevel.Debug.ToString(), message);

    void LogInformation(string message) => this.Log(LogLevel.Information.ToString(), message);

    void LogWarning(string message) => this.Log(LogLevel.Warning.ToString(), message);

    void LogError(string message) => this.Log(LogLevel.Error.ToString(), message);

    void LogCritical(string message) => this.Log(LogLevel.Critical.ToString(), message);

    void Log(string level, string message, params object[] args) => this.Log(level, message);

    void Log(string level, Exception exception, string message, params object[] args)
    {
        this.Log(level, message, args);
        this.Log(level, exception.ToString(), args);
    }

    void Log(LogLevel level, string message, params object[] args) => this.Log(level.ToString(), message, args);

    void Log(LogLevel level, Exception exception, string message, params object[] args) => this.Log(level.ToString(), exception, message, args);

    void LogTrace(string message, params object[] args) => this.Log(LogLevel.Trace.ToString(), message, args);

    void LogTrace(Exception exception, string message, params object[] args) => this.Log(LogLevel.Trace.ToString(), exception, message, args);

    void LogDebug(string message, params object[] args) => this.Log(LogLevel.Debug.ToString(), message, args);

    void LogDebug(Exception exception, string message, params object[] args) => this.Log(LogLevel.Debug.ToString(), exception, message, args);

    void LogInformation(string message, params object[] args) => this.Log(LogLevel.Information.ToString(), message, args);

    void LogInformation(Exception exception, string message, params object[] args) => this.Log(LogLevel.Information.ToString(), exception, message, args);

    void LogWarning(string message, params object[] args) => this.Log(LogLevel.Warning.ToString(), message, args);

    void LogWarning(Exception exception, string message, params object[] args) => this.Log(LogLevel.Warning.ToString(), exception, message, args);

    void LogError(string message, params object[] args) => this.Log(LogLevel.Error.ToString(), message, args);

    void LogError(Exception exception, string message, params object[] args) => this.Log(LogLevel.Error.ToString(), exception, message, args);

    void LogCritical(string message, params object[] args) => this.Log(LogLevel.Critical.ToString(), message, args);

    void LogCritical(Exception exception, string message, params object[] args) => this.Log(LogLevel.Critical.ToString(), exception, message, args);
}

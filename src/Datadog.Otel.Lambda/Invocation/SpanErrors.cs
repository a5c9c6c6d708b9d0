// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// Marks a span as failed in both vocabularies: the OpenTelemetry status and exception event, and the
/// <c>error.msg</c>/<c>error.type</c>/<c>error.stack</c> attributes that the Datadog extension reads (it ignores
/// exception events unless told otherwise).
/// </summary>
internal static class SpanErrors
{
    /// <summary>Long stacks are cut: the tag only needs to show where it failed.</summary>
    private const int MaxStackLength = 16 * 1024;

    public static void Record(Activity activity, Exception exception)
    {
        var type = exception.GetType().FullName ?? exception.GetType().Name;
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag(TagNames.ErrorMessage, exception.Message);
        activity.SetTag(TagNames.ErrorType, type);
        var stack = exception.ToString();
        activity.SetTag(TagNames.ErrorStack, stack.Length <= MaxStackLength ? stack : stack[..MaxStackLength]);
        activity.AddException(exception);
    }

    public static void Record(Activity activity, string type, string message)
    {
        activity.SetStatus(ActivityStatusCode.Error, message);
        activity.SetTag(TagNames.ErrorMessage, message);
        activity.SetTag(TagNames.ErrorType, type);
    }
}

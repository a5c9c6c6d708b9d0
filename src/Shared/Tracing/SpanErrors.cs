// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// Marks a span as failed in both vocabularies: the OpenTelemetry status and exception event, and the
/// <c>error.msg</c>/<c>error.type</c>/<c>error.stack</c> attributes that the Datadog extension reads (it ignores
/// exception events unless told otherwise). The texts come from <see cref="ExceptionText"/>, bounded whatever the
/// exception is; <see cref="Activity.AddException"/> is not used because it calls <see cref="Exception.ToString"/>.
/// </summary>
internal static class SpanErrors
{
    /// <summary>Records <paramref name="exception"/>; returns its texts, for other spans that report it.</summary>
    public static ExceptionDescription Record(Activity activity, Exception exception)
    {
        var error = ExceptionText.Describe(exception);
        Record(activity, error);
        return error;
    }

    public static void Record(Activity activity, in ExceptionDescription error)
    {
        activity.SetStatus(ActivityStatusCode.Error, error.Message);
        activity.SetTag(TagNames.ErrorMessage, error.Message);
        activity.SetTag(TagNames.ErrorType, error.Type);
        activity.SetTag(TagNames.ErrorStack, error.Stack);

        // The exception event of OpenTelemetry's semantic conventions, with the same bounded texts.
        activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
        {
            { "exception.type", error.Type },
            { "exception.message", error.Message },
            { "exception.stacktrace", error.Stack },
        }));
    }

    public static void Record(Activity activity, string type, string message)
    {
        activity.SetStatus(ActivityStatusCode.Error, message);
        activity.SetTag(TagNames.ErrorMessage, message);
        activity.SetTag(TagNames.ErrorType, type);
    }
}

// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Globalization;
using Datadog.Otel.Lambda.Internal;

namespace Datadog.Otel.Lambda.AwsSdk.Tracing;

/// <summary>
/// The HTTP status of an AWS call in both vocabularies: Datadog's <c>http.status_code</c> (a string tag) and
/// OpenTelemetry's <c>http.response.status_code</c> (an integer). The texts of real status codes are cached.
/// </summary>
internal static class HttpStatusTags
{
    private static readonly string[] Texts = CreateTexts();

    public static void Set(Activity activity, int statusCode)
    {
        activity.SetTag(TagNames.HttpStatusCode, statusCode is >= 100 and < 600 ? Texts[statusCode - 100] : statusCode.ToString(CultureInfo.InvariantCulture));
        activity.SetTag(AwsTagNames.HttpResponseStatusCode, statusCode);
    }

    /// <summary>Reads a status the SDK reported as an attribute (an int, or something that formats as one).</summary>
    public static bool TryRead(object? value, out int statusCode)
    {
        switch (value)
        {
            case int code:
                statusCode = code;
                return true;
            case long code when code is >= 0 and <= int.MaxValue:
                statusCode = (int)code;
                return true;
            case System.Net.HttpStatusCode code:
                statusCode = (int)code;
                return true;
            case string text:
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out statusCode);
            default:
                statusCode = 0;
                return false;
        }
    }

    private static string[] CreateTexts()
    {
        var texts = new string[500];
        for (var i = 0; i < texts.Length; i++)
        {
            texts[i] = (i + 100).ToString(CultureInfo.InvariantCulture);
        }

        return texts;
    }
}

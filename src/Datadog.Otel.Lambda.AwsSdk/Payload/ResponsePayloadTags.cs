// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using Datadog.Otel.Lambda.AwsSdk.Pipeline;
using Datadog.Otel.Lambda.Payload;

namespace Datadog.Otel.Lambda.AwsSdk.Payload;

/// <summary>
/// AWS payload tagging of responses (<c>DD_TRACE_CLOUD_RESPONSE_PAYLOAD_TAGGING</c>), as dd-trace-js does it: the
/// response body (JSON protocols), with the service's response redactions. The body is the one the SDK unmarshalled,
/// kept by <see cref="BufferedResponse"/>; query (SNS) and XML (S3) responses are not tagged.
/// </summary>
internal static class ResponsePayloadTags
{
    public static void Apply(Activity span, in AwsCall call, byte[]? body, AwsPayloadTaggingSettings settings)
    {
        if (!settings.ResponsesEnabled || body is not { Length: > 1 } || body[0] != (byte)'{')
        {
            return;
        }

        using var document = JsonDocument.Parse(body);
        AwsPayloadTagger.TagResponse(settings, call.Service.ShortName, document.RootElement, new ActivityPayloadTagSink(span));
    }
}

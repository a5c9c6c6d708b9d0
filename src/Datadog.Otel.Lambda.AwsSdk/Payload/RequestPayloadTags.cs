// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using Datadog.Otel.Lambda.AwsSdk.Pipeline;
using Datadog.Otel.Lambda.Payload;

namespace Datadog.Otel.Lambda.AwsSdk.Payload;

/// <summary>
/// AWS payload tagging of requests (<c>DD_TRACE_CLOUD_REQUEST_PAYLOAD_TAGGING</c>): the core's tagger over the request
/// as the user wrote it (the JSON body before any <c>_datadog</c> was added), with the service's redactions. Requests
/// of the JSON protocols are tagged (SQS, EventBridge, Kinesis, DynamoDB, Step Functions …); query (SNS) and REST-XML
/// (S3) requests have no JSON body here and are not.
/// </summary>
internal static class RequestPayloadTags
{
    public static void Apply(Activity span, in AwsCall call, AwsPayloadTaggingSettings settings)
    {
        if (!settings.RequestsEnabled || call.Json is not { } body)
        {
            return;
        }

        using var document = JsonDocument.Parse(body);
        AwsPayloadTagger.TagRequest(settings, call.Service.ShortName, document.RootElement, new ActivityPayloadTagSink(span));
    }
}

// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using Datadog.Otel.Lambda.AwsSdk.Pipeline;
using Datadog.Otel.Lambda.AwsSdk.Services;
using Datadog.Otel.Lambda.Diagnostics;

namespace Datadog.Otel.Lambda.AwsSdk.Injection;

/// <summary>
/// Writes the client span's context into the marshalled request of the calls Datadog's tracers inject into, keyed by
/// service and operation name (no service package types, so it works the same whichever AWSSDK.* packages the user has).
/// The body is replaced only when the rewrite succeeded; otherwise the request goes out exactly as marshalled.
/// </summary>
internal static class PayloadInjection
{
    public static void Inject(in AwsCall call, Activity? clientSpan)
    {
        var request = call.Request;
        if (call.Json is not { Length: > 0 } content)
        {
            return;
        }

        try
        {
            byte[]? rewritten = null;
            switch (call.Service.Kind, call.Operation)
            {
                case (AwsService.Sqs, "ReceiveMessage"):
                    rewritten = SqsInjection.ReceiveMessage(content);
                    break;
                case (AwsService.Sqs, "SendMessage" or "SendMessageBatch"):
                    if (TraceCarrier.Create(clientSpan ?? Activity.Current) is { } carrier)
                    {
                        rewritten = SqsInjection.SendMessage(content, carrier, call.Operation.Length > "SendMessage".Length);
                    }

                    break;
            }

            if (rewritten is not null)
            {
                MarshalledBody.Replace(request, rewritten);
            }
        }
        catch (JsonException exception)
        {
            Diag.InjectionSkipped($"{call.Service.ServiceId}.{call.Operation}", $"the marshalled body is not the JSON expected ({exception.Message})");
        }
    }
}

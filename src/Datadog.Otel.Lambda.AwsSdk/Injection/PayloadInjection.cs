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
    public static void Inject(in AwsCall call, Activity? clientSpan, AwsSdkSettings settings, IDictionary<string, object>? contextAttributes)
    {
        var request = call.Request;
        var operation = call.Operation;
        try
        {
            switch (call.Service.Kind)
            {
                case AwsService.Sqs when operation == "ReceiveMessage" && call.Json is { } body:
                    Replace(request, SqsInjection.ReceiveMessage(body));
                    return;
                case AwsService.Sqs when operation is "SendMessage" or "SendMessageBatch" && call.Json is { } body:
                    if (Carrier(clientSpan) is { } carrier)
                    {
                        // Messages with attributes of their own are injected only when the response's MD5 can be
                        // corrected for the SDK's check (the request context carries the corrections to the response).
                        var fixes = contextAttributes is null ? null : new List<SqsMd5Fix>();
                        Replace(request, SqsInjection.SendMessage(body, carrier, operation == "SendMessageBatch", fixes));
                        if (fixes is { Count: > 0 })
                        {
                            contextAttributes![BufferedResponse.Md5FixesKey] = fixes.ToArray();
                        }
                    }

                    return;
                case AwsService.Sns when operation is "Publish" or "PublishBatch" && request.Parameters is { Count: > 0 } parameters:
                    if (Carrier(clientSpan) is { } snsCarrier)
                    {
                        SnsInjection.Publish(parameters, snsCarrier, operation == "PublishBatch");
                    }

                    return;
                case AwsService.EventBridge when operation == "PutEvents" && call.Json is { } body:
                    if (Carrier(clientSpan) is { } eventCarrier)
                    {
                        Replace(request, JsonServiceInjection.EventBridgePutEvents(body, eventCarrier));
                    }

                    return;
                case AwsService.Kinesis when operation is "PutRecord" or "PutRecords" && call.Json is { } body:
                    if (Carrier(clientSpan) is { } kinesisCarrier)
                    {
                        Replace(request, JsonServiceInjection.KinesisPut(body, kinesisCarrier, operation == "PutRecords"));
                    }

                    return;
                case AwsService.StepFunctions when operation is "StartExecution" or "StartSyncExecution" && call.Json is { } body:
                    if (Carrier(clientSpan) is { } sfnCarrier)
                    {
                        Replace(request, JsonServiceInjection.StepFunctionsStart(body, sfnCarrier));
                    }

                    return;
                case AwsService.Lambda when operation == "Invoke":
                    if (Carrier(clientSpan) is { } lambdaCarrier)
                    {
                        request.Headers.TryGetValue(LambdaClientContext.Header, out var existing);
                        if (LambdaClientContext.Create(existing, lambdaCarrier, settings.LegacyLambdaContext) is { } context)
                        {
                            request.Headers[LambdaClientContext.Header] = context;
                        }
                    }

                    return;
            }
        }
        catch (JsonException exception)
        {
            Diag.InjectionSkipped($"{call.Service.ServiceId}.{operation}", $"the marshalled body is not the JSON expected ({Internal.ExceptionText.Message(exception, diagnostic: true)})");
        }
    }

    private static byte[]? Carrier(Activity? clientSpan) => TraceCarrier.Create(clientSpan ?? Activity.Current);

    private static void Replace(Amazon.Runtime.Internal.IRequest request, byte[]? body)
    {
        if (body is not null)
        {
            MarshalledBody.Replace(request, body);
        }
    }
}

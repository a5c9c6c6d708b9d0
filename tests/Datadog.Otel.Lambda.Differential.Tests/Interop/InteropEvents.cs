// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS.Model;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop;

/// <summary>
/// The Lambda events AWS's event sources would deliver for what the emulators (or the recording server) really received,
/// in the shapes AWS documents: each builder takes the delivered message, record or request as it came back and only adds
/// the event source's own fields (ARNs, event ids, the event time).
/// </summary>
internal static class InteropEvents
{
    public const string AccountId = "000000000000";

    /// <summary>The SQS event of received messages (an SNS→SQS message carries the SNS envelope as its body).</summary>
    public static string Sqs(IEnumerable<Message> messages, string queueName)
    {
        using var stream = SqsLambdaEvent.From(messages, $"arn:aws:sqs:us-east-1:{AccountId}:{queueName}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The SNS event for a notification, from the envelope SNS delivered to an SQS subscription: the same fields (Lambda's
    /// record spells <c>SigningCertUrl</c> and <c>UnsubscribeUrl</c> where the envelope has <c>…URL</c>), message
    /// attributes as <c>{"Type", "Value"}</c> in both.
    /// </summary>
    public static string Sns(string envelopeJson, string subscriptionArn)
    {
        var envelope = JsonNode.Parse(envelopeJson)!.AsObject();
        var sns = new JsonObject();
        foreach (var (name, value) in envelope)
        {
            var key = name switch
            {
                "SigningCertURL" => "SigningCertUrl",
                "UnsubscribeURL" => "UnsubscribeUrl",
                _ => name,
            };
            sns[key] = value?.DeepClone();
        }

        sns["Subject"] ??= null;
        var record = new JsonObject
        {
            ["EventSource"] = "aws:sns",
            ["EventVersion"] = "1.0",
            ["EventSubscriptionArn"] = subscriptionArn,
            ["Sns"] = sns,
        };
        return new JsonObject { ["Records"] = new JsonArray(record) }.ToJsonString();
    }

    /// <summary>
    /// The EventBridge event a rule's target receives for one PutEvents entry as the SDK sent it: the entry's source,
    /// detail type and detail (a JSON object), the id EventBridge answered, the event time (now, to the second).
    /// </summary>
    public static string EventBridge(JsonElement entry, string eventId)
    {
        var detail = entry.TryGetProperty("Detail", out var text) ? JsonNode.Parse(text.GetString()!) : new JsonObject();
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = eventId,
            ["detail-type"] = entry.GetProperty("DetailType").GetString(),
            ["source"] = entry.GetProperty("Source").GetString(),
            ["account"] = AccountId,
            ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["region"] = "us-east-1",
            ["resources"] = new JsonArray(),
            ["detail"] = detail,
        }.ToJsonString();
    }

    /// <summary>The Kinesis event of one record as GetRecords returned it (data base64, arrival time in epoch seconds).</summary>
    public static string Kinesis(JsonElement record, string streamName, string shardId)
    {
        var sequence = record.GetProperty("SequenceNumber").GetString();
        var kinesis = new JsonObject
        {
            ["kinesisSchemaVersion"] = "1.0",
            ["partitionKey"] = record.GetProperty("PartitionKey").GetString(),
            ["sequenceNumber"] = sequence,
            ["data"] = record.GetProperty("Data").GetString(),
            ["approximateArrivalTimestamp"] = record.GetProperty("ApproximateArrivalTimestamp").GetDouble(),
        };
        var eventRecord = new JsonObject
        {
            ["kinesis"] = kinesis,
            ["eventSource"] = "aws:kinesis",
            ["eventVersion"] = "1.0",
            ["eventID"] = $"{shardId}:{sequence}",
            ["eventName"] = "aws:kinesis:record",
            ["invokeIdentityArn"] = $"arn:aws:iam::{AccountId}:role/lambda-kinesis-role",
            ["awsRegion"] = "us-east-1",
            ["eventSourceARN"] = $"arn:aws:kinesis:us-east-1:{AccountId}:stream/{streamName}",
        };
        return new JsonObject { ["Records"] = new JsonArray(eventRecord) }.ToJsonString();
    }

    /// <summary>
    /// The API Gateway REST API event (Lambda proxy integration, payload 1.0) for a request as the server received it:
    /// its method and path, and its headers as they arrived (<c>headers</c> with each header's last value,
    /// <c>multiValueHeaders</c> with all of them, as API Gateway passes them on).
    /// </summary>
    public static string ApiGatewayRest(RecordedRequest request, string resource)
    {
        var headers = new JsonObject();
        var multiValueHeaders = new JsonObject();
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values[^1];
            multiValueHeaders[name] = new JsonArray(values.Select(v => (JsonNode?)v).ToArray());
        }

        const string ApiId = "a1b2c3d4e5";
        var now = DateTimeOffset.UtcNow;
        return new JsonObject
        {
            ["resource"] = resource,
            ["path"] = request.Path,
            ["httpMethod"] = request.Method,
            ["headers"] = headers,
            ["multiValueHeaders"] = multiValueHeaders,
            ["queryStringParameters"] = null,
            ["multiValueQueryStringParameters"] = null,
            ["pathParameters"] = null,
            ["stageVariables"] = null,
            ["requestContext"] = new JsonObject
            {
                ["resourceId"] = "2gxmpl",
                ["resourcePath"] = resource,
                ["httpMethod"] = request.Method,
                ["requestTime"] = now.ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture),
                ["path"] = "/prod" + request.Path,
                ["accountId"] = AccountId,
                ["protocol"] = "HTTP/1.1",
                ["stage"] = "prod",
                ["domainPrefix"] = ApiId,
                ["requestTimeEpoch"] = now.ToUnixTimeMilliseconds(),
                ["requestId"] = Guid.NewGuid().ToString(),
                ["identity"] = new JsonObject { ["sourceIp"] = "127.0.0.1", ["userAgent"] = request.Header("User-Agent") },
                ["domainName"] = $"{ApiId}.execute-api.us-east-1.amazonaws.com",
                ["apiId"] = ApiId,
            },
            ["body"] = null,
            ["isBase64Encoded"] = false,
        }.ToJsonString();
    }
}

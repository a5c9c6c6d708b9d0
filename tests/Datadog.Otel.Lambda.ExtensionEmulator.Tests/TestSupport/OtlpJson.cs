// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

/// <summary>OTLP/JSON bodies written by hand in the shape the OTLP specification gives (proto3 JSON mapping).</summary>
internal static class OtlpJson
{
    public const string TraceId = "0102030405060708a1a2a3a4a5a6a7a8";
    public const string SpanId = "b1b2b3b4b5b6b7b8";
    public const string ParentId = "c1c2c3c4c5c6c7c8";

    /// <summary>One resource (<c>service.name=json-svc</c>), one scope, the given span objects.</summary>
    public static string Request(params string[] spans) => $$"""
        {
          "resourceSpans": [{
            "resource": { "attributes": [{ "key": "service.name", "value": { "stringValue": "json-svc" } }] },
            "scopeSpans": [{
              "scope": { "name": "json.scope", "version": "2.0" },
              "spans": [{{string.Join(",", spans)}}]
            }]
          }]
        }
        """;

    /// <summary>A span using every field, with times given as a string, a number and a {low,high} object.</summary>
    public const string FullSpan = """
        {
          "traceId": "0102030405060708A1A2A3A4A5A6A7A8",
          "spanId": "b1b2b3b4b5b6b7b8",
          "parentSpanId": "c1c2c3c4c5c6c7c8",
          "traceState": "dd=s:2",
          "name": "GET /items",
          "kind": 2,
          "startTimeUnixNano": "1700000000000000000",
          "endTimeUnixNano": 1700000000002500000,
          "attributes": [
            { "key": "http.request.method", "value": { "stringValue": "GET" } },
            { "key": "http.route", "value": { "stringValue": "/items" } },
            { "key": "http.response.status_code", "value": { "intValue": "200" } },
            { "key": "retry", "value": { "intValue": 3 } },
            { "key": "ratio", "value": { "doubleValue": 0.25 } },
            { "key": "cached", "value": { "boolValue": false } },
            { "key": "tags", "value": { "arrayValue": { "values": [{ "stringValue": "a" }, { "intValue": "7" }] } } },
            { "key": "map", "value": { "kvlistValue": { "values": [{ "key": "k", "value": { "stringValue": "v" } }] } } },
            { "key": "raw", "value": { "bytesValue": "yv4=" } },
            { "key": "empty", "value": {} },
            { "key": "sampling.priority", "value": { "intValue": "2" } }
          ],
          "droppedAttributesCount": 1,
          "events": [{
            "timeUnixNano": { "low": 1029784000, "high": 395146000 },
            "name": "exception",
            "attributes": [{ "key": "exception.type", "value": { "stringValue": "System.Exception" } }]
          }],
          "links": [{
            "traceId": "ffffffffffffffff0000000000000001",
            "spanId": "0000000000000002",
            "traceState": "k=v",
            "attributes": [{ "key": "reason", "value": { "stringValue": "terminated_context" } }],
            "flags": 1
          }],
          "status": { "code": 2, "message": "bad" },
          "flags": 257,
          "someFutureField": { "nested": [1, 2, 3] }
        }
        """;
}

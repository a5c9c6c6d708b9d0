// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.IO.Compression;
using System.Net;
using System.Text;
using Datadog.Otel.Lambda.ExtensionEmulator.Otlp;
using Datadog.Otel.Lambda.ExtensionEmulator.Tests.TestSupport;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Server;

/// <summary>The extension's OTLP/HTTP receiver behaviour (spec §1.3).</summary>
public class HttpBehaviourTests
{
    private static readonly byte[] ValidBody = OtlpProto.Request("svc", "scope", padLengths: true,
        OtlpProto.Span("op", OtlpModel.TraceId(1, 2), OtlpModel.SpanId(3)));

    [Fact]
    public async Task ListensOnLoopbackOnlyAtTheTracesPath()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();

        Assert.True(emulator.Port > 0);
        Assert.Equal(new Uri($"http://127.0.0.1:{emulator.Port}/v1/traces"), emulator.TracesEndpoint);
    }

    [Theory]
    [InlineData("/v1/metrics")]
    [InlineData("/v1/logs")]
    [InlineData("/v1/traces/")]
    [InlineData("/")]
    public async Task OtherPaths_Get404(string path)
    {
        await using var emulator = await ExtensionEmulator.StartAsync();

        using var response = await EmulatorClient.PostAsync(new Uri(emulator.TracesEndpoint, path), ValidBody, "application/x-protobuf");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Not Found", await response.Content.ReadAsStringAsync());
        Assert.Equal(404, Assert.Single(emulator.Requests).StatusCode);
    }

    [Fact]
    public async Task OtherMethodsOnTheTracesPath_Get405()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();

        using var response = await EmulatorClient.SendAsync(HttpMethod.Get, emulator.TracesEndpoint);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
    }

    [Fact]
    public async Task Protobuf_Success_IsAnEmptyProtobufResponse()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();

        using var response = await EmulatorClient.PostAsync(emulator.TracesEndpoint, ValidBody, "application/x-protobuf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType!.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());

        // Stored before the response was sent: no wait needed.
        Assert.Equal("op", Assert.Single(emulator.Spans).OtelName);
        var request = Assert.Single(emulator.Requests);
        Assert.Equal((200, OtlpEncoding.Protobuf, ValidBody.Length, 1, 1), (request.StatusCode, request.Encoding, (int)request.BodyLength, request.OtlpSpanCount, request.DatadogSpanCount));
        Assert.Null(request.Error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/protobuf")]
    public async Task AnyContentTypeButJson_IsDecodedAsProtobuf(string? contentType)
    {
        await using var emulator = await ExtensionEmulator.StartAsync();

        using var response = await EmulatorClient.PostAsync(emulator.TracesEndpoint, ValidBody, contentType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, Assert.Single(emulator.Requests).ContentType);
    }

    [Fact]
    public async Task Json_Success_IsAnEmptyJsonObject()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();

        using var response = await EmulatorClient.PostAsync(emulator.TracesEndpoint, Encoding.UTF8.GetBytes(OtlpJson.Request(OtlpJson.FullSpan)), "application/json; charset=utf-8");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        Assert.Equal(OtlpEncoding.Json, Assert.Single(emulator.Requests).Encoding);
    }

    [Fact]
    public async Task Gzip_IsNotDecompressedAndFailsWith500()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(ValidBody);
        }

        using var response = await EmulatorClient.PostAsync(emulator.TracesEndpoint, compressed.ToArray(), "application/x-protobuf", "gzip");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var status = RpcStatus.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(500, status.Code);
        Assert.StartsWith("Failed to process request:", status.Message, StringComparison.Ordinal);
        var request = Assert.Single(emulator.Requests);
        Assert.Equal(("gzip", 500), (request.ContentEncoding, request.StatusCode));
        Assert.Empty(emulator.Spans);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0x0A, 0x05, 0x01 })]
    [InlineData(new byte[] { 0x0A, 0x02, 0x0A, 0x7F })]
    public async Task Garbage_FailsWith500AndTheEmulatorKeepsWorking(byte[] garbage)
    {
        await using var emulator = await ExtensionEmulator.StartAsync();

        using var bad = await EmulatorClient.PostAsync(emulator.TracesEndpoint, garbage, "application/x-protobuf");
        using var good = await EmulatorClient.PostAsync(emulator.TracesEndpoint, ValidBody, "application/x-protobuf");

        Assert.Equal(HttpStatusCode.InternalServerError, bad.StatusCode);
        Assert.Equal("application/x-protobuf", bad.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Single(emulator.Spans);
    }

    [Fact]
    public async Task Garbage_JsonErrorIsAJsonStatus()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();

        using var response = await EmulatorClient.PostAsync(emulator.TracesEndpoint, "{ not json"u8.ToArray(), "application/json");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(500, json.RootElement.GetProperty("code").GetInt32());
        Assert.StartsWith("Failed to process request:", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSpansAfterConversion_Is500()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();

        using var empty = await EmulatorClient.PostAsync(emulator.TracesEndpoint, [], "application/x-protobuf");
        using var noScope = await EmulatorClient.PostAsync(emulator.TracesEndpoint, "{\"resourceSpans\":[{\"resource\":{},\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0102030405060708a1a2a3a4a5a6a7a8\",\"spanId\":\"0102030405060708\"}]}]}]}"u8.ToArray(), "application/json");

        Assert.Equal(HttpStatusCode.InternalServerError, empty.StatusCode);
        Assert.Equal("Not sending traces, processor returned empty data", RpcStatus.Decode(await empty.Content.ReadAsByteArrayAsync()).Message);
        Assert.Equal(HttpStatusCode.InternalServerError, noScope.StatusCode);
    }

    [Fact]
    public async Task OnlyFilteredSpans_StillGet200()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();
        var body = OtlpProto.Request("svc", "scope", padLengths: false, OtlpProto.Span("dns", OtlpModel.TraceId(1, 2), OtlpModel.SpanId(3), more: s => s
            .Message(9, OtlpProto.StringAttribute("operation.name", "dns.lookup"))));

        using var response = await EmulatorClient.PostAsync(emulator.TracesEndpoint, body, "application/x-protobuf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(emulator.Spans);
        Assert.Equal((1, 0), (emulator.Requests[0].OtlpSpanCount, emulator.Requests[0].DatadogSpanCount));
    }

    [Fact]
    public async Task AShortTraceId_Is500InsteadOfTheExtensionsCrash()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();
        var body = OtlpProto.Request("svc", "scope", padLengths: false, OtlpProto.Span("op", [1, 2, 3], OtlpModel.SpanId(3)));

        using var response = await EmulatorClient.PostAsync(emulator.TracesEndpoint, body, "application/x-protobuf");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("3-byte trace_id", Assert.Single(emulator.Requests).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversize_Is400_AtTheConfiguredLimit()
    {
        await using var emulator = await ExtensionEmulator.StartAsync(new ExtensionEmulatorOptions { MaxRequestBodyBytes = ValidBody.Length });

        using var exact = await EmulatorClient.PostAsync(emulator.TracesEndpoint, ValidBody, "application/x-protobuf");
        using var over = await EmulatorClient.PostAsync(emulator.TracesEndpoint, [.. ValidBody, 0], "application/x-protobuf");

        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        var status = RpcStatus.Decode(await over.Content.ReadAsByteArrayAsync());
        Assert.Equal(400, status.Code);
        Assert.StartsWith("Failed to extract request body", status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversize_Is400_AboveTheDefaultTwoMebibytes()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();
        var body = new byte[ExtensionEmulatorOptions.DefaultMaxRequestBodyBytes + 1];

        using var response = await EmulatorClient.PostAsync(emulator.TracesEndpoint, body, "application/x-protobuf");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, Assert.Single(emulator.Requests).StatusCode);
    }

    [Fact]
    public async Task Clear_ForgetsSpansAndRequests()
    {
        await using var emulator = await ExtensionEmulator.StartAsync();
        using var response = await EmulatorClient.PostAsync(emulator.TracesEndpoint, ValidBody, "application/x-protobuf");

        emulator.Clear();

        Assert.Empty(emulator.Spans);
        Assert.Empty(emulator.Traces);
        Assert.Empty(emulator.Requests);
    }

    /// <summary>Reads the <c>google.rpc.Status</c> body with the emulator's own protobuf reader.</summary>
    private sealed record RpcStatus(int Code, string Message)
    {
        public static RpcStatus Decode(byte[] body)
        {
            var reader = new ProtobufReader(body);
            var code = 0;
            var message = string.Empty;
            while (reader.TryReadTag(out var field, out var type))
            {
                switch (field)
                {
                    case 1:
                        code = (int)reader.ReadVarint();
                        break;
                    case 2:
                        message = reader.ReadString();
                        break;
                    default:
                        reader.SkipField(field, type, 0);
                        break;
                }
            }

            return new RpcStatus(code, message);
        }
    }
}

// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Datadog.Otel.Lambda.Payload;

namespace Datadog.Otel.Lambda.Benchmarks;

/// <summary>Payload capture (DD_CAPTURE_LAMBDA_PAYLOAD) of a 1 KB and a 100 KB event into tags.</summary>
[MemoryDiagnoser]
public class PayloadBenchmarks
{
    private readonly LambdaPayloadCaptureSettings settings = new() { Enabled = true };
    private JsonDocument document = null!;

    [Params(1, 100)]
    public int Kilobytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var builder = new StringBuilder("{");
        var i = 0;
        while (builder.Length < this.Kilobytes * 1024)
        {
            builder.Append(i == 0 ? string.Empty : ",").Append("\"field").Append(i).Append("\":{\"name\":\"value ").Append(i).Append("\",\"count\":").Append(i).Append(",\"token\":\"secret\"}");
            i++;
        }

        builder.Append('}');
        this.document = JsonDocument.Parse(builder.ToString());
    }

    [GlobalCleanup]
    public void Cleanup() => this.document.Dispose();

    [Benchmark]
    public int Capture() => LambdaPayloadTagger.Tag(LambdaPayloadTagger.RequestPrefix, this.document.RootElement, this.settings, default(NullSink), maxTags: int.MaxValue);

    private readonly struct NullSink : IPayloadTagSink
    {
        public void SetTag(string key, string value)
        {
        }
    }
}

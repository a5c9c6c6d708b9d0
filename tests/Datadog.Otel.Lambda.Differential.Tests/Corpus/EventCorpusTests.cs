// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Datadog.Otel.Lambda.Differential.Tests.Corpus;

/// <summary>The corpus's placeholders, and the corpus itself.</summary>
public sealed class EventCorpusTests
{
    private static readonly DateTimeOffset Present = new(2026, 11, 25, 10, 0, 0, 500, TimeSpan.Zero);

    [Fact]
    public void TimesAreRelativeToThePresentInEveryForm()
    {
        var resolved = EventCorpus.Substitute(
            JsonNode.Parse("""{"ms":"{{epochMs:-1500}}","text":"{{epochMsText:-1500}}","s":"{{epochSeconds:-1500}}","ns":"{{epochNs:-1}}","iso":"{{iso:-1500}}","isoS":"{{isoSeconds:-1500}}","clf":"{{clf:-1500}}","root":"Root=1-{{hexSeconds:-1500}}-abc"}"""),
            Present)!;
        var ms = Present.AddMilliseconds(-1500).ToUnixTimeMilliseconds();
        Assert.Equal(ms, resolved["ms"]!.GetValue<long>());
        Assert.Equal(ms.ToString(System.Globalization.CultureInfo.InvariantCulture), resolved["text"]!.GetValue<string>());
        Assert.Equal(ms / 1000m, resolved["s"]!.GetValue<decimal>());
        Assert.Equal((ms + 1499) * 1_000_000, resolved["ns"]!.GetValue<long>());
        Assert.Equal("2026-11-25T09:59:59.000Z", resolved["iso"]!.GetValue<string>());
        Assert.Equal("2026-11-25T09:59:59Z", resolved["isoS"]!.GetValue<string>());
        Assert.Equal("25/Nov/2026:09:59:59 +0000", resolved["clf"]!.GetValue<string>());
        Assert.Equal("Root=1-" + Present.AddMilliseconds(-1500).ToUnixTimeSeconds().ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + "-abc", resolved["root"]!.GetValue<string>());
    }

    [Fact]
    public void HalfSecondsAreTheWholeSecondBeforeThePlaceholdersTimePlusHalfASecond()
    {
        // Present is 10:00:00.500: -1700 ms is 09:59:58.800, whose whole second is 09:59:58; plus half a second.
        var resolved = EventCorpus.Substitute(JsonNode.Parse("""{"s":"{{epochSecondsHalf:-1700}}"}"""), Present)!;
        Assert.Equal(Present.AddMilliseconds(-2000).ToUnixTimeMilliseconds() / 1000m, resolved["s"]!.GetValue<decimal>());
    }

    [Fact]
    public void EmbeddedDocumentsAreWrittenAsTextBase64AndGzip()
    {
        var resolved = EventCorpus.Substitute(
            JsonNode.Parse("""{"a":{"$json":{"t":"{{epochMs:-1}}"}},"b":{"$base64json":{"x":1}},"c":{"$gzipBase64json":{"y":2}}}"""),
            Present)!;
        Assert.Equal("{\"t\":" + Present.AddMilliseconds(-1).ToUnixTimeMilliseconds() + "}", resolved["a"]!.GetValue<string>());
        Assert.Equal("{\"x\":1}", Encoding.UTF8.GetString(Convert.FromBase64String(resolved["b"]!.GetValue<string>())));
        using var gzip = new GZipStream(new MemoryStream(Convert.FromBase64String(resolved["c"]!.GetValue<string>())), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        Assert.Equal("{\"y\":2}", reader.ReadToEnd());
    }

    [Fact]
    public void EventTimesMustLieBeforeThePresent()
    {
        var raw = JsonNode.Parse("""{"description":"d","trigger":"t","carrier":"c","result":{"return":1},"event":{"time":"{{iso:0}}"}}""")!.AsObject();
        Assert.Throws<FormatException>(() => EventCorpus.Resolve("late", raw, Present));
    }

    [Fact]
    public void EveryCaseResolvesWithUniqueRequestIds()
    {
        var cases = EventCorpus.Load(DateTimeOffset.UtcNow);
        Assert.True(cases.Count >= 50, cases.Count + " cases");
        Assert.Equal(cases.Count, cases.Select(c => c.RequestId).Distinct().Count());
        Assert.All(cases, c => Assert.DoesNotContain("{{", c.EventJson, StringComparison.Ordinal));
    }
}

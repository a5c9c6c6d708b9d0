// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json.Nodes;
using Datadog.Otel.Lambda.Differential.Tests.Corpus;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop;

/// <summary>
/// The interop tests' invocations, as cases both sides run the way they run the corpus (<see cref="CorpusCase"/>): the
/// same function, context and environment on either side.
/// </summary>
internal static class InteropCases
{
    private static readonly IReadOnlyDictionary<string, string> NoSettings = new Dictionary<string, string>();

    /// <summary>
    /// The producing function on this library's side: invoked directly with no context anywhere (a new trace), with its
    /// sampler set by <c>DD_TRACE_SAMPLE_RATE</c> so that the priority it sends is its own decision.
    /// </summary>
    public static CorpusCase Producer(string id, string sampleRate) => new()
    {
        Id = id,
        Description = "the producing function of an interop test",
        Trigger = "direct",
        Carrier = "none",
        EventJson = "{}",
        Result = new JsonObject { ["return"] = new JsonObject { ["ok"] = true } },
        Environment = new Dictionary<string, string> { ["DD_TRACE_SAMPLE_RATE"] = sampleRate },
        NewTrace = true,
    };

    /// <summary>The consuming function, invoked with the event built from what the producer really sent; no sampling settings.</summary>
    public static CorpusCase Consumer(string id, string trigger, string eventJson) => new()
    {
        Id = id,
        Description = "the consuming function of an interop test",
        Trigger = trigger,
        Carrier = "interop",
        EventJson = eventJson,
        Result = new JsonObject
        {
            ["return"] = trigger == "api-gateway-rest"
                ? new JsonObject { ["statusCode"] = 200, ["body"] = "{\"ok\":true}" }
                : new JsonObject { ["ok"] = true },
        },
        Environment = NoSettings,
    };

    /// <summary>dd-trace's settings for the Node.js producer: its service name and its sampler (<c>DD_TRACE_SAMPLE_RATE</c>).</summary>
    public static IReadOnlyDictionary<string, string> NodeProducer(string sampleRate) => new Dictionary<string, string>
    {
        ["DD_SERVICE"] = "interop-producer",
        ["DD_TRACE_SAMPLE_RATE"] = sampleRate,
    };

    /// <summary>A run-unique id: every case's request id, queue, topic or stream is its own.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}

// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Text;
using System.Text.Json;
using Datadog.Otel.Lambda.Events;
using Datadog.Otel.Lambda.Extraction;
using Datadog.Otel.Lambda.Internal;
using Datadog.Otel.Lambda.Invocation;
using Datadog.Otel.Lambda.Payload;
using Datadog.Otel.Lambda.Planning;
using Datadog.Otel.Lambda.Propagation;
using Datadog.Otel.Lambda.Triggers;

namespace Datadog.Otel.Lambda.Fuzzing;

/// <summary>
/// Fuzz entry points: arbitrary bytes in, the real parsing code of the distribution run with every feature on (payload
/// capture, authorizer decoding, span pointers, X-Ray merging, every propagation style). The code under test swallows
/// its own failures to protect the function, so a failure is made visible here: an exception thrown straight out of a
/// parser, a "tracing failed" diagnostic written on this thread, or a result outside its documented bounds all throw
/// <see cref="FuzzFindingException"/>, which the fuzzer reports as a crash. The same entry points run over the corpus in
/// the integration tests (FuzzTargetCorpusTests), so they cannot rot.
/// </summary>
public static class FuzzTargets
{
    /// <summary>Tags the trigger puts on <c>aws.lambda</c>, at most.</summary>
    public const int MaxTriggerTags = 32;

    /// <summary>Inferred spans of one invocation, at most (SNS → SQS, or authorizer → API Gateway).</summary>
    public const int MaxInferredSpans = 3;

    /// <summary>Tags of one inferred span, at most (the span's own tags are added on top of these when it starts).</summary>
    public const int MaxInferredSpanTags = 40;

    /// <summary>Longest tag value, in characters, beyond the size of the input it was read from.</summary>
    public const int TagValueSlack = 256;

    private static readonly FuzzSetup Setup = new();

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 256, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Parses <paramref name="data"/> as a Lambda event and runs everything the wrapper reads from an event.</summary>
    /// <param name="data">Any bytes (normally JSON).</param>
    /// <param name="exported">When given, receives every text the event produced as a tag (keys and values).</param>
    /// <returns>What the event produced, for the tests' own checks.</returns>
    /// <remarks>
    /// Besides the bounds, a redaction oracle: a string of at least <see cref="MinSecretLength"/> characters that is the
    /// value of a sensitive member (<see cref="RedactionRules"/>), at most <see cref="MaxSecretLength"/>, and occurs nowhere else in the input must not occur in
    /// any tag the event produced (trigger tags, inferred spans, payload tags).
    /// </remarks>
    public static FuzzOutcome Event(ReadOnlySpan<byte> data, ICollection<string>? exported = null)
    {
        using var failures = FailureWatch.Start();
        var bytes = data.ToArray();
        var json = Utf8Bom.Skip((ReadOnlyMemory<byte>)bytes);
        JsonDocument? document;
        try
        {
            // The document is the oracle's view of the event (secrets, payload tags); the plan reads the bytes itself.
            document = SafeJson.ParseOrDigest(json, DocumentOptions, "event");
        }
        catch (JsonException)
        {
            document = null;
        }

        if (document is null)
        {
            return default;
        }

        using var owned = document;
        var root = document.RootElement;
        var secrets = Secrets(root, data);
        var plan = Setup.Planner.Plan(json, Setup.Context, ColdStartState.Warm, default, DateTimeOffset.UtcNow);
        CheckTrigger(plan, data.Length);
        var triggerTexts = plan.TriggerTags.Select(t => t.Value as string)
            .Concat(plan.InferredSpans.SelectMany(span => span.Tags.Select(t => t.Value as string).Append(span.Resource).Append(span.Service)))
            .ToList();
        CheckNoSecret(secrets, triggerTexts);
        foreach (var text in triggerTexts)
        {
            if (text is not null)
            {
                exported?.Add(text);
            }
        }

        CheckLinks(plan.Upstream.Links, Setup.Settings.MaxBatchLinks + 8);
        var trigger = plan.Trigger.Kind.ToString();
        var hasParent = plan.Upstream.Source == UpstreamSource.Event;

        var sink = new BoundedSink(Setup.Settings.PayloadCapture.MaxTags, secrets, exported);
        var tags = LambdaPayloadTagger.Tag(LambdaPayloadTagger.RequestPrefix, root, Setup.Settings.PayloadCapture, sink);
        failures.ThrowIfAny();
        return new FuzzOutcome(true, trigger, hasParent, tags, sink.Characters);
    }

    /// <summary>
    /// Treats <paramref name="data"/> as a handler's result: the authorizer-result rewriting for both kinds of
    /// authorizer (the result comes back unchanged, or with exactly the <c>_datadog</c> member spliced in and still JSON),
    /// and the response reading of every raw result form (text, bytes, stream): status code and payload capture.
    /// </summary>
    /// <param name="data">Any bytes (normally a JSON response).</param>
    /// <returns>Whether an authorizer result was rewritten.</returns>
    public static bool Response(ReadOnlySpan<byte> data)
    {
        using var failures = FailureWatch.Start();
        var text = Encoding.UTF8.GetString(data);
        var rewritten = false;
        foreach (var kind in (ReadOnlySpan<AuthorizerEventKind>)[AuthorizerEventKind.MethodArn, AuthorizerEventKind.RouteArn])
        {
            var result = AuthorizerResponse.Inject(text, "ZW5jb2RlZA==", kind, null);
            if (ReferenceEquals(result, text) || result == text)
            {
                continue;
            }

            rewritten = true;
            CheckSplice(text, result);
        }

        var bytes = data.ToArray();
        using var span = new Activity("fuzz");
        foreach (var result in new object[] { text, bytes, new MemoryStream(bytes) })
        {
            var status = result switch
            {
                string s => ResponseInspector.Inspect(s, true, true, Setup.Settings.PayloadCapture, span, null),
                byte[] b => ResponseInspector.Inspect(b, true, true, Setup.Settings.PayloadCapture, span, null),
                _ => ResponseInspector.Inspect((Stream)result, true, true, Setup.Settings.PayloadCapture, span, null),
            };
            if (status is null || status.Length > data.Length + TagValueSlack)
            {
                throw new FuzzFindingException($"status code '{status}' for a response of {data.Length} bytes");
            }
        }

        if (span.TagObjects.Count() > (3 * (Setup.Settings.PayloadCapture.MaxTags + 1)))
        {
            throw new FuzzFindingException($"{span.TagObjects.Count()} response tags");
        }

        failures.ThrowIfAny();
        return rewritten;
    }

    /// <summary>
    /// Builds an exception graph from <paramref name="data"/> (each byte an operation: a new exception, a wrap in an
    /// outer one, an aggregate of the last ones, a hostile one, a huge message; every byte applied 64 times, so 1 KB of
    /// input is a chain 65,000 deep) and describes it for the error tags: bounded texts, no call to ToString.
    /// </summary>
    /// <param name="data">Any bytes.</param>
    /// <returns>The length of the stack text.</returns>
    public static int Exception(ReadOnlySpan<byte> data)
    {
        using var failures = FailureWatch.Start();
        var exceptions = new List<Exception> { new InvalidOperationException("root") };
        foreach (var op in data)
        {
            for (var repeat = 0; repeat < 64; repeat++)
            {
                var last = exceptions[^1];
                Exception next = (op % 8) switch
                {
                    0 => new InvalidOperationException("new " + op),
                    1 or 2 => new InvalidOperationException("wrap " + op, last),
                    3 => new AggregateException("aggregate " + op, exceptions.Skip(Math.Max(0, exceptions.Count - 1 - (op % 5))).ToArray()),
                    4 => new AggregateException(last),
                    5 => new HostileException(op, last),
                    6 => new InvalidOperationException(HugeMessage, last),
                    _ => new FormatException(string.Empty, last),
                };
                exceptions.Add(next);
            }

            // Keep the graph reachable from the last exception only (memory stays linear in the input).
            if (exceptions.Count > 4096)
            {
                exceptions.RemoveRange(0, exceptions.Count - 64);
            }
        }

        HostileException.ToStringCalls = 0;
        var description = ExceptionText.Describe(exceptions[^1]);
        if (description.Stack.Length > ExceptionText.MaxStackLength || description.Message.Length > ExceptionText.MaxMessageLength)
        {
            throw new FuzzFindingException($"exception texts of {description.Message.Length} and {description.Stack.Length} characters");
        }

        if (HostileException.ToStringCalls > 0)
        {
            throw new FuzzFindingException("Exception.ToString was called");
        }

        failures.ThrowIfAny();
        return description.Stack.Length;
    }

    /// <summary>
    /// Reads <paramref name="data"/> as trace headers (UTF-8 text, one <c>name: value</c> per line; a line without a colon
    /// is offered under every trace header name in turn) and extracts them every way the distribution does: the
    /// composite propagator over a map and over a JSON object, the client context, the X-Ray header, and the Datadog
    /// tracestate and <c>x-datadog-tags</c> parsers. An extracted context must survive an inject/extract round trip.
    /// </summary>
    /// <param name="data">Any bytes (normally header text).</param>
    public static void Propagation(ReadOnlySpan<byte> data)
    {
        using var failures = FailureWatch.Start();
        var headers = ParseHeaderLines(Encoding.UTF8.GetString(data));
        var extracted = Setup.Propagator.ExtractDetailed(headers);
        CheckLinks(extracted.Links, 8);
        if (extracted.HasContext && extracted.Parent.SpanId != default)
        {
            // A context with a parent span survives injection (one with only a trace id, an X-Ray Root alone, cannot).
            RoundTrip(extracted.Parent);
        }

        foreach (var value in headers.Values)
        {
            _ = XRayTraceHeader.TryParse(value, out _);
            _ = XRayContext.TryReadDatadogContext(value, out _);
            _ = DatadogTraceState.TryGetPriority(value, out _);
            _ = DatadogTraceState.GetOrigin(value);
            _ = DatadogTraceState.GetPropagatedTags(value);
            _ = PropagatedTags.IsValidHeader(value);
        }

        using (var map = HeaderMap.Create(JsonSerializerFree.ToJsonObject(headers), EventReader.EventOptions))
        {
            if (map is not null)
            {
                _ = Setup.Planner.Extractor.FromHeaderMap(map, "fuzz");
            }
        }

        var context = new DatadogLambdaContext
        {
            AwsRequestId = "fuzz",
            ClientContextCustom = headers,
            XRayTraceHeader = headers.TryGetValue("x-amzn-trace-id", out var xray) ? xray : null,
        };
        var upstream = Setup.Planner.Plan(ReadOnlyMemory<byte>.Empty, context, ColdStartState.Warm, default, DateTimeOffset.UtcNow).Upstream;
        CheckLinks(upstream.Links, 8);
        failures.ThrowIfAny();
    }

    /// <summary>One megabyte of message, shared by the exceptions that carry it.</summary>
    private static readonly string HugeMessage = new('m', 1_000_000);

    /// <summary>Shortest member value the redaction oracle follows: short ones occur by chance in other tags.</summary>
    public const int MinSecretLength = 8;

    /// <summary>Longest member value the oracle follows (searching a megabyte value in the input would cost more than the target).</summary>
    public const int MaxSecretLength = 256;

    /// <summary>String values of sensitive members that occur exactly once in the input: none may be exported.</summary>
    private static List<string> Secrets(JsonElement root, ReadOnlySpan<byte> data)
    {
        var secrets = new List<string>();
        var stack = new Stack<JsonElement>();
        stack.Push(root);
        while (stack.Count > 0 && secrets.Count < 256)
        {
            var element = stack.Pop();
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    stack.Push(item);
                }
            }
            else if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in element.EnumerateObject())
                {
                    if (member.Value.ValueKind == JsonValueKind.String && RedactionRules.Default.IsSensitiveLastSegment(member.Name)
                        && member.Value.GetString() is { Length: >= MinSecretLength and <= MaxSecretLength } value && Occurrences(data, Encoding.UTF8.GetBytes(value)) == 1)
                    {
                        secrets.Add(value);
                    }
                    else
                    {
                        stack.Push(member.Value);
                    }
                }
            }
        }

        return secrets;
    }

    private static int Occurrences(ReadOnlySpan<byte> data, ReadOnlySpan<byte> value)
    {
        var count = 0;
        for (var at = data.IndexOf(value); at >= 0 && count < 2; at = data[(at + 1)..].IndexOf(value) is var next and >= 0 ? at + 1 + next : -1)
        {
            count++;
        }

        return count;
    }

    private static void CheckNoSecret(List<string> secrets, IEnumerable<string?> values)
    {
        if (secrets.Count == 0)
        {
            return;
        }

        foreach (var value in values)
        {
            if (value is not null && secrets.Find(s => value.Contains(s, StringComparison.Ordinal)) is { } secret)
            {
                throw new FuzzFindingException($"the value of a sensitive member was exported: '{secret}' in '{value[..Math.Min(value.Length, 300)]}'");
            }
        }
    }

    /// <summary>A rewritten authorizer result is the original with exactly one member spliced in, and still JSON.</summary>
    private static void CheckSplice(string original, string result)
    {
        foreach (var inserted in (ReadOnlySpan<string>)[",\"_datadog\":\"ZW5jb2RlZA==\"", "\"_datadog\":\"ZW5jb2RlZA==\"", ",\"context\":{\"_datadog\":\"ZW5jb2RlZA==\"}"])
        {
            var at = result.IndexOf(inserted, StringComparison.Ordinal);
            if (at >= 0 && result.Length == original.Length + inserted.Length && string.Concat(result.AsSpan(0, at), result.AsSpan(at + inserted.Length)) == original)
            {
                using var document = JsonDocument.Parse(result);
                if (document.RootElement.GetProperty("context").GetProperty("_datadog").GetString() == "ZW5jb2RlZA==")
                {
                    return;
                }
            }
        }

        throw new FuzzFindingException($"the authorizer result was changed beyond _datadog: '{original[..Math.Min(original.Length, 300)]}' became '{result[..Math.Min(result.Length, 300)]}'");
    }

    private static void RoundTrip(ActivityContext parent)
    {
        var injected = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Setup.Propagator.Inject(new OpenTelemetry.Context.Propagation.PropagationContext(parent, default), injected, static (carrier, name, value) => carrier[name] = value);
        if (injected.TryGetValue("x-datadog-tags", out var tags) && tags.Length > Setup.Propagation.XDatadogTagsMaxLength)
        {
            throw new FuzzFindingException($"x-datadog-tags of {tags.Length} characters exceeds its limit");
        }

        var again = Setup.Propagator.ExtractDetailed(injected);
        if (again.Parent.TraceId != parent.TraceId || again.Parent.SpanId != parent.SpanId)
        {
            throw new FuzzFindingException($"round trip changed the context: {parent.TraceId}-{parent.SpanId} became {again.Parent.TraceId}-{again.Parent.SpanId}");
        }
    }

    private static Dictionary<string, string> ParseHeaderLines(string text)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var unnamed = 0;
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
            else if (line.Length > 0)
            {
                headers[HeaderNames[unnamed++ % HeaderNames.Length]] = line;
            }
        }

        return headers;
    }

    private static readonly string[] HeaderNames =
    [
        "x-datadog-trace-id", "x-datadog-parent-id", "x-datadog-sampling-priority", "x-datadog-origin", "x-datadog-tags",
        "traceparent", "tracestate", "b3", "x-b3-traceid", "x-b3-spanid", "x-b3-sampled", "x-b3-flags", "x-amzn-trace-id", "baggage",
    ];

    private static void CheckTrigger(InvocationPlan trigger, int inputLength)
    {
        var maxValue = inputLength + TagValueSlack;
        if (trigger.TriggerTags.Length > MaxTriggerTags)
        {
            throw new FuzzFindingException($"{trigger.TriggerTags.Length} trigger tags");
        }

        CheckValues(trigger.TriggerTags, maxValue);
        if (trigger.InferredSpans.Length > MaxInferredSpans)
        {
            throw new FuzzFindingException($"{trigger.InferredSpans.Length} inferred spans");
        }

        foreach (var span in trigger.InferredSpans)
        {
            if (span.Tags.Length > MaxInferredSpanTags)
            {
                throw new FuzzFindingException($"{span.Tags.Length} tags on {span.OperationName}");
            }

            CheckValues(span.Tags, maxValue);
            if (span.Resource?.Length > maxValue || span.Service?.Length > maxValue)
            {
                throw new FuzzFindingException($"resource or service of {span.OperationName} longer than the event");
            }
        }

        if (trigger.EventSourceArn?.Length > maxValue)
        {
            throw new FuzzFindingException("event source ARN longer than the event");
        }

        // The root-most span's links are the upstream's (batch records, conflicts) followed by the span pointers.
        var pointers = (trigger.Links?.Count ?? 0) - (trigger.Upstream.Links?.Count ?? 0);
        if (pointers > Setup.Settings.MaxBatchLinks)
        {
            throw new FuzzFindingException($"{pointers} span pointers, more than {Setup.Settings.MaxBatchLinks}");
        }
    }

    private static void CheckValues(KeyValuePair<string, object?>[] tags, int maxValue)
    {
        foreach (var tag in tags)
        {
            if (tag.Value is string text && text.Length > maxValue)
            {
                throw new FuzzFindingException($"tag {tag.Key} has {text.Length} characters, more than the event could hold");
            }
        }
    }

    private static void CheckLinks<T>(IReadOnlyCollection<T>? links, int max)
    {
        if (links?.Count > max)
        {
            throw new FuzzFindingException($"{links.Count} links, more than {max}");
        }
    }

    /// <summary>Builds JSON text from a map without reflection (AOT-clean, like the code under test).</summary>
    private static class JsonSerializerFree
    {
        public static byte[] ToJsonObject(Dictionary<string, string> headers)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var header in headers)
                {
                    writer.WriteString(header.Key, header.Value);
                }

                writer.WriteEndObject();
            }

            return buffer.ToArray();
        }
    }

    /// <summary>Every setting that makes the parsers do more, on.</summary>
    private sealed class FuzzSetup
    {
        public FuzzSetup()
        {
            var variables = new Dictionary<string, string?>
            {
                ["AWS_LAMBDA_FUNCTION_NAME"] = "fuzz-fn",
                ["AWS_REGION"] = "us-east-1",
                ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true",
                ["DD_MERGE_XRAY_TRACES"] = "true",
                ["DD_TRACE_PROPAGATION_STYLE"] = "datadog,tracecontext,b3multi,b3,xray,baggage",
            };
            var environment = EnvironmentSource.FromDictionary(variables);
            this.Settings = LambdaSettings.Resolve(environment, new DatadogLambdaOptions());
            this.Propagation = PropagationSettings.FromEnvironment(environment);
            this.Propagator = this.Propagation.CreatePropagator();

            // The plan without payload capture: the target captures the payload itself, through a sink that checks each
            // tag as it is written (the planner would parse and tag the same event a second time).
            var planning = EnvironmentSource.FromDictionary(new Dictionary<string, string?>(variables) { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "false" });
            this.Planner = new InvocationPlanner(LambdaSettings.Resolve(planning, new DatadogLambdaOptions()), this.Propagator, null, static () => null, sendsXRayMetadata: false);
            this.Context = new DatadogLambdaContext
            {
                AwsRequestId = "fuzz",
                InvokedFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:fuzz-fn:live",
                XRayTraceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
            };
        }

        public LambdaSettings Settings { get; }

        public PropagationSettings Propagation { get; }

        public DatadogCompositePropagator Propagator { get; }

        public InvocationPlanner Planner { get; }

        public DatadogLambdaContext Context { get; }
    }

    /// <summary>Checks each payload tag against the capture's bounds and the redaction oracle as it is written.</summary>
    private readonly struct BoundedSink(int maxTags, List<string> secrets, ICollection<string>? exported) : IPayloadTagSink
    {
        private readonly long[] count = new long[2];

        public long Characters => this.count[1];

        public void SetTag(string key, string value)
        {
            this.count[1] += key.Length + value.Length;
            if (++this.count[0] > maxTags + 1)
            {
                throw new FuzzFindingException($"more than {maxTags} payload tags");
            }

            if (key.Length > PayloadTagValues.MaxKeyLength || value.Length > PayloadTagValues.MaxValueLength)
            {
                throw new FuzzFindingException($"payload tag of {key.Length} + {value.Length} characters");
            }

            CheckNoSecret(secrets, [key, value]);
            exported?.Add(key);
            exported?.Add(value);
        }
    }

    /// <summary>An exception whose Message throws and whose ToString is watched (it must never be called).</summary>
    private sealed class HostileException(byte op, Exception inner) : System.Exception("hostile", inner)
    {
        public static int ToStringCalls;

        public override string Message => op % 3 == 0 ? throw new InvalidOperationException("Message") : base.Message;

        public override string ToString()
        {
            ToStringCalls++;
            return base.ToString();
        }
    }

    /// <summary>
    /// Sees the "tracing failed" diagnostics (event 9) that this thread writes while a target runs: the parsers catch
    /// their own exceptions, and this is where those exceptions surface. Listeners are called on the writing thread.
    /// </summary>
    private sealed class FailureWatch : IDisposable
    {
        private static readonly FailureListener Listener = new();

        [ThreadStatic]
        private static string? failure;

        public static FailureWatch Start()
        {
            _ = Listener;
            failure = null;
            return new FailureWatch();
        }

        public void ThrowIfAny()
        {
            if (failure is { } message)
            {
                failure = null;
                throw new FuzzFindingException("tracing failed: " + message);
            }
        }

        public void Dispose() => failure = null;

        private sealed class FailureListener : EventListener
        {
            protected override void OnEventSourceCreated(EventSource eventSource)
            {
                if (eventSource.Name == "Datadog-Otel-Lambda")
                {
                    this.EnableEvents(eventSource, EventLevel.Error);
                }
            }

            protected override void OnEventWritten(EventWrittenEventArgs eventData)
            {
                if (eventData.EventId == 9 && eventData.Payload is { Count: 2 } payload)
                {
                    failure ??= payload[0] + ": " + payload[1];
                }
            }
        }
    }
}

/// <summary>What one event produced.</summary>
/// <param name="Parsed">Whether the bytes were a JSON event at all.</param>
/// <param name="Trigger">The trigger detected.</param>
/// <param name="HasUpstreamContext">Whether a parent context was found in the event.</param>
/// <param name="PayloadTags">Payload tags written.</param>
/// <param name="PayloadCharacters">Characters of payload tag keys and values written.</param>
public readonly record struct FuzzOutcome(bool Parsed, string? Trigger, bool HasUpstreamContext, int PayloadTags, long PayloadCharacters);

/// <summary>A fuzz target found a bug: an escaped exception, a swallowed failure, or a broken bound.</summary>
public sealed class FuzzFindingException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="FuzzFindingException"/> class.</summary>
    public FuzzFindingException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FuzzFindingException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    public FuzzFindingException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FuzzFindingException"/> class.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="inner">The cause.</param>
    public FuzzFindingException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Datadog.Otel.Lambda;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace ManualPropagation;

/// <summary>
/// Manual propagation through a payload no instrumentation knows. <see cref="Submit"/> (one function) writes a job
/// record, with the current trace context as <c>_datadog</c> headers, into a store (a database row, a file, a custom
/// queue; here <see cref="IJobStore"/>); <see cref="RunNext"/> (another function, triggered later on a schedule) reads
/// it and continues the submitter's trace with a consumer span. The headers are in every configured style (Datadog,
/// W3C, ...), so a consumer traced by another Datadog library reads them too.
/// </summary>
public sealed class JobFunctions(IJobStore store, Action<DatadogLambdaOptions>? configure = null) : IDisposable
{
    private static readonly ActivitySource Source = new("Jobs");

    private readonly TracerProvider tracing = Sdk.CreateTracerProviderBuilder().AddDatadogLambda(configure).AddSource(Source.Name).Build()!;

    /// <summary>The submitting function: stores the job with the trace context of the current span.</summary>
    public Task<string> Submit(Stream @event, DatadogLambdaContext context) =>
        DatadogLambda.TraceAsync(this.tracing, @event, JobJson.Default.JsonElement, context, (evt, ctx) =>
        {
            var job = new Job(ctx.AwsRequestId ?? Guid.NewGuid().ToString(), evt.GetRawText(), new Dictionary<string, string>(DatadogPropagation.GetTraceHeaders()));
            store.Save(job);
            return Task.FromResult(job.Id);
        });

    /// <summary>The worker function: runs the oldest job under a span that continues the submitter's trace.</summary>
    public Task<string?> RunNext(Stream scheduledEvent, DatadogLambdaContext context) =>
        DatadogLambda.TraceAsync(this.tracing, scheduledEvent, JobJson.Default.JsonElement, context, (_, _) =>
        {
            if (store.TakeNext() is not { } job)
            {
                return Task.FromResult<string?>(null);
            }

            var submitter = DatadogPropagation.ExtractTraceContext(job.TraceHeaders);
            using var span = Source.StartActivity("run job", ActivityKind.Consumer, submitter);
            span?.SetTag("job.id", job.Id);
            return Task.FromResult<string?>(job.Id);
        });

    public void Dispose() => this.tracing.Dispose();
}

/// <summary>A job: its payload and the trace headers of the span that submitted it.</summary>
public sealed record Job(string Id, string Payload, Dictionary<string, string> TraceHeaders);

/// <summary>Wherever the jobs live.</summary>
public interface IJobStore
{
    void Save(Job job);

    Job? TakeNext();
}

/// <summary>An in-memory store, for the example and its test.</summary>
public sealed class InMemoryJobStore : IJobStore
{
    private readonly Queue<Job> jobs = new();

    public void Save(Job job)
    {
        lock (this.jobs)
        {
            this.jobs.Enqueue(job);
        }
    }

    public Job? TakeNext()
    {
        lock (this.jobs)
        {
            return this.jobs.TryDequeue(out var job) ? job : null;
        }
    }
}

/// <summary>Source-generated JSON metadata: the functions read their events as <see cref="JsonElement"/>.</summary>
[JsonSerializable(typeof(JsonElement))]
public sealed partial class JobJson : JsonSerializerContext;

// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Invocation;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.Export;

/// <summary>
/// The export processor for Lambda. Finished spans are queued in memory (bounded) and sent only when an invocation
/// flushes, asynchronously, so no thread-pool thread ever blocks on I/O and concurrent invocations (Lambda Managed
/// Instances) share sends: a flush waits until every span that was queued when it started has been sent, joining a
/// send in flight rather than starting its own. Neither a batch processor (which exports on a timer, after Lambda
/// may have frozen the sandbox) nor a simple processor (one blocking request per span) fits Lambda.
/// </summary>
internal sealed class ExtensionExportProcessor : BaseProcessor<Activity>
{
    /// <summary>The custom property naming the runtime settings a span belongs to, when it ends outside its invocation.</summary>
    public const string OwnerProperty = "datadog.lambda.owner";

    private readonly object sync = new();
    private readonly OtlpExporterSettings settings;
    private readonly OtlpTraceSerializer serializer;
    private readonly OtlpHttpSender sender;
    private readonly Func<Activity, bool>? dropFilter;
    private readonly LambdaSettings? owner;
    private List<Activity> pending = new(64);
    private long pendingEpoch = 1;
    private long completedEpoch;
    private long requestedEpoch;
    private bool sending;
    private TaskCompletionSource epochCompleted = NewSignal();
    private CancellationToken sendToken;
    private bool resourceSet;
    private long droppedForQueue;

    /// <param name="settings">Where and how to export.</param>
    /// <param name="dropFilter">Spans never exported.</param>
    /// <param name="handler">The HTTP handler (tests).</param>
    /// <param name="owner">
    /// The settings of the runtime this processor exports for. Every tracer provider in a process sees every span; a
    /// span ended inside an invocation that another provider's runtime traces is that provider's to export (two wrapped
    /// functions in one process would otherwise each send both functions' spans).
    /// </param>
    public ExtensionExportProcessor(OtlpExporterSettings settings, Func<Activity, bool>? dropFilter = null, HttpMessageHandler? handler = null, LambdaSettings? owner = null)
    {
        this.owner = owner;
        this.settings = settings;
        this.serializer = new OtlpTraceSerializer(settings);
        this.sender = new OtlpHttpSender(settings, handler);
        this.dropFilter = dropFilter;
    }

    /// <summary>Gets the number of spans waiting for the next flush.</summary>
    public int PendingCount
    {
        get
        {
            lock (this.sync)
            {
                return this.pending.Count;
            }
        }
    }

    public override void OnEnd(Activity data)
    {
        if (!data.Recorded || (this.dropFilter is not null && this.dropFilter(data)))
        {
            return;
        }

        if (this.owner is not null)
        {
            var spanOwner = data.GetCustomProperty(OwnerProperty) as LambdaSettings ?? CurrentInvocation.Value?.Settings;
            if (spanOwner is not null && !ReferenceEquals(spanOwner, this.owner))
            {
                return;
            }
        }

        lock (this.sync)
        {
            if (this.pending.Count < this.settings.MaxQueuedSpans)
            {
                this.pending.Add(data);
                return;
            }

            this.droppedForQueue++;
        }

        Diag.Warn("export", $"more than {this.settings.MaxQueuedSpans} spans are waiting for a flush; dropping spans (is the function wrapped with DatadogLambda.Trace so that it flushes?)");
    }

    /// <summary>
    /// Sends every span queued so far; completes when they were sent (or failed) or when <paramref name="cancellationToken"/>
    /// fires. Returns false on timeout. Never throws.
    /// </summary>
    public async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        long target;
        var startLoop = false;
        lock (this.sync)
        {
            if (this.pending.Count > 0)
            {
                target = this.pendingEpoch;
            }
            else if (this.sending)
            {
                // Spans queued before this call may be in the send under way.
                target = this.pendingEpoch - 1;
            }
            else
            {
                return true;
            }

            this.requestedEpoch = Math.Max(this.requestedEpoch, target);

            // The next send is bounded by the deadline of the latest invocation that waits for it.
            this.sendToken = cancellationToken;
            if (!this.sending)
            {
                this.sending = true;
                startLoop = true;
            }
        }

        if (startLoop)
        {
            _ = this.SendLoopAsync();
        }

        try
        {
            while (true)
            {
                Task signal;
                lock (this.sync)
                {
                    if (this.completedEpoch >= target)
                    {
                        return true;
                    }

                    signal = this.epochCompleted.Task;
                }

                await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    protected override bool OnForceFlush(int timeoutMilliseconds)
    {
        using var timeout = new CancellationTokenSource(timeoutMilliseconds < 0 ? System.Threading.Timeout.Infinite : timeoutMilliseconds);

        // Called synchronously by TracerProvider.ForceFlush (the user's thread or the dedicated flush thread); the
        // async work inside never needs the calling thread, so waiting here cannot deadlock.
        return this.FlushAsync(timeout.Token).GetAwaiter().GetResult();
    }

    protected override bool OnShutdown(int timeoutMilliseconds) => this.OnForceFlush(timeoutMilliseconds);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            this.sender.Dispose();
        }

        base.Dispose(disposing);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task SendLoopAsync()
    {
        while (true)
        {
            List<Activity> batch;
            long epoch;
            CancellationToken token;
            lock (this.sync)
            {
                if (this.pending.Count == 0 || this.requestedEpoch < this.pendingEpoch)
                {
                    this.sending = false;
                    return;
                }

                batch = this.pending;
                this.pending = new List<Activity>(Math.Max(16, batch.Count));
                epoch = this.pendingEpoch++;
                token = this.sendToken;
            }

            try
            {
                await this.SendBatchAsync(batch, token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Never let a send failure escape into an invocation.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Diag.Error("export", "unexpected failure while exporting spans", ex);
            }

            TaskCompletionSource completed;
            lock (this.sync)
            {
                this.completedEpoch = epoch;
                completed = this.epochCompleted;
                this.epochCompleted = NewSignal();
            }

            completed.TrySetResult();
        }
    }

    private async Task SendBatchAsync(List<Activity> batch, CancellationToken cancellationToken)
    {
        if (!this.resourceSet && this.ParentProvider is { } provider)
        {
            this.serializer.SetResource(provider.GetResource());
            this.resourceSet = true;
        }

        long dropped;
        lock (this.sync)
        {
            dropped = this.droppedForQueue;
            this.droppedForQueue = 0;
        }

        if (dropped > 0)
        {
            Diag.ExportFailed(this.settings.Endpoint.ToString(), $"{dropped} spans were dropped because the queue was full");
        }

        using var writer = new ProtobufWriter();
        var start = 0;
        while (start < batch.Count)
        {
            var next = this.serializer.WriteRequest(writer, batch, start);
            await this.sender.SendAsync(writer.WrittenMemory, next - start, cancellationToken).ConfigureAwait(false);
            start = next;
        }
    }
}

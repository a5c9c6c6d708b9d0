// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.Export;

/// <summary>
/// The OTLP http/protobuf exporter to the Datadog Lambda Extension (or the <c>OTEL_EXPORTER_OTLP_*</c> endpoint).
/// One call, one request: the spans are serialized into a pooled buffer (<see cref="ProtobufWriter"/>) and posted
/// uncompressed; a batch past the request size budget is split into several requests, each well under the
/// extension's limit. <see cref="ExportAsync"/> is what <see cref="ExtensionExportProcessor"/> calls: it never blocks a
/// thread on I/O. <see cref="Export"/> keeps <see cref="BaseExporter{T}"/>'s synchronous contract for any other caller.
/// </summary>
internal sealed class ExtensionExporter : BaseExporter<Activity>
{
    private static readonly Task<bool> AcceptedTask = Task.FromResult(true);

    private readonly OtlpTraceSerializer serializer;
    private readonly OtlpHttpSender sender;

    /// <param name="settings">Where and how to export.</param>
    /// <param name="handler">The HTTP handler (tests); by default a <see cref="SocketsHttpHandler"/> tuned for loopback.</param>
    public ExtensionExporter(OtlpExporterSettings settings, HttpMessageHandler? handler = null)
    {
        this.Settings = settings;
        this.serializer = new OtlpTraceSerializer(settings);
        this.sender = new OtlpHttpSender(settings, handler);
    }

    public OtlpExporterSettings Settings { get; }

    /// <summary>
    /// Sends <paramref name="spans"/> in one request (more when they pass the size budget), reordered so that spans of
    /// one source are together. Returns whether every request was accepted; never throws. One call at a time.
    /// </summary>
    public Task<bool> ExportAsync(List<Activity> spans, CancellationToken cancellationToken)
    {
        if (spans.Count == 0)
        {
            return AcceptedTask;
        }

        if (!this.serializer.HasResource && this.ParentProvider is { } provider)
        {
            this.serializer.SetResource(provider.GetResource());
        }

        this.serializer.GroupBySource(spans);
        var writer = new ProtobufWriter();
        int next;
        try
        {
            next = this.serializer.WriteRequest(writer, spans, 0);
        }
        catch
        {
            writer.Dispose();
            throw;
        }

        if (next >= spans.Count)
        {
            // The usual flush, one request: the sender returns the buffer when the send ends, so this method needs no
            // state machine of its own (every async method on the first invocation's path is JIT work at cold start,
            // ReadyToRun included: its builder instantiations are not precompiled).
            return this.sender.SendAsync(writer.WrittenMemory, next, writer, cancellationToken);
        }

        return this.ExportSplitAsync(writer, spans, next, cancellationToken);
    }

    /// <inheritdoc/>
    public override ExportResult Export(in Batch<Activity> batch)
    {
        // Only a processor other than ours calls this, on a thread of its own (a batch processor's worker): waiting on
        // the request there is that processor's model.
        var spans = new List<Activity>();
        foreach (var activity in batch)
        {
            spans.Add(activity);
        }

        // Each request is bounded by the exporter timeout (OTEL_EXPORTER_OTLP_TIMEOUT).
        return this.ExportAsync(spans, CancellationToken.None).GetAwaiter().GetResult() ? ExportResult.Success : ExportResult.Failure;
    }

    /// <summary>More spans than one request carries: the first request is written, the others follow it in turn.</summary>
    private async Task<bool> ExportSplitAsync(ProtobufWriter writer, List<Activity> spans, int next, CancellationToken cancellationToken)
    {
        using (writer)
        {
            var accepted = await this.sender.SendAsync(writer.WrittenMemory, next, owner: null, cancellationToken).ConfigureAwait(false);
            var start = next;
            while (start < spans.Count)
            {
                next = this.serializer.WriteRequest(writer, spans, start);
                accepted &= await this.sender.SendAsync(writer.WrittenMemory, next - start, owner: null, cancellationToken).ConfigureAwait(false);
                start = next;
            }

            return accepted;
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            this.sender.Dispose();
        }

        base.Dispose(disposing);
    }
}

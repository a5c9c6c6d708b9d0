// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.Export;

/// <summary>
/// The OTLP http/protobuf exporter to the Datadog Lambda Extension (or the <c>OTEL_EXPORTER_OTLP_*</c> endpoint).
/// One call, one request: the spans are serialized into a pooled buffer (<see cref="ProtobufWriter"/>) and posted
/// uncompressed; a batch past the request size budget is split into several requests, each well under the
/// extension's limit. <see cref="ExtensionExportProcessor"/> calls <see cref="Export(List{Activity}, CancellationToken, out int)"/>
/// with the invocation's deadline; <see cref="Export(in Batch{Activity})"/> keeps <see cref="BaseExporter{T}"/>'s
/// contract for any other processor.
/// </summary>
internal sealed class ExtensionExporter : BaseExporter<Activity>
{
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
    /// <param name="spans">The spans; reordered in place.</param>
    /// <param name="cancellationToken">The invocation's deadline.</param>
    /// <param name="sent">
    /// How many spans, from the start of the reordered <paramref name="spans"/>, went out in requests that were answered
    /// or failed for good. Less than the count only when <paramref name="cancellationToken"/> fired: the spans from
    /// there on were in the request it cut short, or in none.
    /// </param>
    public bool Export(List<Activity> spans, CancellationToken cancellationToken, out int sent)
    {
        sent = 0;
        if (spans.Count == 0)
        {
            return true;
        }

        if (!this.serializer.HasResource && this.ParentProvider is { } provider)
        {
            this.serializer.SetResource(provider.GetResource());
        }

        this.serializer.GroupBySource(spans);
        using var writer = new ProtobufWriter();
        var accepted = true;
        while (sent < spans.Count)
        {
            var next = this.serializer.WriteRequest(writer, spans, sent);
            var outcome = this.sender.Send(writer.WrittenMemory, next - sent, cancellationToken);
            if (outcome == SendOutcome.Cancelled)
            {
                // The deadline has passed: the requests left would be cancelled at once.
                return false;
            }

            accepted &= outcome == SendOutcome.Accepted;
            sent = next;
        }

        return accepted;
    }

    /// <inheritdoc/>
    public override ExportResult Export(in Batch<Activity> batch)
    {
        // Only a processor other than ours calls this, on a thread of its own (a batch processor's worker).
        var spans = new List<Activity>();
        foreach (var activity in batch)
        {
            spans.Add(activity);
        }

        // Each request is bounded by the exporter timeout (OTEL_EXPORTER_OTLP_TIMEOUT).
        return this.Export(spans, CancellationToken.None, out _) ? ExportResult.Success : ExportResult.Failure;
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

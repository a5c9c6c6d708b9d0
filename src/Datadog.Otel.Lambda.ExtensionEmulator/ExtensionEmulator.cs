// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;
using System.Net;
using Datadog.Otel.Lambda.ExtensionEmulator.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Datadog.Otel.Lambda.ExtensionEmulator;

/// <summary>
/// A local stand-in for the Datadog Lambda Extension's OTLP/HTTP trace receiver. It listens on 127.0.0.1
/// only, answers like the extension (status codes, response bodies, limits), maps every OTLP span to the
/// Datadog span the extension would forward, and keeps them for assertions.
/// </summary>
/// <example>
/// <code>
/// await using var emulator = await ExtensionEmulator.StartAsync(new() { Service = "my-function" });
/// // export with OtlpExportProtocol.HttpProtobuf to emulator.TracesEndpoint, then ForceFlush
/// var trace = await emulator.WaitForTraceAsync(t => t.Root?.Name == "aws.lambda", TimeSpan.FromSeconds(5));
/// </code>
/// </example>
public sealed class ExtensionEmulator : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication app;
    private readonly TraceStore store;
    private readonly string? htmlReportPath;
    private int disposed;

    private ExtensionEmulator(WebApplication app, TraceStore store, int port, string? htmlReportPath)
    {
        this.app = app;
        this.store = store;
        this.htmlReportPath = htmlReportPath;
        Port = port;
        TracesEndpoint = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}{OtlpTracesEndpoint.TracesPath}"));
    }

    /// <summary>Gets the port the emulator listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Gets the full OTLP/HTTP traces URL, e.g. <c>http://127.0.0.1:4318/v1/traces</c>; give it to the exporter as is.</summary>
    public Uri TracesEndpoint { get; }

    /// <summary>Gets a snapshot of every Datadog span received so far, in arrival order.</summary>
    public IReadOnlyList<DatadogSpan> Spans => store.Spans;

    /// <summary>Gets a snapshot of the spans grouped by Datadog trace id, in order of each trace's first span.</summary>
    public IReadOnlyList<DatadogTrace> Traces => store.Traces;

    /// <summary>Gets a snapshot of every HTTP request received so far, with the status it was answered with.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => store.Requests;

    /// <summary>
    /// Raised after the spans of one request are stored (before the request is answered), on the request's thread,
    /// with the spans of that request. Keep handlers short: the exporter waits for them.
    /// </summary>
    public event Action<IReadOnlyList<DatadogSpan>>? SpansReceived
    {
        add => store.SpansAdded += value;
        remove => store.SpansAdded -= value;
    }

    /// <summary>Starts an emulator on 127.0.0.1.</summary>
    /// <param name="options">The options; defaults when null (a free port, no <c>DD_*</c> tags).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    public static async Task<ExtensionEmulator> StartAsync(ExtensionEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ExtensionEmulatorOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, IPEndPoint.MaxPort, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxRequestBodyBytes, nameof(options));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));

        var store = new TraceStore();
        var endpoint = new OtlpTracesEndpoint(store, options);

        // An empty builder: no configuration sources (ASPNETCORE_URLS and friends cannot add a listener), no
        // logging providers, only Kestrel bound to the loopback address.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // The body limit is enforced by the endpoint, with the extension's status code.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();
        app.Run(endpoint.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Typically the port is taken: release the host before reporting it.
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ExtensionEmulator(app, store, new Uri(address).Port, options.HtmlReportPath);
    }

    /// <summary>
    /// Waits until a trace satisfies <paramref name="predicate"/> and returns it. The predicate is checked on
    /// what has already arrived and again each time spans arrive; no polling.
    /// </summary>
    /// <param name="predicate">The condition, evaluated on snapshots; it may be called on the request's thread.</param>
    /// <param name="timeout">How long to wait, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The first trace, in <see cref="Traces"/> order, that satisfies the predicate.</returns>
    /// <exception cref="TimeoutException">No trace satisfied the predicate in time; the message lists what did arrive.</exception>
    public Task<DatadogTrace> WaitForTraceAsync(Func<DatadogTrace, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        store.WaitForTraceAsync(predicate, timeout, cancellationToken);

    /// <summary>
    /// Waits until at least <paramref name="count"/> spans satisfy <paramref name="predicate"/> and returns all
    /// the spans that do at that moment, in arrival order.
    /// </summary>
    /// <param name="predicate">The condition, evaluated on snapshots; it may be called on the request's thread.</param>
    /// <param name="count">The number of matching spans to wait for.</param>
    /// <param name="timeout">How long to wait, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The matching spans (at least <paramref name="count"/>).</returns>
    /// <exception cref="TimeoutException">Too few spans matched in time; the message lists what did arrive.</exception>
    public Task<IReadOnlyList<DatadogSpan>> WaitForSpansAsync(Func<DatadogSpan, bool> predicate, int count, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        store.WaitForSpansAsync(predicate, count, timeout, cancellationToken);

    /// <summary>Forgets every span and request received so far (pending waits keep waiting for new data).</summary>
    public void Clear() => store.Clear();

    /// <summary>Stops listening and fails pending waits.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        if (htmlReportPath is not null)
        {
            // Written before the store is disposed; the traces are a snapshot, so late requests cannot tear it.
            var written = TraceHtmlRenderer.WriteHtml(htmlReportPath, store.Traces);
            await Console.Out.WriteLineAsync("Trace view: " + new Uri(written).AbsoluteUri).ConfigureAwait(false);
        }

        store.Dispose();
        using var stopTimeout = new CancellationTokenSource(StopTimeout);
        await app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}

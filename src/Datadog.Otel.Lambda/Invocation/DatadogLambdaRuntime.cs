// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Diagnostics;
using Datadog.Otel.Lambda.Export;
using Datadog.Otel.Lambda.Planning;
using Datadog.Otel.Lambda.Propagation;
using Datadog.Otel.Lambda.SnapStart;
using Datadog.Otel.Lambda.XRay;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// Everything one <c>AddDatadogLambda</c> call set up, shared by all invocations traced through its provider:
/// settings, the cold-start latch, the exporter and the flush path. Holds no per-invocation state.
/// </summary>
internal sealed class DatadogLambdaRuntime
{
    private static readonly object RegistrySync = new();
    private static DatadogLambdaRuntime[] registry = [];
    private static DatadogLambdaRuntime? lastFound;

    private readonly object flusherSync = new();
    private ProviderFlusher? providerFlusher;

    public DatadogLambdaRuntime(LambdaSettings settings, DatadogLambdaOptions options, ExtensionExportProcessor? exporter, bool flushProvider)
    {
        this.Settings = settings;
        this.Options = options;
        this.TimeProvider = options.TimeProvider;
        this.Exporter = exporter;
        this.FlushProvider = flushProvider;
        this.ColdStart = new ColdStartTracker(options.TimeProvider, options.InitTime);
        this.SpanProcessor = new LambdaSpanProcessor(new InternalEndpointFilter(settings.RuntimeApi), settings, this.Unregister);
        this.Propagation = settings.Propagation;
        this.Propagator = this.Propagation.CreatePropagator();
        this.XRay = new XRayDaemonClient(settings.XRayDaemonAddress, options.TimeProvider);
        this.XRayMetadata = new XRayMetadata(this.XRay);
        var environment = options.Environment;
        this.Planner = new InvocationPlanner(settings, this.Propagator, options.TraceExtractor, () => environment.Get(EnvironmentVariables.XAmznTraceId), this.XRay.IsEnabled);
        this.Spans = new SpanBuilder(LambdaActivitySource.Source, ExtensionExportProcessor.OwnerProperty, settings);
        this.Timeouts = new ImpendingTimeouts(options.TimeProvider);
    }

    public LambdaSettings Settings { get; }

    public DatadogLambdaOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public ColdStartTracker ColdStart { get; }

    public ExtensionExportProcessor? Exporter { get; }

    public bool FlushProvider { get; }

    public LambdaSpanProcessor SpanProcessor { get; }

    public PropagationSettings Propagation { get; }

    /// <summary>Gets the composite of the configured propagation styles (also installed as OpenTelemetry's default propagator).</summary>
    public DatadogCompositePropagator Propagator { get; }

    /// <summary>Gets the planner of this provider's invocations (settings, propagators and the function's identity, made once).</summary>
    public InvocationPlanner Planner { get; }

    public SpanBuilder Spans { get; }

    public XRayDaemonClient XRay { get; }

    public XRayMetadata XRayMetadata { get; }

    /// <summary>Gets the watch over the deadlines of the invocations in flight.</summary>
    public ImpendingTimeouts Timeouts { get; }

    public TracerProvider? Provider => this.SpanProcessor.ParentProvider as TracerProvider;

    /// <summary>Gets the runtimes of the providers alive now (the SnapStart snapshot hook reaches their exporters).</summary>
    public static IReadOnlyList<DatadogLambdaRuntime> Registered => Volatile.Read(ref registry);

    /// <summary>Finds the runtime built into <paramref name="provider"/>; with no provider, the only runtime there is.</summary>
    public static DatadogLambdaRuntime? Find(TracerProvider? provider)
    {
        var cached = lastFound;
        if (provider is not null && cached is not null && ReferenceEquals(cached.Provider, provider))
        {
            return cached;
        }

        var all = Volatile.Read(ref registry);
        DatadogLambdaRuntime? found = null;
        foreach (var runtime in all)
        {
            var owner = runtime.Provider;
            if (owner is null)
            {
                continue;
            }

            if (provider is null)
            {
                if (found is not null)
                {
                    // Several providers and none named: ambiguous.
                    return null;
                }

                found = runtime;
            }
            else if (ReferenceEquals(owner, provider))
            {
                found = runtime;
                break;
            }
        }

        if (found is not null && provider is not null)
        {
            lastFound = found;
        }

        return found;
    }

    public void Register()
    {
        if (this.Settings.IsSnapStart && !SnapStartState.HooksRegistered)
        {
            Diag.Warn("snapstart", "SnapStart without restore hooks: span ids may repeat across restored sandboxes and a restored sandbox reports no cold start. Compile DatadogSnapStartHooks.cs (added by the package) or call DatadogSnapStart.RegisterHooks(global::Amazon.Lambda.Core.SnapshotRestore.RegisterBeforeSnapshot, global::Amazon.Lambda.Core.SnapshotRestore.RegisterAfterRestore) during initialization");
        }

        lock (RegistrySync)
        {
            var copy = new DatadogLambdaRuntime[registry.Length + 1];
            registry.CopyTo(copy, 0);
            copy[^1] = this;
            Volatile.Write(ref registry, copy);
        }
    }

    /// <summary>
    /// Exports what the invocation produced before the function returns: the distribution's own exporter
    /// asynchronously, and, when configured, every other exporter of the provider through <c>ForceFlush</c> on the flush
    /// thread, both at once. Bounded by <paramref name="budget"/>; never throws.
    /// </summary>
    public Task FlushAsync(TimeSpan budget)
    {
        var exporter = this.Exporter;
        var ownWork = exporter is not null && exporter.HasWork;
        if (!ownWork && !this.FlushProvider)
        {
            // Nothing to wait for: no timer, no cancellation source.
            return Task.CompletedTask;
        }

        if (budget <= TimeSpan.Zero)
        {
            Diag.Warn("flush", "no time left before the invocation's deadline; spans are exported with the next invocation");
            return Task.CompletedTask;
        }

        if (!this.FlushProvider)
        {
            // The usual flush, our exporter alone: its processor bounds the wait itself, so no state machine of this
            // method's own runs (each async method on the first invocation's path is JIT work at cold start).
            return exporter!.FlushAsync(budget);
        }

        return this.FlushWithProviderAsync(ownWork ? exporter : null, budget);
    }

    private async Task FlushWithProviderAsync(ExtensionExportProcessor? exporter, TimeSpan budget)
    {
        using var timeout = new CancellationTokenSource(budget);
        try
        {
            // The user's processors are asked first, on their thread, so that they export while this one sends.
            var others = this.GetProviderFlusher()?.FlushAsync(timeout.Token);
            if (exporter is not null)
            {
                await exporter.FlushAsync(timeout.Token).ConfigureAwait(false);
            }

            if (others is not null)
            {
                await others.ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Flushing must never fail the invocation.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Diag.TracingFailed("flush", ex);
        }
    }

    private ProviderFlusher? GetProviderFlusher()
    {
        if (this.providerFlusher is { } existing)
        {
            return existing;
        }

        var provider = this.Provider;
        if (provider is null)
        {
            return null;
        }

        lock (this.flusherSync)
        {
            return this.providerFlusher ??= new ProviderFlusher(provider, this.Settings.MaxFlushTime);
        }
    }

    private void Unregister()
    {
        lock (RegistrySync)
        {
            var index = Array.IndexOf(registry, this);
            if (index >= 0)
            {
                var copy = new DatadogLambdaRuntime[registry.Length - 1];
                Array.Copy(registry, 0, copy, 0, index);
                Array.Copy(registry, index + 1, copy, index, registry.Length - index - 1);
                Volatile.Write(ref registry, copy);
            }

            if (ReferenceEquals(lastFound, this))
            {
                lastFound = null;
            }
        }

        this.providerFlusher?.Dispose();
        this.Timeouts.Dispose();
        this.XRay.Dispose();
    }
}

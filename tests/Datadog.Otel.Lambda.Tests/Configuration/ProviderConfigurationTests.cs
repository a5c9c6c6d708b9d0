// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Collections;
using System.Diagnostics;
using Datadog.Otel.Lambda.Invocation;
using Datadog.Otel.Lambda.Sampling;
using Datadog.Otel.Lambda.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Trace;

namespace Datadog.Otel.Lambda.Tests.Configuration;

/// <summary>
/// Settings come from the provider's IConfiguration (any source: in-memory, appsettings.json, environment variables),
/// once per provider, with the configuration over code options over defaults; options come from the options pattern
/// (services.Configure, named options); and building a provider writes nothing into the process environment.
/// </summary>
[Collection("Tracing")]
public sealed class ProviderConfigurationTests : IDisposable
{
    private readonly TextMapPropagator previousPropagator = Propagators.DefaultTextMapPropagator;
    private readonly Func<ActivityTraceId>? previousGenerator = Activity.TraceIdGenerator;
    private readonly List<Activity> exported = [];

    public void Dispose()
    {
        Sdk.SetDefaultTextMapPropagator(this.previousPropagator);
        Activity.TraceIdGenerator = this.previousGenerator;
    }

    [Fact]
    public async Task SettingsComeFromTheProvidersConfiguration()
    {
        using var provider = this.Build(Configuration(new() { ["DD_SERVICE"] = "from-configuration", ["DD_ENV"] = "prod" }));

        var lambda = await this.InvokeAsync(provider);

        Assert.Equal("aws.lambda", lambda.GetTagItem("operation.name"));
        Assert.Equal("from-configuration", ResourceService(provider));
        Assert.Equal("prod", ResourceAttribute(provider, "deployment.environment.name"));
    }

    [Fact]
    public async Task AppSettingsJsonIsASourceLikeAnyOther()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "TestData", "configuration", "appsettings.json"), optional: false)
            .Build();
        using var provider = this.Build(configuration);

        var injected = new Dictionary<string, string>();
        await DatadogLambda.TraceAsync(provider, EventSamples.Stream("{}"), Context(), (_, _) =>
        {
            DatadogPropagation.InjectTraceContext(injected, static (carrier, name, value) => carrier[name] = value);
            return Task.FromResult(0);
        });

        Assert.Equal("from-appsettings", ResourceService(provider));
        Assert.Equal("staging", ResourceAttribute(provider, "deployment.environment.name"));
        Assert.Contains("x-b3-traceid", injected.Keys);
        Assert.DoesNotContain("x-datadog-trace-id", injected.Keys);
    }

    [Fact]
    public void ConfigurationWinsOverCodeOptionsWhichWinOverDefaults()
    {
        using (var configured = this.Build(Configuration(new() { ["DD_SERVICE"] = "configured", ["AWS_LAMBDA_FUNCTION_NAME"] = "fn" }), o => o.ServiceName = "coded"))
        {
            Assert.Equal("configured", ResourceService(configured));
        }

        using (var coded = this.Build(Configuration(new() { ["AWS_LAMBDA_FUNCTION_NAME"] = "fn" }), o => o.ServiceName = "coded"))
        {
            Assert.Equal("coded", ResourceService(coded));
        }

        using var defaulted = this.Build(Configuration(new() { ["AWS_LAMBDA_FUNCTION_NAME"] = "fn" }));
        Assert.Equal("fn", ResourceService(defaulted));
    }

    [Fact]
    public void ServicesConfigureIsHonouredAndTheInlineDelegateRunsAfterIt()
    {
        using (var fromServices = this.Build(Configuration(new()), services: s => s.Configure<DatadogLambdaOptions>(o => o.ServiceName = "from-services")))
        {
            Assert.Equal("from-services", ResourceService(fromServices));
        }

        using var both = this.Build(
            Configuration(new()),
            o => o.ServiceName += "+inline",
            services: s => s.Configure<DatadogLambdaOptions>(o => o.ServiceName = "from-services"));
        Assert.Equal("from-services+inline", ResourceService(both));
    }

    [Fact]
    public void PostConfigureValidatorsAndARegisteredFactoryAreHonoured()
    {
        // Without them the options are made without asking the container (a cold-start saving): each of these must
        // still send the options through the container's pipeline.
        using (var postConfigured = this.Build(Configuration(new()), services: s => s.PostConfigure<DatadogLambdaOptions>(o => o.ServiceName = "post-configured")))
        {
            Assert.Equal("post-configured", ResourceService(postConfigured));
        }

        var validator = new CountingValidator();
        using (this.Build(Configuration(new()), services: s => s.AddSingleton<IValidateOptions<DatadogLambdaOptions>>(validator)))
        {
            Assert.Equal(1, validator.Calls);
        }

        using var fromFactory = this.Build(Configuration(new()), services: s => s.AddSingleton<IOptionsFactory<DatadogLambdaOptions>>(new FixedFactory("from-factory")));
        Assert.Equal("from-factory", ResourceService(fromFactory));
    }

    [Fact]
    public void NamedOptionsAreTheOptionsPipelinesInstanceForThatName()
    {
        using var provider = Sdk.CreateTracerProviderBuilder()
            .ConfigureServices(s =>
            {
                s.AddSingleton<IConfiguration>(Configuration(new()));
                s.Configure<DatadogLambdaOptions>(o => o.ServiceName = "unnamed");
                s.Configure<DatadogLambdaOptions>("tenant", o => o.ServiceName = "tenant-service");
            })
            .AddDatadogLambda("tenant", o => o.Exporter = DatadogLambdaExporter.None)
            .Build()!;

        Assert.Equal("tenant-service", ResourceService(provider));
        var options = Runtime(provider).Options;
        Assert.Equal(DatadogLambdaExporter.None, options.Exporter);
    }

    [Fact]
    public async Task ASecondAddDatadogLambdaOnOneBuilderAddsItsOptionsNotASecondDistribution()
    {
        // As a zero-code redirect's ConfigureTracing does: the provider it builds has AddDatadogLambda() already.
        using var provider = Sdk.CreateTracerProviderBuilder()
            .ConfigureServices(s => s.AddSingleton<IConfiguration>(Configuration(new())))
            .AddDatadogLambda(o =>
            {
                o.Exporter = DatadogLambdaExporter.None;
                o.FlushTracerProvider = false;
                o.ServiceName = "first";
            })
            .AddDatadogLambda(o =>
            {
                o.ServiceName += "+second";
                o.CaptureLambdaPayload = true;
            })
            .AddInMemoryExporter(this.exported)
            .Build()!;

        Assert.Equal("first+second", ResourceService(provider));
        Assert.True(Runtime(provider).Options.CaptureLambdaPayload);
        await DatadogLambda.TraceAsync(provider, EventSamples.Stream("""{"order":42}"""), Context("req-twice"), (_, _) => Task.FromResult(0));
        var lambda = this.exported.Last(a => a.GetTagItem("operation.name") as string == "aws.lambda");
        Assert.Equal("42", lambda.GetTagItem("function.request.order"));
        Assert.Single(this.exported, a => a.GetTagItem("operation.name") as string == "aws.lambda");
    }

    [Fact]
    public async Task SettingsAndOptionsAreReadOncePerProvider()
    {
        var counting = new CountingSource(new() { ["DD_SERVICE"] = "counted" });
        var configuration = new ConfigurationBuilder().Add(counting).Build();
        var configureCalls = 0;
        using var provider = this.Build(configuration, _ => configureCalls++);
        var readsAtBuild = counting.Reads("DD_SERVICE");

        for (var i = 0; i < 3; i++)
        {
            await this.InvokeAsync(provider, "req-" + i);
        }

        Assert.Equal(1, readsAtBuild);
        Assert.Equal(readsAtBuild, counting.Reads("DD_SERVICE"));
        Assert.Equal(1, configureCalls);
    }

    [Fact]
    public void BuildingAProviderWritesNothingIntoTheProcessEnvironment()
    {
        var before = Snapshot();

        using var provider = this.Build(
            new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(new Dictionary<string, string?> { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true", ["DD_OTEL_LAMBDA_MAX_BATCH_LINKS"] = "500" }).Build());

        Assert.Equal(before, Snapshot());
        Assert.Null(Environment.GetEnvironmentVariable("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT"));
        Assert.Equal("2048", Runtime(provider).Settings.SpanLimitDefaults["OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT"]);
        Assert.Equal("532", Runtime(provider).Settings.SpanLimitDefaults["OTEL_SPAN_LINK_COUNT_LIMIT"]);
    }

    [Fact]
    public void AConfiguredLimitIsTheUsersAndIsKept()
    {
        using var provider = this.Build(Configuration(new() { ["DD_CAPTURE_LAMBDA_PAYLOAD"] = "true", ["OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT"] = "300" }), o => o.Exporter = DatadogLambdaExporter.Extension);

        Assert.False(Runtime(provider).Settings.SpanLimitDefaults.ContainsKey("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT"));
        Assert.NotNull(Runtime(provider).Exporter);
    }

    [Fact]
    public void ThePropagatorAndTraceIdGeneratorAreSetWhenTheProviderIsBuiltUnlessTurnedOff()
    {
        var mine = new CompositeTextMapPropagator([new TraceContextPropagator()]);
        Sdk.SetDefaultTextMapPropagator(mine);
        Func<ActivityTraceId> generator = static () => ActivityTraceId.CreateFromString("0af7651916cd43dd8448eb211c80319c");
        Activity.TraceIdGenerator = generator;

        using (this.Build(Configuration(new()), o =>
        {
            o.SetDefaultTextMapPropagator = false;
            o.SetActivityTraceIdGenerator = false;
        }))
        {
            Assert.Same(mine, Propagators.DefaultTextMapPropagator);
            Assert.Same(generator, Activity.TraceIdGenerator);
        }

        using var provider = this.Build(Configuration(new()));
        Assert.Same(Runtime(provider).Propagator, Propagators.DefaultTextMapPropagator);
        Assert.NotSame(generator, Activity.TraceIdGenerator);
        var id = Activity.TraceIdGenerator!().ToHexString();
        var seconds = Convert.ToInt64(id[..8], 16);
        Assert.InRange(seconds, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);
        Assert.Equal("00000000", id[8..16]);
    }

    [Fact]
    public async Task SamplingRulesInCodeApplyUnlessTheConfigurationHasRules()
    {
        using (var coded = this.Build(Configuration(new()), o => o.SamplingRules.Add(new DatadogSamplingRule(0) { Name = "aws.lambda" })))
        {
            var lambda = await this.InvokeAsync(coded);
            Assert.Equal(-1, lambda.GetTagItem("sampling.priority"));
            Assert.Equal("-3", lambda.GetTagItem("_dd.p.dm"));
        }

        this.exported.Clear();
        using var configured = this.Build(
            Configuration(new() { ["DD_TRACE_SAMPLING_RULES"] = """[{"sample_rate":1,"name":"aws.lambda"}]""" }),
            o => o.SamplingRules.Add(new DatadogSamplingRule(0) { Name = "aws.lambda" }));
        var kept = await this.InvokeAsync(configured);
        Assert.Equal(2, kept.GetTagItem("sampling.priority"));
    }

    [Fact]
    public async Task RulesSeeTheTagsThePlanKnows_AndTheProcessWideTags()
    {
        // dd-trace-py samples the local root with all its tags, and puts env and DD_TAGS on every span.
        var rules = """
            [
              {"sample_rate":0,"name":"aws.sqs","tags":{"queuename":"orders*","_inferred_span.synchronicity":"async"}},
              {"sample_rate":0.5,"name":"aws.lambda","tags":{"function_trigger.event_source":"sqs","env":"prod","team":"a"}}
            ]
            """;
        using (var provider = this.Build(Configuration(new() { ["DD_TRACE_SAMPLING_RULES"] = rules })))
        {
            await DatadogLambda.TraceAsync(provider, EventSamples.Stream(SqsEvent("orders-queue")), Context("req-1"), (_, _) => Task.FromResult(0));
            var sqs = this.exported.Last(a => a.GetTagItem("operation.name") as string == "aws.sqs");
            Assert.Equal(-1, sqs.GetTagItem("sampling.priority"));
            Assert.Equal(0.0, sqs.GetTagItem("_dd.rule_psr"));
        }

        // Without inferred spans aws.lambda is the root: its trigger tags, DD_ENV and DD_TAGS decide.
        this.exported.Clear();
        using var lambdaRoot = this.Build(Configuration(new()
        {
            ["DD_TRACE_SAMPLING_RULES"] = rules,
            ["DD_TRACE_MANAGED_SERVICES"] = "false",
            ["DD_ENV"] = "prod",
            ["DD_TAGS"] = "team:a",
        }));
        await DatadogLambda.TraceAsync(lambdaRoot, EventSamples.Stream(SqsEvent("orders-queue")), Context("req-2"), (_, _) => Task.FromResult(0));
        var lambda = this.exported.Last(a => a.GetTagItem("operation.name") as string == "aws.lambda");
        Assert.Equal(0.5, lambda.GetTagItem("_dd.rule_psr"));
        Assert.Equal("sqs", lambda.GetTagItem("function_trigger.event_source"));
    }

    [Fact]
    public async Task OtelTracesSamplerIsReadFromTheProvidersConfiguration()
    {
        using var provider = this.Build(Configuration(new() { ["OTEL_TRACES_SAMPLER"] = "parentbased_traceidratio", ["OTEL_TRACES_SAMPLER_ARG"] = "0" }));

        var lambda = await this.InvokeAsync(provider);

        Assert.Equal(-1, lambda.GetTagItem("sampling.priority"));
        Assert.Equal(0.0, lambda.GetTagItem("_dd.rule_psr"));
    }

    [Fact]
    public void ASamplingRulesRateIsANumberFromZeroToOne()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DatadogSamplingRule(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DatadogSamplingRule(double.NaN));
        var rule = new DatadogSamplingRule(0.25) { Service = "cart*", Tags = { ["env"] = "prod" } };
        var compiled = rule.ToSamplingRule();
        Assert.True(compiled.Matches("cart-api", "aws.lambda", "GET /", [new("env", "prod")], SamplingProcessTags.None, mainService: true));
        Assert.False(compiled.Matches("billing", "aws.lambda", "GET /", [new("env", "prod")], SamplingProcessTags.None, mainService: true));
        Assert.False(compiled.Matches("cart-api", "aws.lambda", "GET /", [new("env", "dev")], SamplingProcessTags.None, mainService: true));
    }

    [Fact]
    public void TheBuilderExtensionsDoNotShareAFullNameWithOpenTelemetrysTypes()
    {
        var ours = typeof(DatadogLambdaTracerProviderBuilderExtensions).Assembly.GetExportedTypes().Select(t => t.FullName).ToHashSet();
        var theirs = new[] { typeof(Sdk).Assembly, typeof(TracerProvider).Assembly, typeof(TracerProviderBuilder).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .Select(t => t.FullName)
            .ToHashSet();

        Assert.Equal("OpenTelemetry.Trace.DatadogLambdaTracerProviderBuilderExtensions", typeof(DatadogLambdaTracerProviderBuilderExtensions).FullName);
        Assert.Empty(ours.Intersect(theirs));

        // Both classes can be named in one file (they clashed before: CS0433).
        var builder = OpenTelemetry.Trace.TracerProviderBuilderExtensions.SetErrorStatusOnException(Sdk.CreateTracerProviderBuilder());
        Assert.Same(builder, DatadogLambdaTracerProviderBuilderExtensions.AddDatadogLambda(builder, o => o.Exporter = DatadogLambdaExporter.None));
    }

    [Fact]
    public async Task TheCurrentInvocationIsPublicForCompanionPackages()
    {
        using var provider = this.Build(Configuration(new() { ["DD_SERVICE"] = "visible" }));
        Assert.Null(DatadogLambdaInvocation.AwsRequestId);
        Assert.Null(DatadogLambdaInvocation.ServiceName);

        var seen = default((string?, string?, string?));
        var context = new DatadogLambdaContext
        {
            AwsRequestId = "req-public",
            XRayTraceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
            Deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30),
        };
        await DatadogLambda.TraceAsync(provider, EventSamples.Stream("{}"), context, (_, _) =>
        {
            seen = (DatadogLambdaInvocation.AwsRequestId, DatadogLambdaInvocation.XRayTraceHeader, DatadogLambdaInvocation.ServiceName);
            return Task.FromResult(0);
        });

        Assert.Equal(("req-public", context.XRayTraceHeader, "visible"), seen);
        Assert.Null(DatadogLambdaInvocation.AwsRequestId);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static DatadogLambdaContext Context(string requestId = "req-1") => new()
    {
        AwsRequestId = requestId,
        InvokedFunctionArn = TestTracing.FunctionArn,
        FunctionName = "My-Function",
        Deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30),
    };

    private static DatadogLambdaRuntime Runtime(TracerProvider provider) => DatadogLambdaRuntime.Find(provider)!;

    private static object? ResourceAttribute(TracerProvider provider, string name) =>
        provider.GetResource().Attributes.FirstOrDefault(a => a.Key == name).Value;

    private static object? ResourceService(TracerProvider provider) => ResourceAttribute(provider, "service.name");

    private static SortedDictionary<string, string?> Snapshot()
    {
        var snapshot = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            snapshot[(string)entry.Key] = entry.Value as string;
        }

        return snapshot;
    }

    private TracerProvider Build(IConfiguration configuration, Action<DatadogLambdaOptions>? configure = null, Action<IServiceCollection>? services = null) =>
        Sdk.CreateTracerProviderBuilder()
            .ConfigureServices(s =>
            {
                s.AddSingleton(configuration);
                services?.Invoke(s);
            })
            .AddDatadogLambda(o =>
            {
                o.Exporter = DatadogLambdaExporter.None;
                o.FlushTracerProvider = false;
                o.InitTime = static () => DateTimeOffset.UtcNow;
                configure?.Invoke(o);
            })
            .AddInMemoryExporter(this.exported)
            .Build()!;

    private static string SqsEvent(string queue) => $$"""
        {"Records":[{"messageId":"m-1","body":"{}","attributes":{"SentTimestamp":"{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}"},"messageAttributes":{},
          "eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:{{queue}}","awsRegion":"us-east-1"}]}
        """;

    private async Task<Activity> InvokeAsync(TracerProvider provider, string requestId = "req-1")
    {
        await DatadogLambda.TraceAsync(provider, EventSamples.Stream("{}"), Context(requestId), (_, _) => Task.FromResult(0));
        return this.exported.Last(a => a.GetTagItem("operation.name") as string == "aws.lambda");
    }

    private sealed class CountingValidator : IValidateOptions<DatadogLambdaOptions>
    {
        public int Calls { get; private set; }

        public ValidateOptionsResult Validate(string? name, DatadogLambdaOptions options)
        {
            this.Calls++;
            return ValidateOptionsResult.Success;
        }
    }

    private sealed class FixedFactory(string serviceName) : IOptionsFactory<DatadogLambdaOptions>
    {
        public DatadogLambdaOptions Create(string name) => new() { ServiceName = serviceName };
    }

    /// <summary>An in-memory configuration source that counts the reads of each key.</summary>
    private sealed class CountingSource(Dictionary<string, string?> values) : ConfigurationProvider, IConfigurationSource
    {
        private readonly Dictionary<string, int> reads = new(StringComparer.OrdinalIgnoreCase);

        public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

        public override void Load() => this.Data = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);

        public override bool TryGet(string key, out string? value)
        {
            lock (this.reads)
            {
                this.reads[key] = this.reads.GetValueOrDefault(key) + 1;
            }

            return base.TryGet(key, out value);
        }

        public int Reads(string key)
        {
            lock (this.reads)
            {
                return this.reads.GetValueOrDefault(key);
            }
        }
    }
}

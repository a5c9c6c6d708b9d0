// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Propagation;

namespace Datadog.Otel.Lambda.Tests.Propagation;

public class PropagationSettingsTests
{
    private static PropagationSettings Read(params (string Name, string Value)[] variables) =>
        PropagationSettings.FromEnvironment(EnvironmentSource.FromDictionary(variables.ToDictionary(v => v.Name, v => (string?)v.Value)));

    [Fact]
    public void Defaults_AreDatadogTraceContextBaggage()
    {
        var settings = Read();

        Assert.Equal([DatadogPropagationStyle.Datadog, DatadogPropagationStyle.TraceContext, DatadogPropagationStyle.Baggage], settings.ExtractStyles);
        Assert.Equal(settings.ExtractStyles, settings.InjectStyles);
        Assert.False(settings.ExtractFirst);
        Assert.Equal(DatadogPropagationBehavior.Continue, settings.ExtractBehavior);
        Assert.Equal(512, settings.XDatadogTagsMaxLength);
    }

    [Fact]
    public void PropagationStyle_SetsBothDirections_CaseInsensitive()
    {
        var settings = Read(("DD_TRACE_PROPAGATION_STYLE", " TraceContext , B3MULTI,b3 single header,XRay,baggage "));

        DatadogPropagationStyle[] expected = [DatadogPropagationStyle.TraceContext, DatadogPropagationStyle.B3Multi, DatadogPropagationStyle.B3SingleHeader, DatadogPropagationStyle.XRay, DatadogPropagationStyle.Baggage];
        Assert.Equal(expected, settings.ExtractStyles);
        Assert.Equal(expected, settings.InjectStyles);
    }

    [Fact]
    public void DirectionalSettings_OverrideTheCommonOne()
    {
        var settings = Read(
            ("DD_TRACE_PROPAGATION_STYLE", "datadog"),
            ("DD_TRACE_PROPAGATION_STYLE_EXTRACT", "tracecontext"),
            ("DD_TRACE_PROPAGATION_STYLE_INJECT", "b3"));

        Assert.Equal([DatadogPropagationStyle.TraceContext], settings.ExtractStyles);
        Assert.Equal([DatadogPropagationStyle.B3SingleHeader], settings.InjectStyles);
    }

    [Fact]
    public void LegacyDirectionalNames_AreHonoured()
    {
        var settings = Read(("DD_PROPAGATION_STYLE_EXTRACT", "b3multi"), ("DD_PROPAGATION_STYLE_INJECT", "xray"));

        Assert.Equal([DatadogPropagationStyle.B3Multi], settings.ExtractStyles);
        Assert.Equal([DatadogPropagationStyle.XRay], settings.InjectStyles);
    }

    [Fact]
    public void OtelPropagators_IsTheLowestPriorityAlias()
    {
        Assert.Equal(
            [DatadogPropagationStyle.Datadog, DatadogPropagationStyle.XRay, DatadogPropagationStyle.B3SingleHeader],
            Read(("OTEL_PROPAGATORS", "datadog,xray,b3,jaeger")).ExtractStyles);
        Assert.Equal(
            [DatadogPropagationStyle.TraceContext],
            Read(("OTEL_PROPAGATORS", "xray"), ("DD_TRACE_PROPAGATION_STYLE", "tracecontext")).InjectStyles);
    }

    [Fact]
    public void None_GivesNoStyles()
    {
        var settings = Read(("DD_TRACE_PROPAGATION_STYLE", "none"));

        Assert.Empty(settings.ExtractStyles);
        Assert.Empty(settings.InjectStyles);
    }

    [Fact]
    public void UnknownNames_AreIgnored_AndAListOfOnlyUnknownNamesFallsThrough()
    {
        Assert.Equal([DatadogPropagationStyle.Datadog], Read(("DD_TRACE_PROPAGATION_STYLE", "foo,datadog,bar")).ExtractStyles);
        Assert.Equal([DatadogPropagationStyle.XRay], Read(("DD_TRACE_PROPAGATION_STYLE_EXTRACT", "foo"), ("DD_TRACE_PROPAGATION_STYLE", "xray")).ExtractStyles);
        Assert.Equal(PropagationSettings.DefaultStyles, Read(("DD_TRACE_PROPAGATION_STYLE", "w3c-ish")).InjectStyles);
    }

    [Fact]
    public void DuplicatesAreRemoved()
    {
        Assert.Equal([DatadogPropagationStyle.Datadog], Read(("DD_TRACE_PROPAGATION_STYLE", "datadog,DATADOG")).ExtractStyles);
    }

    [Theory]
    [InlineData("continue", DatadogPropagationBehavior.Continue)]
    [InlineData("Restart", DatadogPropagationBehavior.Restart)]
    [InlineData("IGNORE", DatadogPropagationBehavior.Ignore)]
    [InlineData("stop", DatadogPropagationBehavior.Continue)]
    public void BehaviorExtract(string value, DatadogPropagationBehavior expected)
    {
        Assert.Equal(expected, Read(("DD_TRACE_PROPAGATION_BEHAVIOR_EXTRACT", value)).ExtractBehavior);
    }

    [Fact]
    public void ExtractFirstAndTagsLength()
    {
        var settings = Read(("DD_TRACE_PROPAGATION_EXTRACT_FIRST", "true"), ("DD_TRACE_X_DATADOG_TAGS_MAX_LENGTH", "0"));

        Assert.True(settings.ExtractFirst);
        Assert.Equal(0, settings.XDatadogTagsMaxLength);
        Assert.Equal(512, Read(("DD_TRACE_X_DATADOG_TAGS_MAX_LENGTH", "-3")).XDatadogTagsMaxLength);
    }

    [Fact]
    public void CreatePropagator_UsesTheSettings()
    {
        var propagator = Read(
            ("DD_TRACE_PROPAGATION_STYLE", "tracecontext,datadog"),
            ("DD_TRACE_PROPAGATION_EXTRACT_FIRST", "true"),
            ("DD_TRACE_X_DATADOG_TAGS_MAX_LENGTH", "0")).CreatePropagator();
        var headers = Headers.Of(
            ("traceparent", "00-00000000000000000000000000000005-000000003ade68b1-01"),
            ("x-datadog-trace-id", "6"),
            ("x-datadog-tags", "_dd.p.dm=-4"));

        var extracted = propagator.ExtractDetailed(headers, Headers.Getter);
        var injected = Ctx.Inject(propagator, Ctx.Create(0, 6, 7, "dd=s:1;t.dm:-4"));

        Assert.Equal(5UL, Ctx.Lower(extracted.Parent));
        Assert.Empty(extracted.Links);
        Assert.Null(injected["x-datadog-tags"]);
        Assert.NotNull(injected["traceparent"]);
        Assert.Null(injected["baggage"]);
    }
}

// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Propagation;

/// <summary>
/// AWS X-Ray's <c>X-Amzn-Trace-Id</c> header (<c>Root=1-{8 hex}-{24 hex};Parent={16 hex};Sampled={0|1}</c>), with
/// OpenTelemetry's id mapping: the 128-bit trace id is the 8 epoch digits followed by the 24 others, so a Datadog
/// trace written into X-Ray as <c>Root=1-{epoch}-00000000{16 hex}</c> keeps its Datadog id in the lower 64 bits.
/// Fields may come in any order and others (such as <c>Lineage</c>) are ignored; Root and Parent are required;
/// <c>Sampled=?</c> or no Sampled leaves the sampling decision open. Injection writes
/// <c>Root=1-{first 8 hex}-{last 24 hex};Parent={span id};Sampled={0|1}</c>.
/// </summary>
public sealed class XRayPropagator : DatadogStylePropagator
{
    /// <summary>Initializes a new instance of the <see cref="XRayPropagator"/> class.</summary>
    public XRayPropagator()
        : base(TraceHeaderFormat.For(DatadogPropagationStyle.XRay)!)
    {
    }
}

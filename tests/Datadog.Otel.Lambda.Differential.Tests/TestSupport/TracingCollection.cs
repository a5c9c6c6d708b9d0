// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Differential.Tests;

/// <summary>Tests that build tracer providers run one at a time: every provider listens to the same activity source.</summary>
[CollectionDefinition("Tracing", DisableParallelization = true)]
public sealed class TracingCollection
{
}

// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Runtime.Internal;

namespace Datadog.Otel.Lambda.Differential.Tests.Interop.StandIns;

/// <summary>A service's metadata as its generated client gives it: the service id of its model (<c>SNS</c>, <c>Kinesis</c> …).</summary>
internal sealed class StandInMetadata(string serviceId) : IServiceMetadata
{
    public string ServiceId { get; } = serviceId;

    public IDictionary<string, string> OperationNameMapping { get; } = new Dictionary<string, string>();
}

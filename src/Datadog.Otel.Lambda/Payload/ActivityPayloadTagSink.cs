// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;

namespace Datadog.Otel.Lambda.Payload;

/// <summary>Writes payload tags onto an <see cref="Activity"/> (nothing when the activity is null).</summary>
internal readonly struct ActivityPayloadTagSink(Activity? activity) : IPayloadTagSink
{
    public void SetTag(string key, string value) => activity?.SetTag(key, value);
}

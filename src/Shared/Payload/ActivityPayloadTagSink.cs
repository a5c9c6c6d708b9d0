// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;

namespace Datadog.Otel.Lambda.Payload;

/// <summary>Writes payload tags onto an <see cref="Activity"/> (nothing when the activity is null).</summary>
internal readonly struct ActivityPayloadTagSink(Activity? activity) : IPayloadTagSink
{
    // Payload keys are unique within a payload: AddTag appends without searching the span's tags for the key.
    public void SetTag(string key, string value) => activity?.AddTag(key, value);
}

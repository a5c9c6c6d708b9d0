// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Payload;

/// <summary>
/// Receives the tags a payload tagger produces. Generic callers pass a struct sink (see
/// <see cref="ActivityPayloadTagSink"/>), so no delegate or boxing is involved per tag.
/// </summary>
/// <remarks>
/// Values are never null: <see cref="System.Diagnostics.Activity.SetTag"/> with a null value removes the tag,
/// so a JSON null is written as the text <c>null</c> (Node's form).
/// </remarks>
internal interface IPayloadTagSink
{
    void SetTag(string key, string value);
}

// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;

namespace Datadog.Otel.Lambda.Events;

/// <summary>
/// Where one declared member's value is in the event's bytes: a string's text between its quotes (escapes still in it
/// when <see cref="Escaped"/>), a number's or literal's text, or an object's or array's whole text, brackets included.
/// <see cref="Kind"/> is <see cref="JsonTokenType.None"/> when the member is absent.
/// </summary>
internal struct EventField
{
    public int Start;

    public int Length;

    /// <summary>Members of an object or elements of an array the reader walked into; -1 when it skipped over it.</summary>
    public int Count;

    public JsonTokenType Kind;

    public bool Escaped;
}

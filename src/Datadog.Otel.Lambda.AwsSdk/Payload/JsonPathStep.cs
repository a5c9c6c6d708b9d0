// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.AwsSdk.Payload;

/// <summary>
/// One step of a compiled JSONPath: a child (<c>.name</c>, <c>['name']</c>, <c>[n]</c>, <c>.*</c>, <c>[*]</c>) or, with
/// <see cref="Descendant"/>, the same selector after any number of levels (<c>..</c>).
/// </summary>
internal readonly struct JsonPathStep
{
    public JsonPathStep(bool descendant, string? name)
    {
        Descendant = descendant;
        Name = name;
        Index = name is not null && IsCanonicalIndex(name, out var index) ? index : -1;
    }

    /// <summary>Reached through <c>..</c>: matches at any depth below the previous step.</summary>
    public bool Descendant { get; }

    /// <summary>The member name or index text; null for the wildcard.</summary>
    public string? Name { get; }

    /// <summary>The array index this step selects (<c>[0]</c>, <c>.0</c> or <c>['0']</c>), or -1.</summary>
    public int Index { get; }

    /// <summary>
    /// A wildcard matches any member or element. A name matches a member of that name or, when it is a decimal
    /// without leading zeros, the element at that index: JSONPath as JavaScript evaluates it, where <c>.0</c>
    /// and <c>[0]</c> are the same property (the doc example <c>$.Attributes.0.Pass</c> relies on it).
    /// </summary>
    public bool Matches(string? memberName, int elementIndex) =>
        Name is null || (memberName is not null ? string.Equals(memberName, Name, StringComparison.Ordinal) : elementIndex == Index);

    private static bool IsCanonicalIndex(string text, out int index)
    {
        index = -1;
        if (text.Length is 0 or > 10 || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index);
    }
}

// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Datadog.Otel.Lambda.AwsSdk.Payload;

/// <summary>
/// A JSONPath from the subset payload redaction needs, compiled once into steps matched against the key path
/// of the value being tagged (a small NFA: no re-parsing and no tree search per payload).
/// </summary>
/// <remarks>
/// <para>Grammar: <c>$</c> followed by any of <c>.name</c>, <c>.*</c>, <c>..name</c>, <c>..*</c>, <c>[n]</c>,
/// <c>[*]</c>, <c>['name']</c>, <c>["name"]</c>, <c>[name]</c> (a bare name, read as quoted, as dd-trace-py does),
/// and a bracket after <c>.</c> or <c>..</c> (<c>$..Entries.[*].Id</c>, which jsonpath-ng accepts). Names are
/// letters, digits, <c>_</c>, <c>-</c> and <c>@</c>; anything else goes in quotes (<c>['f.our']</c>).</para>
/// <para>Not supported, and refused when compiling: filters, slices, unions, negative indexes, functions.</para>
/// <para><c>$</c> alone compiles and matches nothing: the root has no parent to be redacted in (both libraries).</para>
/// </remarks>
internal sealed class JsonPathPattern
{
    /// <summary>Steps per path; the NFA state is one bit per step (plus the final state) in a <see cref="ulong"/>.</summary>
    public const int MaxSteps = 63;

    private readonly JsonPathStep[] steps;
    private readonly ulong finalState;

    private JsonPathPattern(string text, JsonPathStep[] steps)
    {
        Text = text;
        this.steps = steps;
        finalState = 1UL << steps.Length;
    }

    public string Text { get; }

    public int StepCount => steps.Length;

    /// <summary>The state before any key: only the start state is live.</summary>
    public static ulong Start => 1UL;

    public static bool TryParse(string? text, [NotNullWhen(true)] out JsonPathPattern? pattern, [NotNullWhen(false)] out string? error)
    {
        pattern = null;
        var path = (text ?? string.Empty).Trim();
        if (path.Length == 0 || path[0] != '$')
        {
            error = "a JSONPath must start with '$'";
            return false;
        }

        var steps = new List<JsonPathStep>();
        var i = 1;
        while (i < path.Length)
        {
            bool descendant;
            if (path[i] == '[')
            {
                descendant = false;
            }
            else if (path[i] == '.')
            {
                descendant = i + 1 < path.Length && path[i + 1] == '.';
                i += descendant ? 2 : 1;
                if (i >= path.Length)
                {
                    error = "the path ends with '.'";
                    return false;
                }
            }
            else
            {
                error = $"unexpected '{path[i]}' at position {i}";
                return false;
            }

            string? name;
            if (path[i] == '[')
            {
                if (!TryParseBracket(path, ref i, out name, out error))
                {
                    return false;
                }
            }
            else if (path[i] == '*')
            {
                name = null;
                i++;
            }
            else
            {
                var start = i;
                while (i < path.Length && IsNameChar(path[i]))
                {
                    i++;
                }

                if (i == start)
                {
                    error = $"unexpected '{path[i]}' at position {i}";
                    return false;
                }

                name = path[start..i];
            }

            if (steps.Count == MaxSteps)
            {
                error = $"more than {MaxSteps} steps";
                return false;
            }

            steps.Add(new JsonPathStep(descendant, name));
        }

        pattern = new JsonPathPattern(path, [.. steps]);
        error = null;
        return true;
    }

    /// <summary>
    /// The states after one more key (a member name, or an element index when <paramref name="memberName"/> is null).
    /// A descendant step stays live on any key (it may match further down); a step moves on when its selector matches.
    /// </summary>
    public ulong Advance(ulong states, string? memberName, int elementIndex)
    {
        var next = 0UL;
        var live = states & (finalState - 1);
        while (live != 0)
        {
            var i = System.Numerics.BitOperations.TrailingZeroCount(live);
            live &= live - 1;
            var step = steps[i];
            if (step.Descendant)
            {
                next |= 1UL << i;
            }

            if (step.Matches(memberName, elementIndex))
            {
                next |= 1UL << (i + 1);
            }
        }

        return next;
    }

    /// <summary>Whether the states include the final one: the key just added is selected by the path.</summary>
    public bool IsMatch(ulong states) => (states & finalState) != 0;

    public override string ToString() => Text;

    private static bool TryParseBracket(string path, ref int i, out string? name, [NotNullWhen(false)] out string? error)
    {
        name = null;
        error = null;
        i++; // '['
        SkipSpaces(path, ref i);
        if (i >= path.Length)
        {
            error = "unterminated '['";
            return false;
        }

        var c = path[i];
        if (c == '*')
        {
            i++;
        }
        else if (c is '\'' or '"')
        {
            if (!TryParseQuoted(path, ref i, out name, out error))
            {
                return false;
            }
        }
        else if (c is >= '0' and <= '9')
        {
            var start = i;
            while (i < path.Length && path[i] is >= '0' and <= '9')
            {
                i++;
            }

            if (!int.TryParse(path.AsSpan(start, i - start), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index))
            {
                error = "array index out of range";
                return false;
            }

            name = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (char.IsLetter(c) || c is '_' or '@')
        {
            // A bare name (dd-trace-py reads "[Token]" as "['Token']"); it must not start like a number or a sign.
            var start = i;
            while (i < path.Length && IsNameChar(path[i]))
            {
                i++;
            }

            name = path[start..i];
        }
        else
        {
            error = $"unsupported selector '{c}' at position {i} (filters, slices and negative indexes are not supported)";
            return false;
        }

        SkipSpaces(path, ref i);
        if (i >= path.Length || path[i] != ']')
        {
            error = $"expected ']' at position {i} (unions and slices are not supported)";
            return false;
        }

        i++;
        return true;
    }

    private static bool TryParseQuoted(string path, ref int i, out string? name, [NotNullWhen(false)] out string? error)
    {
        var quote = path[i++];
        var builder = new StringBuilder();
        while (i < path.Length)
        {
            var c = path[i++];
            if (c == quote)
            {
                name = builder.ToString();
                error = null;
                return true;
            }

            if (c == '\\')
            {
                if (i >= path.Length)
                {
                    break;
                }

                c = path[i++];
            }

            builder.Append(c);
        }

        name = null;
        error = "unterminated quoted name";
        return false;
    }

    private static void SkipSpaces(string path, ref int i)
    {
        while (i < path.Length && path[i] == ' ')
        {
            i++;
        }
    }

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '@';
}

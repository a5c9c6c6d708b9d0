// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Globalization;

namespace Datadog.Otel.Lambda.Internal;

/// <summary>Reads the sampling priority (<c>s:</c>) of the <c>dd</c> member of a W3C trace state without allocating.</summary>
internal static class TraceStatePriority
{
    public static bool TryGet(string? traceState, out int priority)
    {
        priority = 0;
        if (string.IsNullOrEmpty(traceState))
        {
            return false;
        }

        var remaining = traceState.AsSpan();
        while (!remaining.IsEmpty)
        {
            var comma = remaining.IndexOf(',');
            var member = (comma < 0 ? remaining : remaining[..comma]).Trim();
            remaining = comma < 0 ? default : remaining[(comma + 1)..];
            if (!member.StartsWith("dd=", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = member[3..];
            while (!fields.IsEmpty)
            {
                var semicolon = fields.IndexOf(';');
                var field = semicolon < 0 ? fields : fields[..semicolon];
                fields = semicolon < 0 ? default : fields[(semicolon + 1)..];
                if (field.StartsWith("s:", StringComparison.Ordinal))
                {
                    return int.TryParse(field[2..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out priority);
                }
            }

            return false;
        }

        return false;
    }
}

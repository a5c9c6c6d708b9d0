// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;

namespace Datadog.Otel.Lambda.SpanPointers;

/// <summary>Builds the span link that carries a span pointer.</summary>
internal static class SpanPointerLink
{
    /// <summary>
    /// A link with zero trace and span ids (the pointer names data, not a span) and the four pointer attributes.
    /// </summary>
    public static ActivityLink Create(string kind, string direction, string hash)
    {
        var tags = new ActivityTagsCollection
        {
            { SpanPointerAttributes.Kind, kind },
            { SpanPointerAttributes.Direction, direction },
            { SpanPointerAttributes.Hash, hash },
            { SpanPointerAttributes.LinkKind, SpanPointerAttributes.LinkKindSpanPointer },
        };
        return new ActivityLink(default, tags);
    }
}

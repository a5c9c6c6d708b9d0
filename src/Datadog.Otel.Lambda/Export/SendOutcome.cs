// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Export;

/// <summary>How one export request ended.</summary>
internal enum SendOutcome
{
    /// <summary>The endpoint accepted the spans.</summary>
    Accepted,

    /// <summary>
    /// The spans are gone: the endpoint answered with an error (it received and rejected them), or the request failed
    /// in a way a retry within this invocation would not mend (nothing listening, no answer within the exporter's
    /// timeout, not HTTP). Reported by the sender.
    /// </summary>
    Failed,

    /// <summary>
    /// The caller's token (its invocation's deadline) fired before the endpoint answered: the spans may go in a later
    /// request. Not reported by the sender; the caller knows what becomes of them.
    /// </summary>
    Cancelled,
}

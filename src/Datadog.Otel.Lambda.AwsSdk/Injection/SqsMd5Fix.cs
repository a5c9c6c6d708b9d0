// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.AwsSdk.Injection;

/// <summary>
/// For a message that had attributes of its own and got <c>_datadog</c>: the attribute MD5 the service returns for what
/// was sent, and the MD5 of the user's attributes, which is what AWSSDK.SQS checks it against (from the typed request).
/// <see cref="EntryId"/> is the batch entry's id (null for SendMessage).
/// </summary>
internal sealed record SqsMd5Fix(string? EntryId, string Sent, string Expected);

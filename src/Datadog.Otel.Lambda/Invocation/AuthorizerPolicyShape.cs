// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.Json;
using Datadog.Otel.Lambda.Triggers;

namespace Datadog.Otel.Lambda.Invocation;

/// <summary>
/// Finds where <c>_datadog</c> goes in an authorizer's JSON response, and only when the response is exactly the IAM-policy
/// shape API Gateway accepts: an object with a non-empty string <c>principalId</c>, a non-empty object
/// <c>policyDocument</c>, and a <c>context</c> that is absent or an object of values API Gateway accepts for this
/// authorizer, without a <c>_datadog</c> of its own. Anything else (a string, array or null <c>context</c>, nested values
/// where they are not accepted, duplicate keys, text that is not one JSON object) is not a place to add to: the
/// response goes back as the handler wrote it. Datadog's libraries differ here: Python assigns into whatever
/// <c>context</c> is and gives up on an exception (so a string or array survives, a <c>_datadog</c> of the user's is
/// overwritten); Node.js replaces a missing or null one.
/// </summary>
internal static class AuthorizerPolicyShape
{
    /// <summary>Where to insert, and what.</summary>
    /// <param name="Offset">Byte offset of the insertion: before the closing brace of <c>context</c>, or of the response.</param>
    /// <param name="NeedsComma">Whether the insertion follows a member and needs a leading comma.</param>
    /// <param name="NeedsContext">Whether the response has no <c>context</c> and one is inserted.</param>
    internal readonly record struct Insertion(int Offset, bool NeedsComma, bool NeedsContext);

    /// <summary>Reads <paramref name="utf8"/> once; true with the insertion point when the response has the accepted shape.</summary>
    public static bool TryFind(ReadOnlySpan<byte> utf8, AuthorizerEventKind kind, out Insertion insertion)
    {
        insertion = default;
        try
        {
            return TryFindCore(utf8, kind, out insertion);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryFindCore(ReadOnlySpan<byte> utf8, AuthorizerEventKind kind, out Insertion insertion)
    {
        insertion = default;
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool principal = false, policy = false, context = false;
        var members = 0;
        var contextEnd = -1;
        var contextMembers = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            members++;

            // ValueTextEquals compares the unescaped name: "principal\u0049d" is the same member to API Gateway.
            var member = reader.ValueTextEquals("principalId"u8) ? Member.Principal
                : reader.ValueTextEquals("policyDocument"u8) ? Member.Policy
                : reader.ValueTextEquals("context"u8) ? Member.Context
                : Member.Other;
            reader.Read();
            switch (member)
            {
                case Member.Principal:
                    if (principal || reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length == 0)
                    {
                        return false;
                    }

                    principal = true;
                    break;
                case Member.Policy:
                    if (policy || reader.TokenType != JsonTokenType.StartObject || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
                    {
                        return false;
                    }

                    policy = true;
                    SkipMembers(ref reader);
                    break;
                case Member.Context:
                    if (context || reader.TokenType != JsonTokenType.StartObject || !TryReadContext(ref reader, kind, out contextMembers))
                    {
                        return false;
                    }

                    context = true;
                    contextEnd = (int)reader.TokenStartIndex;
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || !principal || !policy)
        {
            return false;
        }

        var responseEnd = (int)reader.TokenStartIndex;

        // One JSON value and nothing after it but whitespace.
        if (reader.Read())
        {
            return false;
        }

        insertion = context
            ? new Insertion(contextEnd, contextMembers > 0, NeedsContext: false)
            : new Insertion(responseEnd, members > 0, NeedsContext: true);
        return true;
    }

    /// <summary>Reads a <c>context</c> object to its end: its values must be ones API Gateway accepts, and <c>_datadog</c> absent.</summary>
    private static bool TryReadContext(ref Utf8JsonReader reader, AuthorizerEventKind kind, out int members)
    {
        members = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            members++;
            if (reader.ValueTextEquals("_datadog"u8))
            {
                return false;
            }

            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray when kind == AuthorizerEventKind.RouteArn:
                    reader.Skip();
                    break;
                default:
                    return false;
            }
        }

        return reader.TokenType == JsonTokenType.EndObject;
    }

    /// <summary>From the first property name of an object to its closing brace.</summary>
    private static void SkipMembers(ref Utf8JsonReader reader)
    {
        while (reader.TokenType == JsonTokenType.PropertyName)
        {
            reader.Read();
            reader.Skip();
            reader.Read();
        }
    }

    private enum Member
    {
        Other,
        Principal,
        Policy,
        Context,
    }
}

// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Payload;

/// <summary>
/// The names whose values are secrets, wherever they appear: JSON keys at any depth (inside JSON held in strings too),
/// query-string and form keys, <c>name: value</c> text. A name is compared after <see cref="Normalize"/> (ASCII letters
/// lowercased; <c>-</c>, <c>_</c> and spaces dropped), so <c>access_token</c>, <c>Access-Token</c> and
/// <c>accessToken</c> are one name. It is sensitive when it contains one of <see cref="Fragments"/> or equals one of
/// <see cref="Names"/>. docs/security.md lists both; <see cref="RedactionRules"/> adds the user's own names.
/// </summary>
/// <remarks>
/// The lists cover Datadog's four (<c>authorization</c>, <c>x-authorization</c>, <c>password</c>, <c>token</c>), the
/// design's HTTP credentials (<c>cookie</c>, <c>set-cookie</c>, <c>x-api-key</c>, <c>x-amz-security-token</c>), and
/// the fields of AWS's own event shapes that carry credentials: the TOKEN authorizer's <c>authorizationToken</c>, the
/// HTTP API authorizer's <c>identitySource</c>, <c>requestContext.identity.apiKey</c> and <c>accessKey</c>, HTTP API and
/// function URL <c>cookies</c>, the IAM authorizer's <c>accessKey</c>, ALB OIDC's <c>x-amzn-oidc-accesstoken</c>,
/// Cognito triggers' <c>password</c>, <c>challengeAnswer</c> and <c>privateChallengeParameters</c>, IoT custom
/// authorizers' <c>token</c> and <c>password</c>, presigned URLs' <c>X-Amz-Signature</c>, <c>X-Amz-Credential</c> and
/// <c>X-Amz-Security-Token</c> (a CloudFormation custom resource's <c>ResponseURL</c>), and the common OAuth and API key
/// names (<c>access_token</c>, <c>refresh_token</c>, <c>id_token</c>, <c>client_secret</c>, <c>api_key</c>,
/// <c>secret</c>, <c>Proxy-Authorization</c>, <c>X-Auth-Token</c>, session ids). Names that merely contain a fragment
/// are redacted too (<c>nextToken</c>, <c>inputTokens</c>, <c>secretArn</c>, <c>SignatureVersion</c>): a value hidden
/// by mistake costs a tag, a secret shown by mistake costs a credential.
/// </remarks>
internal static class SensitiveKeys
{
    /// <summary>A name containing one of these (after normalization) is sensitive.</summary>
    public static readonly string[] Fragments =
    [
        "password", "passwd", "passphrase", "secret", "token", "apikey", "accesskey", "privatekey", "credential",
        "authorization", "cookie", "signature", "sessionid", "sessid",
    ];

    /// <summary>A name equal to one of these (after normalization) is sensitive.</summary>
    public static readonly string[] Names =
    [
        "auth", "pass", "pwd", "pin", "otp", "totp", "jwt", "sid", "identitysource", "challengeanswer",
        "privatechallengeparameters", "mfacode",
    ];

    /// <summary>Names longer than this are normalized on the heap (no real key is this long).</summary>
    private const int StackLimit = 256;

    public static bool IsSensitive(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        Span<char> buffer = name.Length <= StackLimit ? stackalloc char[name.Length] : new char[name.Length];
        var normalized = Normalize(name, buffer);
        foreach (var fragment in Fragments)
        {
            if (normalized.Length >= fragment.Length && normalized.IndexOf(fragment, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        foreach (var exact in Names)
        {
            if (normalized.SequenceEqual(exact))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Lambda payload capture checks the last dot-separated segment of the key (so <c>a.token</c> is sensitive, as in
    /// both libraries, whose keys are not escaped).
    /// </summary>
    public static bool IsSensitiveLastSegment(ReadOnlySpan<char> name)
    {
        var dot = name.LastIndexOf('.');
        return IsSensitive(dot < 0 ? name : name[(dot + 1)..]);
    }

    /// <summary>
    /// Letters lowercased (any letter with a one-character lowercase form, as Python's <c>lower()</c> maps the Kelvin sign
    /// to <c>k</c>), <c>-</c>, <c>_</c> and spaces dropped; written to <paramref name="destination"/>.
    /// </summary>
    public static ReadOnlySpan<char> Normalize(ReadOnlySpan<char> name, Span<char> destination)
    {
        var length = 0;
        foreach (var c in name)
        {
            switch (c)
            {
                case '-' or '_' or ' ':
                    continue;
                case >= 'A' and <= 'Z':
                    destination[length++] = (char)(c + ('a' - 'A'));
                    break;
                case < (char)0x80:
                    destination[length++] = c;
                    break;
                default:
                    destination[length++] = char.ToLowerInvariant(c);
                    break;
            }
        }

        return destination[..length];
    }
}

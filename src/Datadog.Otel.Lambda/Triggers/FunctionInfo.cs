// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.Triggers;

/// <summary>
/// The function's identity derived from the invoked ARN and names: the same for every invocation of a function, so it
/// is computed once and reused while the ARN stays the same (invocations through an alias and the bare function have
/// different ARNs, and alternate between two cached values at most).
/// </summary>
internal sealed class FunctionInfo
{
    private FunctionInfo(string? invokedArn, string functionName)
    {
        this.InvokedArn = invokedArn;
        this.FunctionName = functionName;
        this.FunctionNameLower = functionName.ToLowerInvariant();
        if (string.IsNullOrEmpty(invokedArn))
        {
            return;
        }

        // arn:partition:lambda:region:account:function:name[:qualifier]
        var parts = invokedArn.Split(':');
        this.Partition = parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null;
        this.Region = parts.Length > 3 && parts[3].Length > 0 ? parts[3] : null;
        this.AccountId = parts.Length > 4 && parts[4].Length > 0 ? parts[4] : null;
        this.Qualifier = parts.Length > 7 && parts[7].Length > 0 ? parts[7] : null;
        this.FunctionVersionTag = this.Qualifier?.ToLowerInvariant() ?? "$LATEST";
        var unqualified = parts.Length > 7 ? string.Join(':', parts, 0, 7) : invokedArn;
        this.UnqualifiedArn = unqualified;
        this.FunctionArnTag = unqualified.ToLowerInvariant();
    }

    public string? InvokedArn { get; }

    public string FunctionName { get; }

    public string FunctionNameLower { get; }

    /// <summary>Gets the lowercased ARN without its qualifier, Datadog's <c>function_arn</c> tag.</summary>
    public string? FunctionArnTag { get; }

    public string? UnqualifiedArn { get; }

    public string? Partition { get; }

    public string? Region { get; }

    public string? AccountId { get; }

    /// <summary>Gets the version or alias the function was invoked with, if any, as given (aliases are case-sensitive ARN parts).</summary>
    public string? Qualifier { get; }

    /// <summary>
    /// Gets Datadog's <c>function_version</c> tag: the qualifier lowercased (both libraries split the lowercased ARN, so
    /// <c>Prod</c> is <c>prod</c> and <c>$LATEST</c> is <c>$latest</c>), or <c>$LATEST</c> when the ARN has none.
    /// </summary>
    public string FunctionVersionTag { get; } = "$LATEST";

    /// <summary>Gets the tags <c>aws.lambda</c> starts with (the ones samplers and the extension read), made once per function.</summary>
    public KeyValuePair<string, object?>[] LambdaStartTags { get; internal set; } = [];

    public static FunctionInfo Create(string? invokedArn, string functionName) => new(invokedArn, functionName);

    public bool Matches(string? invokedArn, string functionName) =>
        string.Equals(this.InvokedArn, invokedArn, StringComparison.Ordinal) && string.Equals(this.FunctionName, functionName, StringComparison.Ordinal);
}

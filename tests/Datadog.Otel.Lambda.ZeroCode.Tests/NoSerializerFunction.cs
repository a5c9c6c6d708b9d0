// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

namespace Datadog.Otel.Lambda.ZeroCode.Tests;

/// <summary>A handler in an assembly without [assembly: LambdaSerializer]: its string event needs a serializer it has not.</summary>
public class NoSerializerFunction
{
    public string Handle(string text) => text;
}

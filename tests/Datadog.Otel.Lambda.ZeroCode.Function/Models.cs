// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Lambda.Core;
using Amazon.Lambda.Serialization.SystemTextJson;

// The function's serializer, for every handler without one of its own (the usual set-up of a class-library function).
[assembly: LambdaSerializer(typeof(DefaultLambdaJsonSerializer))]

namespace ZeroCodeFunction;

public sealed class Order
{
    public int Id { get; set; }

    public string? Item { get; set; }

    public int Quantity { get; set; }
}

public sealed class Receipt
{
    public int OrderId { get; set; }

    public string? Status { get; set; }

    public string? RequestId { get; set; }
}

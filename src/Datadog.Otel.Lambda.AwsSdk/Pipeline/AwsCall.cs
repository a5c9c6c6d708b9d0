// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Amazon.Runtime.Internal;
using Datadog.Otel.Lambda.AwsSdk.Services;

namespace Datadog.Otel.Lambda.AwsSdk.Pipeline;

/// <summary>One marshalled AWS call: the service, the operation name (<c>SendMessage</c>), the request and its JSON body (if any).</summary>
internal readonly record struct AwsCall(AwsServiceInfo Service, string Operation, IRequest Request, byte[]? Json);

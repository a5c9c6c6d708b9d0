// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Diagnostics;
using OpenTelemetry;

namespace Datadog.Otel.Lambda.Tests.TestSupport;

/// <summary>
/// An exporter that adds what it is given to a list the test holds (locked, since exports run on other threads): behind
/// a batch processor it shows what a flush made it export, and when.
/// </summary>
internal sealed class ListExporter(List<Activity> target) : BaseExporter<Activity>
{
    public override ExportResult Export(in Batch<Activity> batch)
    {
        lock (target)
        {
            foreach (var activity in batch)
            {
                target.Add(activity);
            }
        }

        return ExportResult.Success;
    }
}

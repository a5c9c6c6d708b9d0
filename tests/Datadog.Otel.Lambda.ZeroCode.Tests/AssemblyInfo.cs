// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

// The redirect reads its configuration from the process environment, as it does in Lambda: tests that set it run one
// at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

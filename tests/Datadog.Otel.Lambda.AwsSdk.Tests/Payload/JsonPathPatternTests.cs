// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.AwsSdk.Payload;
using Datadog.Otel.Lambda.Payload;

namespace Datadog.Otel.Lambda.AwsSdk.Tests.Payload;

public class JsonPathPatternTests
{
    [Theory]
    [InlineData("$")]
    [InlineData("$..bucket")]
    [InlineData("$..HTTPHeaders.*")]
    [InlineData("$.Metadata.UserId")]
    [InlineData("$.Attributes.0.Pass")]
    [InlineData("$..PublishBatchRequestEntries.[*].Message")]
    [InlineData("$..PublishBatchRequestEntries[*].Id")]
    [InlineData("$['weird.[key]']")]
    [InlineData("$[\"double\"]['single \\' quote']")]
    [InlineData("$[Token]")]
    [InlineData("$[ 0 ][ * ]")]
    [InlineData("$..*")]
    [InlineData("$..[*]")]
    [InlineData("$..['a']")]
    [InlineData("$.x-amz-meta.@type._id")]
    [InlineData("$.名前")]
    [InlineData("  $.trimmed  ")]
    public void Compiles(string path)
    {
        Assert.True(JsonPathPattern.TryParse(path, out var pattern, out var error), error);
        Assert.Equal(path.Trim(), pattern.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("non_json_path")]
    [InlineData("$..Attr ibutes.PlatformCredential")]
    [InlineData("$..[")]
    [InlineData("$..)bad(")]
    [InlineData("$..foo[")]
    [InlineData("$.")]
    [InlineData("$..")]
    [InlineData("$.a.")]
    [InlineData("$[-1]")]
    [InlineData("$[0:2]")]
    [InlineData("$['a','b']")]
    [InlineData("$[a,b]")]
    [InlineData("$..[?(@.token)]")]
    [InlineData("$['unterminated]")]
    [InlineData("$[99999999999]")]
    [InlineData("$x")]
    [InlineData("$.a..")]
    public void Refuses(string path)
    {
        Assert.False(JsonPathPattern.TryParse(path, out var pattern, out var error));
        Assert.Null(pattern);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void RefusesMoreThanTheStepLimit()
    {
        Assert.True(JsonPathPattern.TryParse("$" + string.Concat(Enumerable.Repeat(".a", JsonPathPattern.MaxSteps)), out _, out _));
        Assert.False(JsonPathPattern.TryParse("$" + string.Concat(Enumerable.Repeat(".a", JsonPathPattern.MaxSteps + 1)), out _, out _));
    }

    [Fact]
    public void EveryDefaultPathCompiles()
    {
        foreach (var service in new[] { "sns", "eventbridge", "s3", "sqs", "kinesis", "dynamodb" })
        {
            foreach (var direction in new[] { AwsPayloadDirection.Request, AwsPayloadDirection.Response })
            {
                foreach (var path in AwsPayloadRedactionDefaults.For(service, direction))
                {
                    Assert.True(JsonPathPattern.TryParse(path, out _, out var error), $"{path}: {error}");
                }
            }
        }
    }

    [Theory]
    [InlineData("$.a.b", "a/b", true)]
    [InlineData("$.a.b", "a/b/c", false)] // the match is at a/b; its subtree goes with it
    [InlineData("$.a.b", "x/a/b", false)]
    [InlineData("$..b", "x/y/b", true)]
    [InlineData("$..b", "b", true)]
    [InlineData("$..a.b", "x/a/y/b", false)]
    [InlineData("$..a.b", "x/a/a/b", true)]
    [InlineData("$..a..b", "a/x/y/b", true)]
    [InlineData("$.*.c", "anything/c", true)]
    [InlineData("$.*.c", "#3/c", true)]
    [InlineData("$[*]", "#0", true)]
    [InlineData("$.list[1]", "list/#1", true)]
    [InlineData("$.list[1]", "list/#2", false)]
    [InlineData("$.list.1", "list/#1", true)]
    [InlineData("$.list['1']", "list/#1", true)]
    [InlineData("$.map[1]", "map/1", true)] // index selectors read member names too, as JavaScript does
    [InlineData("$.list.01", "list/#1", false)] // not a canonical index
    [InlineData("$.Case", "case", false)]
    [InlineData("$", "a", false)]
    public void MatchesKeyPaths(string path, string keys, bool expected)
    {
        Assert.True(JsonPathPattern.TryParse(path, out var pattern, out _));
        var state = JsonPathPattern.Start;
        var matched = false;
        foreach (var key in keys.Split('/'))
        {
            if (matched)
            {
                matched = false; // matched above the last key: the last key is not itself a match
            }

            state = key.StartsWith('#') ? pattern.Advance(state, null, int.Parse(key[1..])) : pattern.Advance(state, key, -1);
            matched = pattern.IsMatch(state);
        }

        Assert.Equal(expected, matched);
    }

    [Fact]
    public void SplitsOnTopLevelCommasOnly()
    {
        Assert.Equal(["$.a", "$['b,c']", "$[\"d,\\\"e\"]", " $.f"], AwsPayloadTaggingSettings.SplitPaths("$.a,$['b,c'],$[\"d,\\\"e\"], $.f"));
    }
}

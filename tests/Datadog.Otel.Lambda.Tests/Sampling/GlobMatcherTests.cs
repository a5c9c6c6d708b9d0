// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Sampling;

namespace Datadog.Otel.Lambda.Tests.Sampling;

public class GlobMatcherTests
{
    [Theory]
    [InlineData("*", "", true)]
    [InlineData("*", "anything", true)]
    [InlineData("**", "x", true)]
    [InlineData("cart*", "cart-service", true)]
    [InlineData("cart*", "Cart", true)]
    [InlineData("cart.*", "cart-service", false)]
    [InlineData("cart.*", "cart.api", true)]
    [InlineData("?", "a", true)]
    [InlineData("?", "", false)]
    [InlineData("?", "ab", false)]
    [InlineData("h?llo", "HELLO", true)]
    [InlineData("*.request", "http.request", true)]
    [InlineData("*.request", "http.requests", false)]
    [InlineData("a*b*c", "aXXbYYc", true)]
    [InlineData("a*b*c", "aXXbYY", false)]
    [InlineData("a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("", "", true)]
    [InlineData("", "x", false)]
    [InlineData("sql.query", "sql.query", true)]
    [InlineData("sql.query", "sql.queryx", false)]
    public void Matches(string pattern, string value, bool expected)
    {
        Assert.Equal(expected, new GlobMatcher(pattern).IsMatch(value));
    }

    [Fact]
    public void WildcardsOnly_ForStarsAndQuestionMarksAlone()
    {
        Assert.True(new GlobMatcher("*").WildcardsOnly);
        Assert.True(new GlobMatcher("?*").WildcardsOnly);
        Assert.True(new GlobMatcher("????").WildcardsOnly);
        Assert.False(new GlobMatcher("*a").WildcardsOnly);
        Assert.False(new GlobMatcher("2*").WildcardsOnly);
    }

    [Theory]
    [InlineData("cart.*", "cart-service", true)]
    [InlineData("cart.*", "CART", true)]
    [InlineData("cart", "my-cart", false)]
    [InlineData("a|b", "b", true)]
    public void RegexMatcher_MatchesTheWholeValueIgnoringCase(string pattern, string value, bool expected)
    {
        Assert.Equal(expected, new RegexMatcher(pattern).IsMatch(value));
    }
}

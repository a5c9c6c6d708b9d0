// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.ExtensionEmulator.Mapping;

namespace Datadog.Otel.Lambda.ExtensionEmulator.Tests.Mapping;

/// <summary>Test vectors of libdatadog's normaliser (<c>normalize_utils.rs</c>), which the extension applies.</summary>
public class DatadogNormalizerTests
{
    [Theory]
    [InlineData("#test_starting_hash", "test_starting_hash")]
    [InlineData("TestCAPSandSuch", "testcapsandsuch")]
    [InlineData("Test Conversion Of Weird !@#$%^&**() Characters", "test_conversion_of_weird_characters")]
    [InlineData("$#weird_starting", "weird_starting")]
    [InlineData("allowed:c0l0ns", "allowed:c0l0ns")]
    [InlineData("1love", "love")]
    [InlineData("ünicöde", "ünicöde")]
    [InlineData("ünicöde:metäl", "ünicöde:metäl")]
    [InlineData("Data🐨dog🐶 繋がっ⛰てて", "data_dog_繋がっ_てて")]
    [InlineData(" spaces   ", "spaces")]
    [InlineData(" #hashtag!@#spaces #__<>#  ", "hashtag_spaces")]
    [InlineData(":testing", ":testing")]
    [InlineData("_foo", "foo")]
    [InlineData(":::test", ":::test")]
    [InlineData("contiguous_____underscores", "contiguous_underscores")]
    [InlineData("foo_", "foo")]
    [InlineData("", "")]
    [InlineData(" ", "")]
    [InlineData("™Ö™Ö™™Ö™", "ö_ö_ö")]
    [InlineData("AlsO:ök", "also:ök")]
    [InlineData("___trim", "trim")]
    [InlineData("12.:trim@", ":trim")]
    [InlineData("fun:ky__tag/1", "fun:ky_tag/1")]
    [InlineData("fun:ky@@@tag/3", "fun:ky_tag/3")]
    [InlineData("tag:1/2.3", "tag:1/2.3")]
    [InlineData("---fun:k####y_ta@#g/1_@@#", "fun:k_y_ta_g/1")]
    [InlineData("AlsO:œ#@ö))œk", "also:œ_ö_œk")]
    public void NormalizeTag(string input, string expected)
    {
        Assert.Equal(expected, DatadogNormalizer.NormalizeTag(input));
    }

    [Fact]
    public void NormalizeTag_StopsAt200CharactersAndDropsATrailingIllegalRun()
    {
        Assert.Equal(new string('a', 200), DatadogNormalizer.NormalizeTag(new string('a', 888)));
        Assert.Equal("a", DatadogNormalizer.NormalizeTag("a" + string.Concat(Enumerable.Repeat("🐶", 799))));
        Assert.Equal("a_b", DatadogNormalizer.NormalizeTag("a\uFFFD\uFFFDb"));
    }

    [Theory]
    [InlineData("", "unnamed_operation")]
    [InlineData("good", "good")]
    [InlineData("bad-name", "bad_name")]
    [InlineData("&***", "unnamed_operation")]
    [InlineData("&&&&&&&_test-name-", "test_name")]
    [InlineData("trace-api.request", "trace_api.request")]
    [InlineData("pylons.controller", "pylons.controller")]
    public void NormalizeName(string input, string expected)
    {
        Assert.Equal(expected, DatadogNormalizer.NormalizeName(input));
    }

    [Fact]
    public void NormalizeName_TruncatesTo100Bytes()
    {
        Assert.Equal(string.Concat(Enumerable.Repeat("Too_Long.", 10)), DatadogNormalizer.NormalizeName(string.Concat(Enumerable.Repeat("Too-Long-.", 20))));
    }

    [Theory]
    [InlineData("", "unnamed-service")]
    [InlineData("good", "good")]
    [InlineData("bad&service", "bad_service")]
    public void NormalizeService(string input, string expected)
    {
        Assert.Equal(expected, DatadogNormalizer.NormalizeService(input));
    }

    [Fact]
    public void NormalizeService_TruncatesBeforeNormalising()
    {
        Assert.Equal(string.Concat(Enumerable.Repeat("too_long_.", 10)), DatadogNormalizer.NormalizeService(string.Concat(Enumerable.Repeat("Too$Long$.", 20))));
    }

    [Theory]
    [InlineData("200", true)]
    [InlineData("599", true)]
    [InlineData("600", false)]
    [InlineData("99", false)]
    [InlineData("abc", false)]
    public void IsValidHttpStatusCode(string input, bool expected)
    {
        Assert.Equal(expected, DatadogNormalizer.IsValidHttpStatusCode(input));
    }
}

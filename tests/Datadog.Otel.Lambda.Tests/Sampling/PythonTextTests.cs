// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using Datadog.Otel.Lambda.Sampling;

namespace Datadog.Otel.Lambda.Tests.Sampling;

/// <summary>Python's float() and str(float), as its sampling rules use them (values from CPython 3).</summary>
public class PythonTextTests
{
    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.5, "0.5")]
    [InlineData(20.1, "20.1")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1234567890123456.7, "1234567890123456.8")]
    [InlineData(123456789012345680.0, "1.2345678901234568e+17")]
    [InlineData(1e100, "1e+100")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(double.NaN, "nan")]
    public void FormatFloat(double value, string expected)
    {
        Assert.Equal(expected, PythonText.FormatFloat(value));
    }

    [Theory]
    [InlineData(20.0, "20")]
    [InlineData(-3.0, "-3")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e300, "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160")]
    public void FormatIntegralFloat(double value, string expected)
    {
        Assert.Equal(expected, PythonText.FormatIntegralFloat(value));
    }

    [Theory]
    [InlineData("0.5", 0.5)]
    [InlineData(" 0.5\t", 0.5)]
    [InlineData("+.5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("1e-1", 0.1)]
    [InlineData("1_000", 1000.0)]
    [InlineData("Infinity", double.PositiveInfinity)]
    [InlineData("-INF", double.NegativeInfinity)]
    public void TryParseFloat_Accepts(string text, double expected)
    {
        Assert.True(PythonText.TryParseFloat(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("half")]
    [InlineData(".")]
    [InlineData("1e")]
    [InlineData("_1")]
    [InlineData("1__0")]
    [InlineData("1_")]
    [InlineData("0x10")]
    [InlineData("1,5")]
    [InlineData("∞")]
    public void TryParseFloat_Rejects(string text)
    {
        Assert.False(PythonText.TryParseFloat(text, out _));
    }

    [Fact]
    public void TryParseFloat_NaN()
    {
        Assert.True(PythonText.TryParseFloat("nan", out var value));
        Assert.True(double.IsNaN(value));
    }
}

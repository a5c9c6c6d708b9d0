// Copyright Datadog.Otel.Lambda contributors
// SPDX-License-Identifier: Apache-2.0

using System.Text.RegularExpressions;
using Datadog.Otel.Lambda.TestSupport;

namespace Datadog.Otel.Lambda.Deployment.Tests.Readme;

/// <summary>
/// The fenced code blocks of README.md, as a reader copies them: the text between the fences with the list
/// indentation of the opening fence removed, the info string (<c>csharp</c>, <c>sh</c>; <c>csharp fragment</c> marks
/// a block that is part of a larger program and cannot compile alone), and the line of the opening fence.
/// </summary>
internal static partial class ReadmeBlocks
{
    /// <summary>The placeholder the README's commands use for the folder build/pack.sh writes the packages to.</summary>
    public const string ArtifactsPlaceholder = "/path/to/Datadog.Otel.Lambda/artifacts";

    public static IReadOnlyList<Block> All { get; } = Parse(File.ReadAllLines(RepositoryPaths.Combine("README.md")));

    /// <summary>The blocks under the level-2 heading <paramref name="heading"/>, up to the next one.</summary>
    public static IReadOnlyList<Block> InSection(string heading)
    {
        var lines = File.ReadAllLines(RepositoryPaths.Combine("README.md"));
        var start = Array.IndexOf(lines, "## " + heading);
        Assert.True(start >= 0, "README.md has no section '## " + heading + "'");
        var end = Array.FindIndex(lines, start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        end = end < 0 ? lines.Length : end;
        return All.Where(b => b.Line > start && b.Line <= end).ToList();
    }

    /// <summary>
    /// The commands of a shell block, one per line, split into arguments at spaces. The README's commands use no
    /// quoting, variables or shell operators, so the split is exactly what a shell does with them; a block that
    /// starts using them fails here rather than run differently.
    /// </summary>
    public static IReadOnlyList<string[]> Commands(Block block)
    {
        Assert.True(block.Info == "sh", $"README.md line {block.Line}: not a shell block");
        var commands = new List<string[]>();
        foreach (var line in block.Code.Split('\n'))
        {
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            Assert.False(ShellSyntax().IsMatch(text), $"README.md line {block.Line}: '{text}' uses shell syntax the test does not reproduce");
            commands.Add(text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        return commands;
    }

    private static List<Block> Parse(string[] lines)
    {
        var blocks = new List<Block>();
        for (var i = 0; i < lines.Length; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            var indent = open.Groups["indent"].Value.Length;
            var info = open.Groups["info"].Value.Trim();
            var code = new List<string>();
            var j = i + 1;
            for (; j < lines.Length && lines[j].Trim() != "```"; j++)
            {
                // Lines of a block inside a list item carry the item's indentation, which is not part of the code.
                var line = lines[j];
                var strip = Math.Min(indent, line.Length - line.TrimStart(' ').Length);
                code.Add(line[strip..]);
            }

            Assert.True(j < lines.Length, $"README.md line {i + 1}: code block never closed");
            blocks.Add(new Block(i + 1, info, string.Join('\n', code) + "\n"));
            i = j;
        }

        return blocks;
    }

    [GeneratedRegex(@"^(?<indent> *)```(?<info>.*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"[""'`$|&;<>\\*]")]
    private static partial Regex ShellSyntax();

    /// <summary>A fenced block: the line of its opening fence (1-based), its info string and its code.</summary>
    public sealed record Block(int Line, string Info, string Code)
    {
        public bool IsFragment => Info.Split(' ').Contains("fragment");

        public string Language => Info.Split(' ')[0];
    }
}

using System.Text.Json;
using Periscope.Tests.Support;

namespace Periscope.Tests.Commands;

/// <summary>The published binary's commands, as a user types them.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Version_PrintsVersionCommitAndPlatform()
    {
        var result = Run("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^periscope \d+\.\d+\.\d+\S* \(commit [0-9a-f]{7,40}|unknown, [a-z]+-[a-z0-9]+\)\n$", result.Stdout);
        Assert.Contains(System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public void Help_ListsEveryCommand_OneLineEach(string flag)
    {
        var result = Run(flag);

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "hook opencode", "replay <file.jsonl>", "status", "flush", "worker", "stats", "schema", "--version", "--help" })
        {
            Assert.Single(result.Stdout.Split('\n'), line => line.TrimStart().StartsWith(command, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Schema_PrintsTheGeneratedJsonSchema()
    {
        var result = Run("schema");

        Assert.Equal(0, result.ExitCode);
        using var schema = JsonDocument.Parse(result.Stdout);
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.RootElement.GetProperty("$schema").GetString());
        Assert.Equal(Periscope.Events.EventJson.Schema, result.Stdout.TrimEnd('\n'));
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [InlineData(new[] { "--frobnicate" }, "unknown option '--frobnicate'")]
    [InlineData(new[] { "hook" }, "'hook' needs the agent")]
    [InlineData(new[] { "hook", "claude" }, "'hook' supports 'opencode', not 'claude'")]
    [InlineData(new[] { "hook", "opencode", "--quiet" }, "unknown option '--quiet' for 'hook opencode'")]
    [InlineData(new[] { "replay" }, "'replay' needs a file")]
    [InlineData(new[] { "replay", "a.jsonl", "b.jsonl" }, "'replay' takes one file")]
    [InlineData(new[] { "schema", "--pretty" }, "'schema' takes no arguments")]
    public void UsageErrors_ExplainAndExitTwo(string[] args, string message)
    {
        var result = Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("periscope --help", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_OfAMissingFile_SaysSoAndExitsOne()
    {
        var result = Run("replay", _temp.Combine("nope.jsonl"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no such file", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("session-with-commit.hooks.jsonl", 51, 9, 4)]
    [InlineData("session-with-subagent.hooks.jsonl", 87, 17, 7)]
    public void Replay_OfARealRecording_CapturesEachMessageAndSessionState(string file, int lines, int captured, int distinct)
    {
        var home = _temp.Combine("state");

        var result = PeriscopeBinary.Run(home, null, "replay", HookFixtures.FixturePath(file));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"replayed {lines} lines: {captured} captured ({distinct} distinct events), {lines - captured} ignored, 0 failed\n", result.Stdout);
        Assert.Equal(distinct, StateDirectory.SpoolFiles(home).Count);
    }

    [Fact]
    public void Replay_ReportsBadLines_WithTheirNumbers_AndGoesOn()
    {
        var home = _temp.Combine("state");
        var recording = _temp.Combine("mixed.jsonl");
        var good = HookFixtures.CompletedAssistantMessages()[0].ToJsonString();
        File.WriteAllLines(recording, [good, "{not json", "", good]);

        var result = PeriscopeBinary.Run(home, null, "replay", recording);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"{recording}:2: input is not a hook envelope", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("2 captured (1 distinct events), 0 ignored, 1 failed", result.Stdout, StringComparison.Ordinal);
        Assert.Single(StateDirectory.SpoolFiles(home));
    }

    private ProcessResult Run(params string[] args) => PeriscopeBinary.Run(_temp.Combine("state"), null, args);
}

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
        Assert.Matches(@"^periscope \d+\.\d+\.\d+\S* \(commit (?:[0-9a-f]{7,40}|unknown), [a-z]+(?:-[a-z0-9]+)+\)\n$", result.Stdout);
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
        foreach (var command in new[] { "hook opencode", "replay <file.jsonl>", "install", "uninstall", "doctor", "status", "flush", "worker", "login", "logout", "stats", "schema", "help [COMMAND]", "--version", "--help" })
        {
            Assert.Single(result.Stdout.Split('\n'), line => line.TrimStart().StartsWith(command, StringComparison.Ordinal));
        }
    }

    public static TheoryData<string> Commands => ["hook", "replay", "install", "uninstall", "doctor", "status", "flush", "worker", "login", "logout", "stats", "schema", "help"];

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryCommand_AnswersHelp_ThreeWays_WithUsageOptionsAndAnExample(string command)
    {
        var invocations = new List<string[]> { new[] { command, "--help" }, new[] { command, "-h" }, new[] { "help", command } };
        if (command == "hook")
        {
            invocations.Add(["hook", "opencode", "--help"]);
        }

        var texts = invocations.Select(args =>
        {
            var result = Run(args);
            Assert.True(result.ExitCode == 0, $"periscope {string.Join(' ', args)}: exit {result.ExitCode}, {result.Stderr}");
            Assert.Empty(result.Stderr);
            return result.Stdout;
        }).ToList();

        Assert.All(texts, text => Assert.Equal(texts[0], text));
        var help = texts[0];
        Assert.StartsWith($"Usage: periscope {command}", help, StringComparison.Ordinal);
        Assert.Contains("\nOptions:\n", help, StringComparison.Ordinal);
        Assert.Contains("-h, --help", help, StringComparison.Ordinal);
        Assert.Matches(@"\nExample:\n  (\S+=\S+ )?(echo .* \| )?periscope " + command, help);
    }

    [Fact]
    public void OptionsWithDefaults_SayTheirDefault()
    {
        var stats = Run("help", "stats").Stdout;

        Assert.Contains("--by KEY", stats, StringComparison.Ordinal);
        Assert.Contains("Default: model.", stats, StringComparison.Ordinal);
        Assert.Contains("Default: https://ingest.periscope.sh.", Run("install", "--help").Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "statuss" }, "unknown command 'statuss'; did you mean 'status'?")]
    [InlineData(new[] { "--verison" }, "unknown option '--verison'; did you mean '--version'?")]
    [InlineData(new[] { "status", "--jsno" }, "unknown option '--jsno' for 'status'; did you mean '--json'?")]
    [InlineData(new[] { "stats", "--csvv" }, "unknown option '--csvv' for 'stats'; did you mean '--csv'?")]
    [InlineData(new[] { "login", "--device" }, "unknown option '--device' for 'login'; did you mean '--device-code'?")]
    [InlineData(new[] { "install", "--endpiont", "https://x.example" }, "unknown option '--endpiont' for 'install'; did you mean '--endpoint'?")]
    [InlineData(new[] { "hook", "opencode", "--verbos" }, "unknown option '--verbos' for 'hook opencode'; did you mean '--verbose'?")]
    [InlineData(new[] { "help", "flsh" }, "unknown command 'flsh'; did you mean 'flush'?")]
    public void AMistypedCommandOrOption_NamesTheClosestOne(string[] args, string message)
    {
        var result = Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOptionFarFromEveryKnownOne_GetsNoGuess()
    {
        var result = Run("status", "--completely-different");

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("did you mean", result.Stderr, StringComparison.Ordinal);
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

    [Fact]
    public void SchemaOtel_PrintsTheMappingOfEveryExportedField()
    {
        var result = Run("schema", "--otel");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("OpenTelemetry mapping, following OpenTelemetry semantic conventions 1.41.0", lines[0], StringComparison.Ordinal);
        var header = Array.FindIndex(lines, l => l.StartsWith("kind ", StringComparison.Ordinal));
        var rows = lines[(header + 1)..].Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(Periscope.Events.EventOtel.Attributes.Count, rows.Count);
        Assert.Contains(rows, r => r[0] == "assistant_message" && r[1] == "tokens.input" && r[2] == "gen_ai.usage.input_tokens" && string.Join(' ', r[3..]) == "int = input + cache_read + cache_write");
        Assert.Contains(rows, r => r[0] == "assistant_message" && r[1] == "model_id" && r[2] == "gen_ai.request.model");
        Assert.Contains(rows, r => r[0] == "commit" && r[1] == "git.head_sha" && r[2] == "vcs.ref.head.revision");
        Assert.Contains(rows, r => r[0] == "*" && r[1] == "client.version" && r[2] == "service.version" && string.Join(' ', r[3..]) == "string (resource)");
    }

    [Theory]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [InlineData(new[] { "--frobnicate" }, "unknown option '--frobnicate'")]
    [InlineData(new[] { "hook" }, "'hook' needs the agent")]
    [InlineData(new[] { "hook", "claude" }, "'hook' supports 'opencode', not 'claude'")]
    [InlineData(new[] { "hook", "opencode", "--quiet" }, "unknown option '--quiet' for 'hook opencode'")]
    [InlineData(new[] { "replay" }, "'replay' needs a file")]
    [InlineData(new[] { "replay", "a.jsonl", "b.jsonl" }, "'replay' takes one file")]
    [InlineData(new[] { "schema", "--pretty" }, "unknown option '--pretty' for 'schema'")]
    [InlineData(new[] { "schema", "--otel", "x" }, "'schema --otel' takes no more arguments, got 'x'")]
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

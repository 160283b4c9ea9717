using System.Text;
using Periscope.Tests.Support;

namespace Periscope.Tests.Capture;

/// <summary>The published AOT binary, fed real OpenCode hook payloads on stdin, as the plugin runs it.</summary>
public sealed class HookBinaryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Home => _temp.Combine("state");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void CompletedAssistantMessage_WritesExactlyTheExpectedSpoolFile()
    {
        var recorded = HookFixtures.CompletedAssistantMessages()[0];
        var result = Hook(HookFixtures.AsShimEnvelope(recorded));

        AssertSilentSuccess(result);
        var file = Assert.Single(StateDirectory.SpoolFiles(Home));
        // docs/ingest-api.md: the first 128 bits of SHA-256 over the kind and OpenCode's ids, unit-separated.
        var info = recorded["input"]!["event"]!["properties"]!["info"]!;
        var contract = $"assistant_message\u001f{info["sessionID"]}\u001f{info["id"]}";
        var expectedId = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(contract))[..16]);
        Assert.Equal(expectedId + ".json", Path.GetFileName(file));
        Assert.Equal("ac70d0c46d669b8fceb4a7e63669dd51", expectedId); // the recorded expected file below names it too
        Assert.Equal(Expected("assistant-message-tool-calls.json"), File.ReadAllText(file));
        Assert.Empty(StateDirectory.TempFiles(Home));
        Assert.Empty(StateDirectory.LogLines(Home));
    }

    [Fact]
    public void TitledSession_WritesExactlyTheExpectedSpoolFile()
    {
        var updated = HookFixtures.Recorded().Last(r => HookFixtures.EventType(r) == "session.updated");

        AssertSilentSuccess(Hook(HookFixtures.AsShimEnvelope(updated)));

        var file = Assert.Single(StateDirectory.SpoolFiles(Home));
        Assert.Equal(Expected("session-titled.json"), File.ReadAllText(file));
    }

    [Fact]
    public void RecordedEnvelopeShape_IsReadToo()
    {
        var recorded = HookFixtures.CompletedAssistantMessages()[0];

        AssertSilentSuccess(Hook(Encoding.UTF8.GetBytes(recorded.ToJsonString())));

        Assert.Equal(Expected("assistant-message-tool-calls.json"), File.ReadAllText(Assert.Single(StateDirectory.SpoolFiles(Home))));
    }

    [Fact]
    public void Hook_WritesOneEvent_ForARepeatedMessage()
    {
        var payload = HookFixtures.AsShimEnvelope(HookFixtures.CompletedAssistantMessages()[1]);

        AssertSilentSuccess(Hook(payload));
        AssertSilentSuccess(Hook(payload));

        Assert.Single(StateDirectory.SpoolFiles(Home));
    }

    [Fact]
    public void RepeatedSessionUpdates_WithTheSameTitle_GiveOneEvent_AndANewTitleAnother()
    {
        foreach (var recorded in HookFixtures.Recorded().Where(r => HookFixtures.EventType(r) is "session.created" or "session.updated"))
        {
            AssertSilentSuccess(Hook(HookFixtures.AsShimEnvelope(recorded)));
        }

        // "New session - <timestamp>" and then "Commit the work".
        Assert.Equal(2, StateDirectory.SpoolFiles(Home).Count);
    }

    [Fact]
    public void StreamingUpdates_WithoutTimeCompleted_WriteNothing()
    {
        var streaming = HookFixtures.Recorded().Where(r => HookFixtures.EventType(r) == "message.updated"
            && HookFixtures.Info(r)?["role"]?.GetValue<string>() == "assistant"
            && HookFixtures.Info(r)?["time"]?["completed"] is null).ToList();
        Assert.NotEmpty(streaming);

        foreach (var recorded in streaming)
        {
            AssertSilentSuccess(Hook(HookFixtures.AsShimEnvelope(recorded)));
        }

        Assert.Empty(StateDirectory.SpoolFiles(Home));
        Assert.Empty(StateDirectory.LogLines(Home));
    }

    [Theory]
    [InlineData("message.part.updated")]
    [InlineData("message.part.delta")]
    [InlineData("session.status")]
    [InlineData("session.idle")]
    [InlineData("session.diff")]
    [InlineData("file.watcher.updated")]
    public void UnrelatedEvents_WriteNothing(string eventType)
    {
        AssertSilentSuccess(Hook(HookFixtures.AsShimEnvelope(HookFixtures.FirstOf(eventType))));

        Assert.Empty(StateDirectory.SpoolFiles(Home));
        Assert.Empty(StateDirectory.LogLines(Home));
    }

    [Fact]
    public void UserMessages_WriteNothing()
    {
        var user = HookFixtures.FirstOf("message.updated", r => HookFixtures.Info(r)?["role"]?.GetValue<string>() == "user");

        AssertSilentSuccess(Hook(HookFixtures.AsShimEnvelope(user)));

        Assert.Empty(StateDirectory.SpoolFiles(Home));
    }

    [Theory]
    [InlineData("tool.execute.before")]
    [InlineData("tool.execute.after")]
    [InlineData("chat.params")]
    [InlineData("chat.message")]
    public void OtherHooks_WriteNothing(string hook)
    {
        AssertSilentSuccess(Hook(HookFixtures.AsShimEnvelope(HookFixtures.FirstHook(hook))));

        Assert.Empty(StateDirectory.SpoolFiles(Home));
    }

    public static TheoryData<string> BadInputs => new() { "empty", "truncated", "garbage", "binary", "json null", "json array", "wrong types", "10 MiB" };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInput_ExitsZero_WritesNothing_AndLogsOneLine(string name)
    {
        var result = Hook(BadInput(name));

        AssertSilentSuccess(result);
        Assert.Empty(StateDirectory.SpoolFiles(Home));
        var line = Assert.Single(StateDirectory.LogLines(Home));
        Assert.Contains(" hook[", line, StringComparison.Ordinal);
    }

    // Built here, not passed as theory data: xunit serialises theory arguments at discovery.
    private static byte[] BadInput(string name)
    {
        var valid = HookFixtures.AsShimEnvelope(HookFixtures.CompletedAssistantMessages()[0]);
        switch (name)
        {
            case "empty":
                return [];
            case "truncated":
                return valid[..(valid.Length / 2)];
            case "garbage":
                return Encoding.UTF8.GetBytes("this is not json {{{");
            case "binary":
                var binary = new byte[4096];
                new Random(7).NextBytes(binary);
                return binary;
            case "json null":
                return Encoding.UTF8.GetBytes("null");
            case "json array":
                return Encoding.UTF8.GetBytes("[1,2,3]");
            case "wrong types":
                return Encoding.UTF8.GetBytes("""{"hook":"event","event":{"type":"message.updated","properties":{"info":{"role":"assistant","tokens":{"input":"many"}}}}}""");
            default:
                // A valid envelope padded past the 1 MiB limit: refused for its size, not its content.
                var huge = new byte[10 * 1024 * 1024];
                Array.Fill(huge, (byte)' ');
                valid.CopyTo(huge, 0);
                return huge;
        }
    }

    [Fact]
    public void MissingStateDirectory_IsCreated_UserOnly()
    {
        var nested = _temp.Combine("does", "not", "exist");

        AssertSilentSuccess(PeriscopeBinary.Run(nested, HookFixtures.AsShimEnvelope(HookFixtures.CompletedAssistantMessages()[0]), "hook", "opencode"));

        Assert.Single(StateDirectory.SpoolFiles(nested));
        if (!OperatingSystem.IsWindows())
        {
            foreach (var dir in new[] { _temp.Combine("does"), nested, Path.Combine(nested, "spool"), Path.Combine(nested, "spool", "tmp") })
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
            }

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StateDirectory.SpoolFiles(nested)[0]));
        }
    }

    [Fact]
    public void UnwritableStateDirectory_ExitsZero_SpoolsNothing_AndSaysWhyUnderVerbose()
    {
        // A path below a regular file cannot be created, whoever runs the test (root included).
        var blocker = _temp.Combine("a-file");
        File.WriteAllText(blocker, "x");
        var state = Path.Combine(blocker, "state");
        var payload = HookFixtures.AsShimEnvelope(HookFixtures.CompletedAssistantMessages()[0]);

        AssertSilentSuccess(PeriscopeBinary.Run(state, payload, "hook", "opencode"));
        var verbose = PeriscopeBinary.Run(state, payload, "hook", "opencode", "--verbose");

        Assert.Equal(0, verbose.ExitCode);
        Assert.Contains("cannot write the spool", verbose.Stderr, StringComparison.Ordinal);
        Assert.Equal("x", File.ReadAllText(blocker));
    }

    [Fact]
    public void ReadOnlyFileSystem_ExitsZero_AndSaysWhyUnderVerbose()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("/proc, a file system nobody can write to (root included), is Linux's.");
        }

        var payload = HookFixtures.AsShimEnvelope(HookFixtures.CompletedAssistantMessages()[0]);

        AssertSilentSuccess(PeriscopeBinary.Run("/proc/self/periscope-state", payload, "hook", "opencode"));
        var verbose = PeriscopeBinary.Run("/proc/self/periscope-state", payload, "hook", "opencode", "--verbose");

        Assert.Equal(0, verbose.ExitCode);
        Assert.Contains("cannot write the spool", verbose.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Verbose_SaysWhatHappened_OnStderr()
    {
        var result = PeriscopeBinary.Run(Home, HookFixtures.AsShimEnvelope(HookFixtures.CompletedAssistantMessages()[0]), "hook", "opencode", "--verbose");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains("wrote ac70d0c46d669b8fceb4a7e63669dd51.json", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void VerboseBadInput_PrintsTheLogLine()
    {
        var result = PeriscopeBinary.Run(Home, Encoding.UTF8.GetBytes("{"), "hook", "opencode", "--verbose");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("input is not a hook envelope", result.Stderr, StringComparison.Ordinal);
    }

    private ProcessResult Hook(byte[] stdin) => PeriscopeBinary.Run(Home, stdin, "hook", "opencode");

    private static void AssertSilentSuccess(ProcessResult result)
    {
        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Empty(result.Stderr);
    }

    private static string Expected(string name)
    {
        var version = PeriscopeBinary.Run(Path.GetTempPath(), null, "--version").Stdout.Split(' ')[1];
        return File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "expected", name)).TrimEnd().Replace("{VERSION}", version, StringComparison.Ordinal);
    }
}

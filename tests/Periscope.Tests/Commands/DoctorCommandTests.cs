using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Periscope.TestIngest;
using Periscope.Tests.Auth;
using Periscope.Tests.Doctor;
using Periscope.Tests.Support;

namespace Periscope.Tests.Commands;

/// <summary>
/// periscope doctor as a user runs it: every check with its status and fix, the setup checks made
/// by the installed executable and the network, sign-in and queue checks by its delivery component.
/// Port 14550 is shared with the sign-in tests, hence their collection.
/// </summary>
[Collection(SignInCollection.Name)]
public sealed class DoctorCommandTests : IDisposable
{
    private const string Credential = "DOCTOR_SECRET_9";
    private readonly UserHome _home = new();

    private string OpenCodeDirectory => _home.OpenCodeDirectory;

    public void Dispose() => _home.Dispose();

    [Fact]
    public void OnAFreshMachine_ThePluginAndExecutableChecksFail_WithTheirFixes()
    {
        var (exitCode, checks, text) = Doctor(_home.Path, new() { ["PERISCOPE_BIN"] = null, ["PATH"] = "/nowhere" });

        Assert.Equal(1, exitCode);
        Assert.Equal(["plugin", "binary", "opencode", "config", "git", "spool", "endpoint", "sign-in", "port", "otlp", "worker", "queue", "dead-letters"], checks.Keys);
        Assert.Equal("skip", checks["otlp"].Status); // no receiver configured
        Assert.Equal(("fail", "Run 'periscope install' (or 'periscope install --project' for this project only)."), (checks["plugin"].Status, checks["plugin"].Fix));
        Assert.Equal("fail", checks["binary"].Status);
        Assert.Equal(("warn", "no opencode on PATH, and nothing shows that OpenCode ever loaded the plugin"), (checks["opencode"].Status, checks["opencode"].Detail));
        Assert.Equal("warn", checks["config"].Status);
        Assert.Equal("warn", checks["git"].Status);
        Assert.Equal("skip", checks["endpoint"].Status);
        Assert.Contains("FAIL  plugin", text, StringComparison.Ordinal);
        Assert.Contains("fix: Run 'periscope install'", text, StringComparison.Ordinal);
        Assert.Contains("2 checks failed.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AfterInstallInARepository_EveryCheckPasses_AndTheGitContextIsShownAsSent()
    {
        var repo = new GitRepo(_home.Combine("repo"));
        var head = repo.Commit();
        repo.Git($"remote add origin https://someone:{Credential}@example.com/acme/widgets.git");
        Assert.Equal(0, PeriscopeBinary.RunIn(repo.Path, _home.Environment(), null, "install", "--local").ExitCode);
        WriteOpenCodeLog(PluginLoadEvidenceTests.Loaded);

        var (exitCode, checks, text) = Doctor(repo.Path, new() { ["PERISCOPE_BIN"] = PeriscopeBinary.Path });

        Assert.True(exitCode == 0, text);
        Assert.All(checks.Values.Where(c => c.Name is not ("endpoint" or "sign-in" or "otlp")), c => Assert.Equal("pass", c.Status));
        Assert.Contains($"\"repo_url\":\"https://example.com/acme/widgets.git\",\"repo_name\":\"repo\",\"branch\":\"main\",\"detached\":false,\"head_sha\":\"{head}\"", checks["git"].Detail, StringComparison.Ordinal);
        Assert.Contains("(via PERISCOPE_BIN)", checks["binary"].Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Credential, text, StringComparison.Ordinal);
    }

    // Where OpenCode's own installer put the plugin, as seen in the real ones: 1.18.33 (both
    // directories in one cache) and 2.1.2 (one directory per install, named by its time).
    [Theory]
    [InlineData("packages/@periscope/opencode-analytics@latest")]
    [InlineData("packages/@periscope/opencode-analytics")]
    [InlineData("npm/@periscope/opencode-analytics@latest/1796676754193")]
    public void TheExecutableInOpenCodesPluginCache_IsWhatThePluginFinds(string installed)
    {
        var bin = Directory.CreateDirectory(Path.Combine([_home.Combine("home", ".cache", "opencode"), .. installed.Split('/'), "node_modules", "@periscope", "opencode-analytics-linux-x64", "bin"])).FullName;
        File.Copy(PeriscopeBinary.Path, Path.Combine(bin, "periscope"));

        var (_, checks, _) = Doctor(_home.Path, new() { ["PERISCOPE_BIN"] = null, ["PATH"] = "/nowhere" });

        Assert.Equal("pass", checks["binary"].Status);
        Assert.Contains("(via @periscope/opencode-analytics-linux-x64)", checks["binary"].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void WhenOpenCodesLogSaysItRefusedThePlugin_TheOpenCodeCheckFails_WithTheCauseAndTheFix()
    {
        WriteOpenCodeLog(PluginLoadEvidenceTests.Loaded, older: true);
        WriteOpenCodeLog(PluginLoadEvidenceTests.Refused);

        var (exitCode, checks, _) = Doctor(_home.Path, []);

        Assert.Equal(1, exitCode);
        Assert.Equal("fail", checks["opencode"].Status);
        Assert.EndsWith("says it did not load the plugin at 2026-12-07T20:32:33.333Z: Cause([Fail(PluginModule.LoadError: Plugin must export a default definition with an id and an effect or setup function. (cause: SchemaError(Missing key at [\"default\"])))])", checks["opencode"].Detail, StringComparison.Ordinal);
        Assert.Contains("so OpenCode installs it again", checks["opencode"].Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutALogLine_AnEventTheHookWrote_ShowsOpenCodeLoadedThePlugin()
    {
        var spool = Directory.CreateDirectory(_home.Combine("state", "spool")).FullName;
        File.WriteAllText(Path.Combine(spool, "0001.json"), "{}");
        File.SetLastWriteTimeUtc(Path.Combine(spool, "0001.json"), new DateTime(2026, 12, 7, 21, 0, 5, DateTimeKind.Utc));

        var (_, checks, _) = Doctor(_home.Path, []);

        Assert.Equal("pass", checks["opencode"].Status);
        Assert.Contains("the plugin's hook last wrote an event at 2026-12-07 21:00:05Z", checks["opencode"].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOpenCodeOlderThan1_18_IsNamed_WithWhatToInstall()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("the stand-in executable is a shell script");
            return;
        }

        var bin = Directory.CreateDirectory(_home.Combine("bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "opencode"), "#!/bin/sh\necho 1.17.4\n");
        File.SetUnixFileMode(Path.Combine(bin, "opencode"), UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var (_, checks, _) = Doctor(_home.Path, new() { ["PATH"] = bin });

        Assert.Equal("warn", checks["opencode"].Status);
        Assert.Equal($"OpenCode 1.17.4 ({bin}/opencode): {bin}/opencode: 1.17.4 is older than 1.18, the oldest OpenCode Periscope works with", checks["opencode"].Detail);
        Assert.Contains("opencode-ai@1.18 or @opencode/cli@2", checks["opencode"].Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAReachableIngest_AndAnAcceptedToken_TheDeliveryChecksPass()
    {
        await using var ingest = await IngestServer.StartAsync();
        ingest.RequiredToken = "doctor-token";
        Configure(ingest.Endpoint.ToString());

        var (exitCode, checks, text) = Doctor(_home.Path, new() { ["PERISCOPE_TOKEN"] = "doctor-token", ["PERISCOPE_BIN"] = PeriscopeBinary.Path });

        Assert.Equal("pass", checks["endpoint"].Status);
        Assert.Equal(("pass", "PERISCOPE_TOKEN; the token is fresh and the ingest accepts it"), (checks["sign-in"].Status, checks["sign-in"].Detail));
        Assert.DoesNotContain("doctor-token", text, StringComparison.Ordinal);
        Assert.Equal(1, exitCode); // the plugin is not listed here
    }

    [Fact]
    public async Task A403FromTheIngest_SaysNotAMemberOfAPeriscopeOrganization()
    {
        await using var ingest = await IngestServer.StartAsync();
        ingest.Enqueue(new IngestFault.Status(403));
        Configure(ingest.Endpoint.ToString());

        var (exitCode, checks, _) = Doctor(_home.Path, new() { ["PERISCOPE_TOKEN"] = "t" });

        Assert.Equal(1, exitCode);
        Assert.Equal("fail", checks["sign-in"].Status);
        Assert.Contains("not a member of a Periscope organization", checks["sign-in"].Detail, StringComparison.Ordinal);
        Assert.Contains("Ask your Periscope admin", checks["sign-in"].Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotSignedIn_AndTheSignInPortTaken_FailWithTheirFixes()
    {
        await using var ingest = await IngestServer.StartAsync();
        Configure(ingest.Endpoint.ToString());
        using var squatter = new TcpListener(IPAddress.Loopback, 14550);
        squatter.Start();

        var (exitCode, checks, _) = Doctor(_home.Path, []);

        Assert.Equal(1, exitCode);
        Assert.Equal("fail", checks["sign-in"].Status);
        Assert.Contains("run 'periscope login'", checks["sign-in"].Detail, StringComparison.Ordinal);
        Assert.Equal("fail", checks["port"].Status);
        Assert.Contains($"pid {System.Environment.ProcessId}", checks["port"].Detail, StringComparison.Ordinal);
        Assert.Contains("--device-code", checks["port"].Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnreachableEndpoint_FailsAndSkipsTheSignIn()
    {
        int port;
        using (var closed = new TcpListener(IPAddress.Loopback, 0))
        {
            closed.Start();
            port = ((IPEndPoint)closed.LocalEndpoint).Port;
        }

        Configure($"http://127.0.0.1:{port}");

        var (exitCode, checks, _) = Doctor(_home.Path, new() { ["PERISCOPE_TOKEN"] = "t" });

        Assert.Equal(1, exitCode);
        Assert.Equal("fail", checks["endpoint"].Status);
        Assert.Contains("HTTPS_PROXY", checks["endpoint"].Fix, StringComparison.Ordinal);
        Assert.Equal("skip", checks["sign-in"].Status);
    }

    [Fact]
    public void DeadLettersAndABrokenConfig_AreReported()
    {
        Directory.CreateDirectory(OpenCodeDirectory);
        File.WriteAllText(Path.Combine(OpenCodeDirectory, "analytics.json"), "{\"endpoint\": \"http://ingest.example.com\"}");
        var dead = Directory.CreateDirectory(_home.Combine("state", "dead")).FullName;
        File.WriteAllText(Path.Combine(dead, "abc.json"), "{}");
        File.WriteAllText(Path.Combine(dead, "abc.json.reason.txt"), "rejected");

        var (exitCode, checks, _) = Doctor(_home.Path, []);

        Assert.Equal(1, exitCode);
        Assert.Equal("fail", checks["config"].Status);
        Assert.Contains("use https://", checks["config"].Detail, StringComparison.Ordinal);
        Assert.Equal("warn", checks["dead-letters"].Status);
        Assert.Contains("1 events", checks["dead-letters"].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownOptions_AreUsageErrors()
        => Assert.Equal(2, PeriscopeBinary.RunIn(_home.Path, _home.Environment(), null, "doctor", "--fix").ExitCode);

    // A log of OpenCode 2's in this home, holding the line given.
    private void WriteOpenCodeLog(string line, bool older = false)
    {
        var log = Directory.CreateDirectory(_home.Combine("home", ".local", "share", "opencode", "log")).FullName;
        var file = Path.Combine(log, older ? "2026-12-07T200000.log" : "2026-12-07T203000.log");
        File.WriteAllText(file, "timestamp=2026-12-07T20:30:00.000Z level=INFO msg=\"server listening\"\n" + line + "\n");
        File.SetLastWriteTimeUtc(file, older ? new DateTime(2026, 12, 7, 20, 0, 0, DateTimeKind.Utc) : new DateTime(2026, 12, 7, 20, 30, 0, DateTimeKind.Utc));
    }

    private void Configure(string endpoint)
    {
        Directory.CreateDirectory(OpenCodeDirectory);
        File.WriteAllText(Path.Combine(OpenCodeDirectory, "analytics.json"), $"{{\"endpoint\": \"{endpoint}\"}}");
    }

    // Runs doctor twice, --json and text: the checks by name, and what a person reads.
    private (int ExitCode, Dictionary<string, Check> Checks, string Text) Doctor(string directory, Dictionary<string, string?> extra)
    {
        var environment = _home.Environment();
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        var json = PeriscopeBinary.RunIn(directory, environment, null, "doctor", "--json");
        var text = PeriscopeBinary.RunIn(directory, environment, null, "doctor");
        Assert.Equal(json.ExitCode, text.ExitCode);
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Equal(json.ExitCode == 0, document.RootElement.GetProperty("ok").GetBoolean());
        var checks = document.RootElement.GetProperty("checks").EnumerateArray()
            .Select(c => new Check(
                c.GetProperty("name").GetString()!,
                c.GetProperty("status").GetString()!,
                c.GetProperty("detail").GetString()!,
                c.TryGetProperty("fix", out var fix) ? fix.GetString() : null))
            .ToDictionary(c => c.Name);
        return (json.ExitCode, checks, text.Stdout);
    }

    internal sealed record Check(string Name, string Status, string Detail, string? Fix);
}

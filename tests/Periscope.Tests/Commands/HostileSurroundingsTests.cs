using System.Net;
using System.Net.Sockets;
using Periscope.Tests.Support;

namespace Periscope.Tests.Commands;

/// <summary>
/// Every command in `periscope --help`, run by the published binary against surroundings a real
/// machine has: no config, a read-only home or state directory, a file where the state directory
/// belongs, corrupt files of every kind, a damaged delivery component, no terminal. Each ends with
/// exit 0, 1 or 2 (the hook: always 0), never an unhandled exception; a failure says in one line
/// what happened and what to do; and an event that was in the spool is still in the spool or
/// delivered to the ledger.
/// </summary>
public sealed class HostileSurroundingsTests
{
    // A recorded session in an OpenCode database, for import: made once, outside every machine.
    private static readonly Lazy<string> s_history = new(() =>
    {
        var database = Path.Combine(Path.GetTempPath(), "periscope-tests-history-" + Environment.ProcessId, "opencode.db");
        if (!File.Exists(database))
        {
            new OpenCodeHistory(database).AddRecorded("session-with-commit.hooks.jsonl", HookFixtures.Directory);
        }

        return database;
    });

    // Every command `periscope --help` lists, with arguments that make it do its work.
    private static readonly Dictionary<string, string[]> s_commands = new(StringComparer.Ordinal)
    {
        ["hook"] = ["hook", "opencode", "--verbose"],
        ["replay"] = ["replay", HookFixtures.FixturePath("session-with-commit.hooks.jsonl")],
        ["install"] = ["install", "--local"],
        ["uninstall"] = ["uninstall"],
        ["doctor"] = ["doctor"],
        ["status"] = ["status"],
        ["flush"] = ["flush"],
        ["worker"] = ["worker"],
        ["login"] = ["login", "--device-code"],
        ["logout"] = ["logout"],
        ["stats"] = ["stats"],
        ["report"] = ["report"],
        ["import"] = ["import", "opencode", "--database", s_history.Value],
        ["schema"] = ["schema"],
        ["help"] = ["help", "stats"],
        ["--version"] = ["--version"],
        ["--help"] = ["--help"],
    };

    private static readonly string[] s_surroundings =
    [
        "home-without-config", "home-missing", "read-only-home", "read-only-state", "state-is-a-file",
        "corrupt-analytics-json", "corrupt-token-file", "corrupt-status-json", "corrupt-session-state",
        "corrupt-ledger-lines", "tampered-delivery-image", "missing-delivery-image", "no-terminal",
    ];

    // Where the home and state directory are usable and only a file is damaged or missing...
    private static readonly HashSet<string> s_recoverable =
    [
        "home-without-config", "home-missing", "corrupt-analytics-json", "corrupt-token-file", "corrupt-status-json",
        "corrupt-session-state", "corrupt-ledger-lines", "tampered-delivery-image", "missing-delivery-image", "no-terminal",
    ];

    // ...these commands do their work and exit 0 (doctor, login, flush, worker and import may rightly report a problem).
    private static readonly HashSet<string> s_mustSucceed = ["hook", "replay", "install", "uninstall", "status", "logout", "stats", "report", "schema", "help", "--version", "--help"];

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var surroundings in s_surroundings)
        {
            foreach (var command in s_commands.Keys)
            {
                cases.Add(surroundings, command);
            }
        }

        return cases;
    }

    [Fact]
    public void EveryCommandInHelp_IsCovered()
    {
        var help = PeriscopeBinary.Run(Path.GetTempPath(), null, "--help").Stdout;

        var listed = help.Split('\n')
            .SkipWhile(line => line != "Commands:")
            .Skip(1)
            .TakeWhile(line => line.Length > 0)
            .Where(line => line.StartsWith("  ", StringComparison.Ordinal) && !char.IsWhiteSpace(line[2]))
            .Select(line => line.Trim().Split(' ')[0])
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(listed.Order(StringComparer.Ordinal), s_commands.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Command_InHostileSurroundings_EndsCleanly_AndLosesNoEvent(string surroundings, string command)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("These surroundings are made with POSIX file modes; Windows has ACLs instead.");
            throw new System.Diagnostics.UnreachableException();
        }

        using var machine = new Machine(surroundings);
        var args = s_commands[command];
        var stdin = command == "hook" ? HookCalls.MessageCompleted(Machine.SessionId, "msg_hostile", machine.Repository) : null;

        var result = machine.Run(stdin, args);

        var said = $"periscope {string.Join(' ', args)} in {surroundings}: exit {result.ExitCode}\nstdout: {result.Stdout}\nstderr: {result.Stderr}";
        Assert.True(result.ExitCode is 0 or 1 or 2, said);
        if (s_recoverable.Contains(surroundings) && s_mustSucceed.Contains(command))
        {
            Assert.True(result.ExitCode == 0, "nothing here stops this command: " + said);
        }

        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", result.Stderr + result.Stdout, StringComparison.Ordinal);
        if (command == "hook")
        {
            Assert.True(result.ExitCode == 0, said);
            Assert.Empty(result.Stdout);
            Assert.False(string.IsNullOrWhiteSpace(result.Stderr), "--verbose says what happened: " + said);
            if (machine.StateIsUsable)
            {
                Assert.True(machine.SpoolFileCount() >= 2, "the message was not captured: " + said); // the seeded event and this one
            }
        }
        else if (command == "doctor" && result.ExitCode == 1 && result.Stdout.Length > 0)
        {
            // doctor's answer is its report: every failed check with the fix.
            var failed = result.Stdout.Split('\n').Count(line => line.StartsWith("FAIL", StringComparison.Ordinal));
            Assert.True(failed > 0, said);
            Assert.True(result.Stdout.Split('\n').Count(line => line.TrimStart().StartsWith("fix: ", StringComparison.Ordinal)) >= failed, said);
        }
        else if (command == "replay" && result.ExitCode != 0)
        {
            // replay reports each line it could not capture, by file and line number.
            Assert.All(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches(@"^(periscope: |.+\.jsonl:\d+: )", line));
        }
        else if (result.ExitCode != 0)
        {
            var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length > 0, "a failure says why: " + said);
            Assert.StartsWith("periscope: ", lines[0], StringComparison.Ordinal);
            var usageHint = lines.Length == 2 && lines[1].StartsWith("Run 'periscope --help'", StringComparison.Ordinal);
            Assert.True(lines.Length == 1 || usageHint, "one line: " + said);
        }

        machine.AssertTheSpooledEventIsKept(said);
    }

    /// <summary>One user's machine, spoiled in one way; runs the binary as that user.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private sealed class Machine : IDisposable
    {
        private static readonly bool s_isRoot = Environment.UserName == "root";
        private readonly TempDirectory _temp = new();
        private readonly Dictionary<string, string?> _environment;
        private readonly string _surroundings;
        private readonly List<string> _readOnly = [];
        private string? _eventId;

        public Machine(string surroundings)
        {
            _surroundings = surroundings;
            File.SetUnixFileMode(_temp.Path, (UnixFileMode)0b111_101_101); // traversable by the unprivileged user below
            var home = _temp.Combine("home");
            Directory.CreateDirectory(home);
            _environment = new Dictionary<string, string?>
            {
                ["HOME"] = home,
                ["XDG_CONFIG_HOME"] = null,
                ["XDG_STATE_HOME"] = null,
                ["XDG_DATA_HOME"] = null,
                ["OPENCODE_CONFIG"] = null,
                ["PERISCOPE_CONFIG"] = null,
                ["PERISCOPE_HOME"] = State,
                ["PERISCOPE_WORKER_IDLE_SECONDS"] = "0",
                ["PERISCOPE_LOGIN_PROMPT"] = "off",
                ["DISPLAY"] = null,
                ["WAYLAND_DISPLAY"] = null,
                ["BROWSER"] = "/bin/false",
                ["GIT_CEILING_DIRECTORIES"] = _temp.Path,
            };
            var repository = new GitRepo(_temp.Combine("work"));
            repository.Commit();
            Repository = repository.Path;
            Spoil(home);
        }

        public int SpoolFileCount()
            => Directory.Exists(Path.Combine(State, "spool")) ? Directory.GetFiles(Path.Combine(State, "spool"), "*.json").Length : 0;

        /// <summary>The OpenCode session the hook's message belongs to.</summary>
        public const string SessionId = "ses_hostile";

        /// <summary>A git repository with one commit: the hook reads git context and session state there.</summary>
        public string Repository { get; private set; } = string.Empty;

        /// <summary>The state directory is where it should be, and writable.</summary>
        public bool StateIsUsable => _surroundings is not ("read-only-home" or "read-only-state" or "state-is-a-file" or "home-missing" or "home-without-config");

        private string State => _temp.Combine("state");

        private string ConfigDirectory => _temp.Combine("home", ".config", "opencode");

        public ProcessResult Run(byte[]? stdin, string[] args)
        {
            var launcher = _readOnly.Count > 0 && s_isRoot
                ? new[] { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--" } // root writes anywhere; nobody does not
                : [];
            return PeriscopeBinary.RunWith(launcher, _temp.Path, _environment, stdin ?? [], args);
        }

        public void AssertTheSpooledEventIsKept(string said)
        {
            if (_eventId is null)
            {
                return;
            }

            var spooled = File.Exists(Path.Combine(State, "spool", _eventId + ".json"));
            var ledger = Path.Combine(State, "ledger");
            var delivered = Directory.Exists(ledger) && Directory.GetFiles(ledger).Any(f => File.ReadAllText(f).Contains(_eventId, StringComparison.Ordinal));
            Assert.True(spooled || delivered, $"the spooled event {_eventId} was lost: {said}");
        }

        public void Dispose()
        {
            foreach (var directory in _readOnly)
            {
                File.SetUnixFileMode(directory, (UnixFileMode)0b111_000_000);
            }

            _temp.Dispose();
        }

        private void Spoil(string home)
        {
            switch (_surroundings)
            {
                case "home-without-config":
                    _environment["PERISCOPE_HOME"] = null; // state in home/.local/state, config in home/.config: neither exists
                    return;
                case "home-missing":
                    _environment["HOME"] = _temp.Combine("no-such-home");
                    _environment["PERISCOPE_HOME"] = null;
                    return;
                case "read-only-home":
                    _environment["PERISCOPE_HOME"] = null;
                    ReadOnly(home);
                    return;
                case "read-only-state":
                    Seed();
                    ReadOnly(Path.Combine(State, "spool"));
                    ReadOnly(State);
                    return;
                case "state-is-a-file":
                    File.WriteAllText(State, "not a directory");
                    return;
                case "no-terminal":
                    Seed();
                    _environment["TERM"] = null;
                    return;
            }

            Seed();
            switch (_surroundings)
            {
                case "corrupt-analytics-json":
                    Directory.CreateDirectory(ConfigDirectory);
                    File.WriteAllText(Path.Combine(ConfigDirectory, "analytics.json"), "{\"endpoint\": \"https://ingest.example\", oops");
                    break;
                case "corrupt-token-file":
                    Directory.CreateDirectory(ConfigDirectory);
                    File.WriteAllText(Path.Combine(ConfigDirectory, "analytics.json"), $"{{\"endpoint\": \"http://127.0.0.1:{ClosedPort()}/\"}}");
                    File.WriteAllText(Path.Combine(ConfigDirectory, "periscope-tokens.json"), "\u0000\u0001 not a token cache {");
                    File.WriteAllText(Path.Combine(ConfigDirectory, "periscope-signin.json"), "{\"who\": ");
                    break;
                case "corrupt-status-json":
                    File.WriteAllText(Path.Combine(State, "status.json"), "{\"failures\": \"many\", ");
                    break;
                case "corrupt-session-state":
                    Directory.CreateDirectory(Path.Combine(State, "sessions"));
                    File.WriteAllText(Path.Combine(State, "sessions", SessionId + ".json"), "{\"reflog\": [1, 2");

                    break;
                case "corrupt-ledger-lines":
                    Directory.CreateDirectory(Path.Combine(State, "ledger"));
                    File.WriteAllLines(Path.Combine(State, "ledger", "2026-11.jsonl"), ["{\"kind\": \"assistant_message\", trunc", "\u00ff\u00fe", "[]", "{}"]);
                    break;
                case "tampered-delivery-image" or "missing-delivery-image":
                    Assert.Equal(0, PeriscopeBinary.Run(_environment, null, "status").ExitCode); // extracts it
                    var image = Assert.Single(Directory.GetFiles(Path.Combine(State, "lib"), "periscope-delivery*", SearchOption.AllDirectories));
                    if (_surroundings == "missing-delivery-image")
                    {
                        File.Delete(image);
                    }
                    else
                    {
                        File.WriteAllBytes(image, [0x7f, (byte)'E', (byte)'L', (byte)'F', 0, 0, 0, 0]);
                    }

                    break;
                default:
                    throw new ArgumentException($"no such surroundings: {_surroundings}");
            }
        }

        // One real event in the spool, to be found again afterwards.
        private void Seed() => _eventId = SpooledEvents.Write(State, 1).Single();

        private void ReadOnly(string directory)
        {
            Directory.CreateDirectory(directory);
            File.SetUnixFileMode(directory, (UnixFileMode)0b101_101_101);
            _readOnly.Add(directory);
        }

        private static int ClosedPort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}

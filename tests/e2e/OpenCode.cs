using System.Diagnostics;
using System.Text.Json.Nodes;
using Periscope.Tests.Support;

namespace Periscope.EndToEnd.Tests;

/// <summary>Which OpenCode: 1.18 (npm opencode-ai) or 2.x (npm @opencode/cli).</summary>
internal enum OpenCodeMajor
{
    V1 = 1,
    V2 = 2,
}

/// <summary>
/// The real OpenCode CLI (opencode-ai at the exact version in tests/e2e/package.json, or
/// @opencode/cli at the one in tests/e2e/opencode2/package.json; installed with npm when missing),
/// isolated in a temp home: its own HOME and XDG directories, no autoupdate, no
/// models.dev fetch, and one custom provider pointing at the <see cref="FakeModelServer"/>.
/// </summary>
internal sealed class OpenCode
{
    public const string ApiKey = "APIKEY_CANARY_13";
    public const string Model = "fake-model";
    public const string Provider = "fake";

    private static readonly Lazy<string> InstalledV1 = new(() => Install(Path.Combine(PeriscopeBinary.RepoRoot, "tests", "e2e"), Path.Combine("node_modules", ".bin", OperatingSystem.IsWindows() ? "opencode.cmd" : "opencode")));

    // The platform package's own executable: npm here runs no install scripts, and @opencode/cli's
    // launcher is set up by one.
    private static readonly Lazy<string> InstalledV2 = new(() => Install(
        Path.Combine(PeriscopeBinary.RepoRoot, "tests", "e2e", "opencode2"),
        Path.Combine("node_modules", "@opencode", $"cli-{(OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin" : "linux")}-{(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x64")}", "bin", OperatingSystem.IsWindows() ? "opencode.exe" : "opencode")));

    private readonly Dictionary<string, string?> _environment;

    /// <param name="home">The temp home; config goes to home/.config/opencode.</param>
    /// <param name="model">Where the model answers.</param>
    /// <param name="plugin">The plugin: its package directory, a package name OpenCode installs
    /// from its registry itself, or null for a run without it.</param>
    /// <param name="periscope">PERISCOPE_* variables the plugin's binary gets.</param>
    /// <param name="major">Which OpenCode runs.</param>
    public OpenCode(string home, Uri model, string? plugin, IReadOnlyDictionary<string, string?> periscope, OpenCodeMajor major = OpenCodeMajor.V1)
    {
        Major = major;
        Home = home;
        var config = Path.Combine(home, ".config", "opencode");
        Directory.CreateDirectory(config);
        var provider = new JsonObject
        {
            ["npm"] = "@ai-sdk/openai-compatible",
            ["name"] = "Fake",
            ["options"] = new JsonObject { ["baseURL"] = model.ToString(), ["apiKey"] = ApiKey },
            ["models"] = new JsonObject
            {
                [Model] = new JsonObject
                {
                    ["name"] = "Fake Model",
                    ["tool_call"] = true,
                    ["cost"] = new JsonObject { ["input"] = 3, ["output"] = 15, ["cache_read"] = 0.3, ["cache_write"] = 3.75 },
                },
            },
        };
        var settings = new JsonObject
        {
            ["$schema"] = "https://opencode.ai/config.json",
            ["model"] = $"{Provider}/{Model}",
            ["provider"] = new JsonObject { [Provider] = provider },
        };
        if (plugin is not null)
        {
            settings["plugin"] = new JsonArray(Path.IsPathFullyQualified(plugin) ? new Uri(plugin).AbsoluteUri : plugin);
        }

        File.WriteAllText(Path.Combine(config, "opencode.json"), settings.ToJsonString());
        _environment = new Dictionary<string, string?>
        {
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH"),
            ["HOME"] = home,
            ["XDG_CONFIG_HOME"] = Path.Combine(home, ".config"),
            ["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share"),
            ["XDG_STATE_HOME"] = Path.Combine(home, ".local", "state"),
            ["XDG_CACHE_HOME"] = Path.Combine(home, ".cache"),
            ["OPENCODE_DISABLE_AUTOUPDATE"] = "1",
            ["OPENCODE_DISABLE_MODELS_FETCH"] = "1",
            ["CI"] = "true",
        };
        foreach (var (name, value) in GitRepo.Environment)
        {
            _environment[name] = value;
        }

        foreach (var (name, value) in periscope)
        {
            _environment[name] = value;
        }
    }

    public OpenCodeMajor Major { get; }

    public string Home { get; }

    /// <summary>OpenCode's database (<c>$XDG_DATA_HOME/opencode/opencode.db</c>).</summary>
    public string Database => Path.Combine(Home, ".local", "share", "opencode", "opencode.db");

    /// <summary>
    /// <c>opencode run "prompt"</c> in a directory; fails the test when OpenCode fails. OpenCode 2
    /// runs with a private server (<c>--standalone</c>) unless <paramref name="shared"/>, when it
    /// uses the background service that serves every directory (stop it with <see cref="StopService"/>).
    /// </summary>
    public ProcessResult Run(string directory, string prompt, bool shared = false)
    {
        string[] args = Major == OpenCodeMajor.V2 && !shared ? ["run", "--standalone", prompt] : ["run", prompt];
        var result = Execute(directory, TimeSpan.FromMinutes(3), args);
        Assert.True(result.ExitCode == 0, $"opencode run exited {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");
        return result;
    }

    /// <summary>
    /// Starts OpenCode 2's background service on a free loopback port of its own and fails the
    /// test when it does not start. The service's default port is the same for every user and
    /// home (127.0.0.1:49374), so a service any other OpenCode 2 left running there would serve
    /// this home's sessions, or keep this one from starting.
    /// </summary>
    public void StartService()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        foreach (var args in new[] { new[] { "service", "set", "port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }, ["service", "start"] })
        {
            var result = Execute(Home, TimeSpan.FromMinutes(1), args);
            Assert.True(result.ExitCode == 0, $"opencode {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");
        }
    }

    /// <summary>Stops OpenCode 2's background service, if one runs.</summary>
    public void StopService() => Execute(Home, TimeSpan.FromMinutes(1), "service", "stop");

    /// <summary>The config OpenCode resolves from every file it reads (<c>opencode debug config</c>).</summary>
    public JsonNode ResolvedConfig(string directory)
    {
        var result = Execute(directory, TimeSpan.FromMinutes(1), "debug", "config");
        Assert.True(result.ExitCode == 0, $"opencode debug config exited {result.ExitCode}: {result.Stderr}");
        return JsonNode.Parse(result.Stdout[result.Stdout.IndexOf('{', StringComparison.Ordinal)..])!;
    }

    /// <summary>The environment OpenCode runs in, for running periscope beside it.</summary>
    public IReadOnlyDictionary<string, string?> Environment => _environment;

    /// <summary>
    /// <see cref="Environment"/> with this OpenCode first on PATH, as it is for a user who
    /// installed it: what install and doctor look for.
    /// </summary>
    public Dictionary<string, string?> EnvironmentWithOpenCodeOnPath()
        => new(_environment) { ["PATH"] = Path.GetDirectoryName(Executable) + Path.PathSeparator + _environment["PATH"] };

    private string Executable => (Major == OpenCodeMajor.V2 ? InstalledV2 : InstalledV1).Value;

    /// <summary>OpenCode's own record of a session (<c>opencode export</c>): its info and every message.</summary>
    public JsonNode Export(string directory, string sessionId)
    {
        var result = Execute(directory, TimeSpan.FromMinutes(1), "export", sessionId);
        Assert.True(result.ExitCode == 0, $"opencode export exited {result.ExitCode}: {result.Stderr}");
        return JsonNode.Parse(result.Stdout[result.Stdout.IndexOf('{', StringComparison.Ordinal)..])!;
    }

    private ProcessResult Execute(string directory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"opencode {args[0]} did not finish within {timeout}");
        }

        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Install(string packageDir, string relative)
    {
        var executable = Path.Combine(packageDir, relative);
        if (!File.Exists(executable))
        {
            var npm = new ProcessStartInfo("npm", "install --no-audit --no-fund --loglevel=error") { WorkingDirectory = packageDir, UseShellExecute = false };
            using var process = Process.Start(npm)!;
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"npm install in {packageDir} failed: the pinned OpenCode could not be installed");
        }

        return executable;
    }
}

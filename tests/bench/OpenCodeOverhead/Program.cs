using System.Diagnostics;
using System.Globalization;
using Periscope.EndToEnd.Tests;
using Periscope.Tests.Support;

// OpenCode's run time with and without the plugin, OpenCode 2 and 1.18 each: the same scripted
// session (a shell call that commits, then an answer) in a fresh repository each run, the two
// variants interleaved run by run so machine load shifts both alike. Each variant has its own
// warmed-up home (OpenCode installs its plugin API package into a new config directory once).
// Prints medians and the ratio for each major.
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8;
using var temp = new TempDirectory();
await using var model = await FakeModelServer.StartAsync("echo work > notes.txt && git add -A && git commit -qm bench");
var plugin = Path.Combine(PeriscopeBinary.RepoRoot, "src", "opencode-plugin");
var periscope = new Dictionary<string, string?>
{
    ["PERISCOPE_BIN"] = PeriscopeBinary.Path,
    ["PERISCOPE_HOME"] = temp.Combine("state"),
    ["PERISCOPE_CONFIG"] = temp.Combine("analytics.json"), // absent: local mode, the worker writes the ledger
    ["PERISCOPE_LOGIN_PROMPT"] = "off",
};
var exit = 0;
foreach (var major in new[] { OpenCodeMajor.V2, OpenCodeMajor.V1 })
{
    exit |= Measure(major);
}

return exit;

// One OpenCode major: its own homes and state, the two variants interleaved.
int Measure(OpenCodeMajor major)
{
    var state = temp.Combine($"state-{major}");
    var settings = new Dictionary<string, string?>(periscope) { ["PERISCOPE_HOME"] = state };
    var without = new OpenCode(temp.Combine($"home-without-{major}"), model.BaseUrl, plugin: null, settings, major);
    var with = new OpenCode(temp.Combine($"home-with-{major}"), model.BaseUrl, plugin, settings, major);
    var times = new Dictionary<string, List<double>> { ["without"] = [], ["with"] = [] };
    for (var i = -1; i < runs; i++)
    {
        foreach (var (name, opencode) in new[] { ("without", without), ("with", with) })
        {
            var repo = new GitRepo(temp.Combine($"{major}-{name}-{i + 1}"));
            repo.Commit("initial");
            var clock = Stopwatch.StartNew();
            opencode.Run(repo.Path, "Please commit the work.");
            if (i >= 0)
            {
                times[name].Add(clock.Elapsed.TotalMilliseconds);
            }
        }
    }

    Thread.Sleep(TimeSpan.FromSeconds(1));
    var captured = Directory.Exists(Path.Combine(state, "ledger")) || (Directory.Exists(Path.Combine(state, "spool")) && Directory.EnumerateFiles(Path.Combine(state, "spool"), "*.json").Any());
    if (!captured)
    {
        Console.Error.WriteLine($"opencode-overhead: the plugin captured nothing in OpenCode {Version(major)}; the 'with' runs measured a plugin that did not work");
        return 1;
    }

    var a = Median(times["without"]);
    var b = Median(times["with"]);
    Console.WriteLine($"OpenCode {Version(major)}: runs per variant: {runs} (after 1 warm-up){(major == OpenCodeMajor.V2 ? ", opencode run --standalone" : string.Empty)}");
    Console.WriteLine($"  (a) without the plugin  median {a:F0} ms  [{string.Join(' ', times["without"].Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}]");
    Console.WriteLine($"  (b) with the plugin     median {b:F0} ms  [{string.Join(' ', times["with"].Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}]");
    Console.WriteLine($"  b/a = {b / a:F3}  (target <= 1.05)");
    return 0;
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static string Version(OpenCodeMajor major)
    => File.ReadAllText(Path.Combine(
            PeriscopeBinary.RepoRoot,
            "tests",
            "e2e",
            major == OpenCodeMajor.V2 ? Path.Combine("opencode2", "node_modules", "@opencode", "cli", "package.json") : Path.Combine("node_modules", "opencode-ai", "package.json")))
        .Split("\"version\"")[1].Split('"')[1];

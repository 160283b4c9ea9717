using System.Diagnostics;
using System.Globalization;
using Periscope.EndToEnd.Tests;
using Periscope.Tests.Support;

// OpenCode's run time with and without the plugin: the same scripted session (a bash call that
// commits, then an answer) in a fresh repository each run, the two variants interleaved run by run
// so machine load shifts both alike. Each variant has its own warmed-up home (OpenCode installs
// its plugin API package into a new config directory once). Prints medians and the ratio.
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
var without = new OpenCode(temp.Combine("home-without"), model.BaseUrl, plugin: null, periscope);
var with = new OpenCode(temp.Combine("home-with"), model.BaseUrl, plugin, periscope);

var times = new Dictionary<string, List<double>> { ["without"] = [], ["with"] = [] };
for (var i = -1; i < runs; i++)
{
    foreach (var (name, opencode) in new[] { ("without", without), ("with", with) })
    {
        var repo = new GitRepo(temp.Combine($"{name}-{i + 1}"));
        repo.Commit("initial");
        var clock = Stopwatch.StartNew();
        opencode.Run(repo.Path, "Please commit the work.");
        if (i >= 0)
        {
            times[name].Add(clock.Elapsed.TotalMilliseconds);
        }
    }
}

var ledger = Path.Combine(temp.Combine("state"), "ledger");
await Task.Delay(TimeSpan.FromSeconds(1));
var captured = Directory.Exists(ledger) || Directory.EnumerateFiles(temp.Combine("state", "spool"), "*.json").Any();
if (!captured)
{
    Console.Error.WriteLine("opencode-overhead: the plugin captured nothing; the 'with' runs measured a plugin that did not work");
    return 1;
}

double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
var a = Median(times["without"]);
var b = Median(times["with"]);
Console.WriteLine($"runs per variant: {runs} (after 1 warm-up), OpenCode {OpenCodeVersion()}");
Console.WriteLine($"(a) opencode run without the plugin  median {a:F0} ms  [{string.Join(' ', times["without"].Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}]");
Console.WriteLine($"(b) opencode run with the plugin     median {b:F0} ms  [{string.Join(' ', times["with"].Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}]");
Console.WriteLine($"b/a = {b / a:F3}  (target <= 1.05)");
return 0;

static string OpenCodeVersion()
    => File.ReadAllText(Path.Combine(PeriscopeBinary.RepoRoot, "tests", "e2e", "node_modules", "opencode-ai", "package.json")).Split("\"version\"")[1].Split('"')[1];

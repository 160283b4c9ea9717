using System.Text;

namespace Periscope.Commands;

/// <summary>
/// What each command takes: its usage line, what it does, its options with their defaults, and
/// one example. `periscope help COMMAND` and `COMMAND --help` print it; a mistyped command or
/// option is answered with the closest one it knows. Kept out of the hook's way: nothing on the
/// capture path touches this type unless the command line is wrong.
/// </summary>
internal static class CommandHelp
{
    private static readonly CommandSpec[] s_commands =
    [
        new("hook", "hook opencode [--verbose]",
            "Capture one OpenCode hook call from stdin into the spool. The OpenCode plugin runs it; it reads at most 1 MiB, prints nothing and always exits 0, whatever it is given. Problems go to periscope.log in the state directory.",
            [new("--verbose", "Say on stderr what was captured, ignored or logged. Default: silent.")],
            "echo '{\"hook\":\"event\",\"input\":{...}}' | periscope hook opencode --verbose"),
        new("replay", "replay <file.jsonl> [--verbose]",
            "Feed recorded hook calls, one JSON object a line, through the same capture path as the hook, and print what was captured. Bad lines are reported with their numbers and skipped.",
            [new("--verbose", "One line per hook call. Default: only the summary.")],
            "periscope replay session.hooks.jsonl"),
        new("install", "install [--project] [--endpoint URL | --local] [--otlp URL] [--import]",
            "List the plugin in OpenCode's config (global, or the project's), keeping comments and every other setting, and create analytics.json when there is none. When OpenCode has history Periscope does not have yet, say what it is (sessions, messages, cost, dates) and offer to import it. Can be run any number of times.",
            [
                new("--project", "Edit the repository's own opencode.json instead of the global one. Default: global (~/.config/opencode)."),
                new("--endpoint", "Deliver to this ingest (https, or http on localhost). Default: https://ingest.periscope.sh.", "URL"),
                new("--local", "Keep events on this machine (local mode); excludes --endpoint."),
                new("--otlp", "Also export every event to this OpenTelemetry receiver (OTLP/HTTP, e.g. http://localhost:4318); alone, without --endpoint, no Periscope account is needed. Default: no export.", "URL"),
                new("--import", "Import OpenCode's history without asking (as 'periscope import opencode'). Default: ask on a terminal, else say how."),
            ],
            "periscope install --otlp http://localhost:4318"),
        new("uninstall", "uninstall [--project]",
            "Take the plugin out of OpenCode's config again. analytics.json and the collected events stay.",
            [new("--project", "Edit the repository's own opencode.json. Default: the global one.")],
            "periscope uninstall"),
        new("doctor", "doctor [--json]",
            "Check the whole setup, each check with pass, warn, fail or skip and its fix: plugin, executable, analytics.json, endpoint, sign-in, port 14550, git context, spool, worker, queue, dead letters. Exits 1 when a check fails.",
            [new("--json", "Print the checks as JSON. Default: a table.")],
            "periscope doctor"),
        new("status", "status [--json]",
            "Mode and endpoint, sign-in, state directory, queue depth and oldest event, worker, last delivery, back-off, last problem, dead letters and events dropped by the spool limits. Reads only.",
            [new("--json", "Print the report as JSON. Default: aligned lines.")],
            "periscope status --json"),
        new("flush", "flush",
            "Deliver the spooled events now, in the foreground, whatever the back-off says: to the configured endpoint, or in local mode into the local ledger. Waits for a running background worker. Exits 1 when something was not delivered, saying why.",
            [],
            "periscope flush"),
        new("worker", "worker",
            "Drain the spool in the background until idle; the hook starts it. One per state directory; exits after PERISCOPE_WORKER_IDLE_SECONDS (default 30) with nothing to do, and at once while delivery backs off. PERISCOPE_WORKER=off stops the hook from starting it.",
            [],
            "PERISCOPE_WORKER_IDLE_SECONDS=5 periscope worker"),
        new("login", "login [--device-code]",
            "Sign in with the endpoint's OpenID provider: in the browser (the answer comes back to http://localhost:14550), or with a code typed on another device. Gives up after 5 minutes. Local mode has nothing to sign in to.",
            [new("--device-code", "Sign in with a code entered on any device (SSH, containers); needs no local port. Default: the browser.")],
            "periscope login --device-code"),
        new("logout", "logout",
            "Remove the stored sign-in (tokens and who signed in). Events wait in the spool until the next 'periscope login'.",
            [],
            "periscope logout"),
        new("stats", "stats [--by model|provider|day|repo|session|commit] [--since D] [--until D] [--json|--csv]",
            "Cost, tokens of each kind, messages and commits from the local ledger. Says when events still wait in the spool.",
            [
                new("--by", "Group rows by model, provider, day, repo or session; or one row per commit with the AI cost that led to it (docs/commit-detection.md). Default: model.", "KEY"),
                new("--since", "Only events on or after this day, YYYY-MM-DD (UTC). Default: the whole ledger.", "D"),
                new("--until", "Only events on or before this day, YYYY-MM-DD (UTC). Default: the whole ledger.", "D"),
                new("--json", "Print JSON. Default: an aligned table."),
                new("--csv", "Print CSV with a header line. Default: an aligned table."),
            ],
            "periscope stats --by day --since 2026-11-01"),
        new("report", "report [--since D] [--until D] [--repo NAME] [-o FILE] [--open]",
            "Write the dashboard as one self-contained HTML page from the local ledger, with events still in the spool marked: totals against the previous period, cost per day by model, tokens per day by kind, models, providers, repositories, sessions with their sub-agents, and each commit with the AI cost that led to it. The page loads nothing from the network.",
            [
                new("--since", "First day of the period, YYYY-MM-DD (UTC). Default: 29 days before --until.", "D"),
                new("--until", "Last day of the period, YYYY-MM-DD (UTC). Default: today.", "D"),
                new("--repo", "Only messages and commits in this repository (its name, or its URL). Default: every repository.", "NAME"),
                new("-o", "Where to write the page. Default: report.html in the state directory.", "FILE"),
                new("--open", "Open the page in the browser afterwards."),
            ],
            "periscope report --since 2026-11-01 --open"),
        new("import", "import opencode [--since D] [--dry-run] [--database FILE]",
            "Bring in what OpenCode recorded before Periscope was installed: each past assistant message and session becomes the event the hook would have made (same ids, so nothing is counted twice), and commits the repository's reflog shows during a session's lifetime become commit events (attribution 'import'). Says what it found first, then delivers as flush does. Reads OpenCode 1.18's database read-only, its message and session tables only. Run again, it adds nothing.",
            [
                new("--since", "Only messages from this day on, YYYY-MM-DD (UTC). Default: all of them.", "D"),
                new("--dry-run", "Say what would be imported and write nothing."),
                new("--database", "OpenCode's database. Default: $XDG_DATA_HOME/opencode/opencode.db (~/.local/share/opencode/opencode.db).", "FILE"),
            ],
            "periscope import opencode --dry-run"),
        new("schema", "schema [--otel]",
            "Print the JSON Schema (draft 2020-12) of the events Periscope writes, or how each field maps to an OpenTelemetry attribute.",
            [new("--otel", "Print the OpenTelemetry mapping as a table: kind, field, attribute, type. Default: the JSON Schema.")],
            "periscope schema --otel"),
        new("version", "--version",
            "Print version, commit and platform.",
            [],
            "periscope --version"),
        new("help", "help [COMMAND]",
            "Print every command, or one command's usage, options and an example. 'periscope COMMAND --help' does the same.",
            [],
            "periscope help stats"),
    ];

    /// <summary>Every command name a user can type first.</summary>
    public static IEnumerable<string> Names => s_commands.Select(c => c.Name).Append("--version").Append("--help");

    /// <summary>The spec of a command by the name typed first (e.g. "hook"), or null.</summary>
    public static CommandSpec? Find(string name)
        => Array.Find(s_commands, c => c.Name == name || (name is "--version" && c.Name == "version") || (name is "--help" or "-h" && c.Name == "help"));

    /// <summary>Prints a command's help: usage, what it does, options and their defaults, an example.</summary>
    public static string Text(CommandSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = new StringBuilder();
        text.Append("Usage: periscope ").Append(spec.Usage).Append("\n\n").Append(spec.Summary).Append('\n');
        var rows = spec.Options.Select(o => (Display: o.Display, o.Description)).Append((Display: "-h, --help", Description: "Print this help.")).ToList();
        var width = rows.Max(r => r.Display.Length) + 2;
        text.Append("\nOptions:\n");
        foreach (var (display, description) in rows)
        {
            text.Append("  ").Append(display.PadRight(width)).Append(description).Append('\n');
        }

        text.Append("\nExample:\n  ").Append(spec.Example).Append('\n');
        return text.ToString();
    }

    /// <summary>"unknown option '--jsno' for 'status'; did you mean '--json'?"</summary>
    public static string UnknownOption(string option, string command)
    {
        var options = Find(command.Split(' ')[0])?.Options.Select(o => o.Name) ?? [];
        return Suggest($"unknown option '{option}' for '{command}'", option, options.Append("--help"));
    }

    /// <summary>"unknown command 'stauts'; did you mean 'status'?"</summary>
    public static string UnknownCommand(string command)
        => Suggest(command.StartsWith('-') ? $"unknown option '{command}'" : $"unknown command '{command}'", command, Names);

    private static string Suggest(string message, string typed, IEnumerable<string> known)
    {
        // A known name that begins with what was typed ("--device" for "--device-code") is the best guess.
        var best = known
            .Select(k => (Known: k, Distance: typed.Length > 2 && k.StartsWith(typed, StringComparison.OrdinalIgnoreCase) ? 0 : EditDistance(typed, k)))
            .Where(k => k.Distance <= Math.Max(2, k.Known.Length / 3))
            .OrderBy(k => k.Distance)
            .ThenBy(k => k.Known, StringComparer.Ordinal)
            .Select(k => k.Known)
            .FirstOrDefault();
        return best is null ? message : $"{message}; did you mean '{best}'?";
    }

    // Levenshtein distance, case-insensitive: the number of single-letter edits from one to the other.
    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var same = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]);
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (same ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

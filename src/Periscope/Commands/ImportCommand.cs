using System.Globalization;
using Periscope.Config;
using Periscope.Delivery;
using Periscope.Diagnostics;
using Periscope.Git;
using Periscope.Import;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Commands;

/// <summary>
/// periscope import opencode [--since D] [--dry-run] [--database FILE]: brings in what OpenCode
/// recorded before Periscope was installed. Says what it found first (sessions, messages, cost,
/// dates, commits); then delivers the events through every configured sink and into the ledger,
/// as flush does, a chunk at a time (<see cref="HeldEvents"/>): OpenCode's database keeps them
/// safe meanwhile, so a spool file each is needed only for what a sink cannot take now. Run
/// again, it adds nothing: what Periscope holds, in the ledger or the spool, is left out.
/// </summary>
internal static class ImportCommand
{
    /// <summary>Events held in memory at a time on their way to the sinks; what a sink cannot take is spooled, well inside the spool's limits.</summary>
    private const int ChunkSize = 2000;

    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.IsEmpty || args[0] != "opencode")
        {
            return CommandLine.Fail(args.IsEmpty
                ? "'import' needs the program whose history to read: periscope import opencode"
                : $"'import' reads OpenCode's history only: periscope import opencode (got '{args[0]}')");
        }

        DateOnly? since = null;
        var dryRun = false;
        string? database = null;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--dry-run":
                    dryRun = true;
                    break;
                case "--since":
                    if (!CommandLine.TryDay("--since", i + 1 < args.Length ? args[++i] : null, out var day, out var failed))
                    {
                        return failed;
                    }

                    since = day;
                    break;
                case "--database" when i + 1 < args.Length:
                    database = args[++i];
                    break;
                case "--database":
                    return CommandLine.Fail("'--database' needs the path of OpenCode's opencode.db");
                default:
                    return CommandLine.UnknownOption(args[i], "import");
            }
        }

        Func<string, string?> getVariable = Environment.GetEnvironmentVariable;
        var paths = StatePaths.Resolve(getVariable);
        return Run(paths, getVariable, database ?? OpenCodeDatabase.DefaultPath(getVariable), since, dryRun, TimeProvider.System, Console.Out, Console.Error, terminal: !Console.IsOutputRedirected);
    }

    public static int Run(StatePaths paths, Func<string, string?> getVariable, string database, DateOnly? since, bool dryRun, TimeProvider time, TextWriter output, TextWriter error, bool terminal)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Plan(paths, getVariable, database, since, error) is not { } plan)
        {
            return CommandLine.Failure;
        }

        output.WriteLine(Describe(plan, database, since));
        if (dryRun || plan.Events.Count == 0)
        {
            output.WriteLine(plan.Events.Count == 0 ? "Nothing to import: Periscope has all of it." : "Dry run: nothing was written. Run it without --dry-run to import.");
            return CommandLine.Ok;
        }

        return Deliver(paths, getVariable, plan, time, output, error, terminal);
    }

    /// <summary>What the database holds that Periscope does not; null after saying on <paramref name="error"/> why it cannot be read.</summary>
    public static ImportPlan? Plan(StatePaths paths, Func<string, string?> getVariable, string database, DateOnly? since, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            using var opened = OpenCodeDatabase.Open(database);
            return new HistoryImport(paths, getVariable, TimeProvider.System).Plan(opened, since);
        }
        catch (ImportException ex)
        {
            error.WriteLine($"periscope: {ex.Message}.");
            return null;
        }
    }

    /// <summary>Delivers the plan's events through every configured sink and into the ledger, with progress; the exit code.</summary>
    public static int Deliver(StatePaths paths, Func<string, string?> getVariable, ImportPlan plan, TimeProvider time, TextWriter output, TextWriter error, bool terminal)
        => DeliverAsync(paths, getVariable, plan, time, output, error, terminal).GetAwaiter().GetResult();

    /// <summary>
    /// "OpenCode history in DB, not yet in Periscope:" and "12 sessions (3 sub-agent), 240 assistant
    /// messages, $4.12, 2026-10-01 to 2026-11-30", the commits and repositories, and what is left out and why.
    /// </summary>
    public static string Describe(ImportPlan plan, string database, DateOnly? since)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var invariant = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            $"OpenCode history in {database}{(since is { } d ? $" since {d:yyyy-MM-dd}" : string.Empty)}, not yet in Periscope:",
            $"  {Count(plan.Sessions, "session")} ({plan.Subagents} sub-agent), {Count(plan.Messages, "assistant message")}, ${plan.CostUsd.ToString("0.00", invariant)}"
                + (plan.First is { } first && plan.Last is { } last ? $", {first.UtcDateTime:yyyy-MM-dd} to {last.UtcDateTime:yyyy-MM-dd}" : string.Empty),
            $"  {Count(plan.Commits, "commit")} made during those sessions (from the reflog: attribution 'import'), in {Count(plan.Repositories.Count, "repository", "repositories")}",
        };
        if (plan.AlreadyRecorded > 0)
        {
            lines.Add($"  {Count(plan.AlreadyRecorded, "message or session", "messages and sessions")} Periscope already has left as they are");
        }

        if (plan.Unfinished > 0)
        {
            lines.Add($"  {Count(plan.Unfinished, "assistant message")} that never finished (cut off or still running): not events, as in the hook");
        }

        foreach (var (reason, count) in plan.Skipped.OrderByDescending(s => s.Value))
        {
            lines.Add($"  {Count(count, "message")} skipped: {reason}");
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static string Count(int n, string one, string? many = null) => n == 1 ? $"1 {one}" : $"{n} {many ?? one + "s"}";

    private static async Task<int> DeliverAsync(StatePaths paths, Func<string, string?> getVariable, ImportPlan plan, TimeProvider time, TextWriter output, TextWriter error, bool terminal)
    {
        using var held = await DrainLock.AcquireAsync(
            paths,
            waiting: () => error.WriteLine(FlushCommand.WaitingForWorker),
            pointless: static () => false,
            FlushCommand.WorkerWait,
            time);
        if (held is null)
        {
            await error.WriteLineAsync($"periscope: the background worker is still busy after {FlushCommand.WorkerWait.TotalMinutes:0} minutes; nothing was imported. Try again later.");
            return CommandLine.Failure;
        }

        var settings = PeriscopeSettings.Load(getVariable);
        using var courier = new Courier(paths, settings, getVariable, time, new PeriscopeLog(paths, time, echoToStderr: false));
        var progress = new FlushProgress(output, terminal, plan.Events.Count, "importing");
        var (delivered, bytes, dead, spooled, handled) = (0, 0L, 0, 0, 0);
        SinkResult.Unavailable? stopped = null;
        foreach (var chunk in plan.Events.Chunk(ChunkSize))
        {
            var (result, left) = await courier.DeliverAsync(new HeldEvents(paths, chunk, time.GetUtcNow().UtcDateTime), CancellationToken.None);
            (delivered, bytes, dead, spooled, handled) = (delivered + result.Delivered, bytes + result.DeliveredBytes, dead + result.DeadLettered, spooled + left, handled + chunk.Length);
            progress.Report(new DrainProgress(handled, bytes, dead));
            if (result.Stopped is not null)
            {
                stopped = result.Stopped;
                break;
            }
        }

        progress.Finish();
        SeenRepositories.AddImported(paths, plan.GitDirectories);
        var where = settings.Target is DeliveryTarget.Remote remote ? $"delivered to {remote.Endpoint}" : "in the local ledger";
        var otlp = settings.Otlp is { } o ? $" and exported to {o.LogsUri ?? o.MetricsUri}" : string.Empty;
        await output.WriteLineAsync($"Imported {Count(handled, "event")} ({Count(plan.Messages, "message")}, {Count(plan.Sessions, "session")}, {Count(plan.Commits, "commit")}) in {progress.Elapsed.TotalSeconds:0.0} s: {delivered} {where}{otlp} ({paths.Ledger}).");
        if (dead > 0)
        {
            await error.WriteLineAsync(FlushCommand.DeadLettered(dead, paths));
        }

        if (stopped is not null)
        {
            var left = plan.Events.Count - handled;
            await error.WriteLineAsync($"periscope: delivery stopped ({stopped.Reason}); {spooled} events wait in the spool for the worker"
                + (left > 0 ? $", and {left} were not imported yet: run 'periscope import opencode' again once delivery works, and it takes up where it stopped." : "."));
            return CommandLine.Failure;
        }

        return dead > 0 ? CommandLine.Failure : CommandLine.Ok;
    }
}

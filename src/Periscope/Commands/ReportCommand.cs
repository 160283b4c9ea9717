using Periscope.Platform;
using Periscope.Report;
using Periscope.Stats;

namespace Periscope.Commands;

/// <summary>periscope report: the dashboard as one HTML file (<see cref="ReportPage"/>).</summary>
internal static class ReportCommand
{
    private const int DefaultDays = 30;

    public static int Run(ReadOnlySpan<string> args) => Run(args, TimeProvider.System);

    public static int Run(ReadOnlySpan<string> args, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        DateOnly? since = null, until = null;
        string? repository = null, output = null;
        var open = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (arg)
            {
                case "--since" or "--until":
                    if (!CommandLine.TryDay(arg, value, out var date, out var failed))
                    {
                        return failed;
                    }

                    (arg == "--since" ? ref since : ref until) = date;
                    i++;
                    break;
                case "--repo" or "-o" when value is { Length: > 0 }:
                    (arg == "--repo" ? ref repository : ref output) = value;
                    i++;
                    break;
                case "--repo":
                    return CommandLine.Fail("'--repo' takes a repository's name or URL");
                case "-o":
                    return CommandLine.Fail("'-o' takes the file to write, e.g. -o report.html");
                case "--open":
                    open = true;
                    break;
                default:
                    return CommandLine.UnknownOption(arg, "report");
            }
        }

        var last = until ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var first = since ?? last.AddDays(-(DefaultDays - 1));
        if (first > last)
        {
            return CommandLine.Fail($"'--since' ({first:yyyy-MM-dd}) is after '--until' ({last:yyyy-MM-dd})");
        }

        var paths = StatePaths.Resolve(Environment.GetEnvironmentVariable);
        var source = ReportSource.Load(paths);
        if (repository is not null)
        {
            source = source.ForRepository(repository);
        }

        var model = ReportModel.Build(source, first, last.AddDays(1)) with
        {
            CommitShare = repository is null ? CommitShare.Measure(paths, source.Commits, first, last) : null,
        };
        var file = Path.GetFullPath(output ?? Path.Combine(paths.Root, "report.html"));
        AtomicFiles.ReplaceText(file, ReportPage.Write(model, time.GetUtcNow()));
        Console.Out.WriteLine(model.IsEmpty
            ? $"Wrote {file}: the ledger is empty so far, and the page says how to get data."
            : $"Wrote {file}: {first:yyyy-MM-dd} to {last:yyyy-MM-dd}, {ReportPage.Usd(model.Totals[0].Value)} over {model.Totals[2].Value} messages and {model.Commits.Count} commits.");
        if (model.CorruptLines > 0)
        {
            Console.Error.WriteLine($"periscope: {model.CorruptLines} ledger lines or spool files were not valid events and were skipped (the page says so too).");
        }

        if (open && !Browser.TryOpen(new Uri(file), Environment.GetEnvironmentVariable))
        {
            Console.Error.WriteLine($"periscope: no browser could be started; open {file} yourself.");
        }

        return CommandLine.Ok;
    }
}

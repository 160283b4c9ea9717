using Periscope.Platform;
using Periscope.Spool;
using Periscope.Stats;

namespace Periscope.Commands;

/// <summary>periscope stats: cost, tokens, messages and commits from the local ledger.</summary>
internal static class StatsCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        var grouping = StatsGrouping.Model;
        DateOnly? since = null, until = null;
        string format = "table";
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var value = i + 1 < args.Length ? args[i + 1] : null;
            if (arg is "--by" or "--since" or "--until")
            {
                i++;
            }

            switch (arg)
            {
                case "--by":
                    if (value is not { Length: > 0 } || !char.IsAsciiLetter(value[0]) || !Enum.TryParse(value, ignoreCase: true, out grouping))
                    {
                        return CommandLine.Fail("'--by' takes model, provider, day, repo, session or commit");
                    }

                    break;
                case "--since" or "--until":
                    if (!CommandLine.TryDay(arg, value, out var date, out var failed))
                    {
                        return failed;
                    }

                    if (arg == "--since")
                    {
                        since = date;
                    }
                    else
                    {
                        until = date.AddDays(1); // inclusive for the user: up to the end of that day
                    }

                    break;
                case "--json" or "--csv":
                    format = arg[2..];
                    break;
                default:
                    return CommandLine.UnknownOption(arg, "stats");
            }
        }

        var paths = StatePaths.Resolve(Environment.GetEnvironmentVariable);
        var report = grouping == StatsGrouping.Commit ? CommitCosts.Report(paths, since, until) : LedgerScan.Report(paths, grouping, since, until);
        Console.Out.Write(format switch
        {
            "json" => StatsFormatter.Json(report),
            "csv" => StatsFormatter.Csv(report),
            _ => StatsFormatter.Table(report),
        });

        if (report.CorruptLines > 0)
        {
            Console.Error.WriteLine($"periscope: {report.CorruptLines} ledger lines were not valid events and were skipped.");
        }

        var waiting = new SpoolReader(paths).Count();
        if (waiting > 0)
        {
            Console.Error.WriteLine($"periscope: {waiting} events are waiting in the spool and are not counted; run 'periscope flush' to include them.");
        }

        return CommandLine.Ok;
    }
}

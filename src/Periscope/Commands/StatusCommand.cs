using System.Globalization;
using System.Text;
using System.Text.Json;
using Periscope.Delivery;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Commands;

/// <summary>periscope status [--json]: mode, queue, worker, last delivery, dead letters, last problem.</summary>
internal static class StatusCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        var json = false;
        foreach (var arg in args)
        {
            if (arg != "--json")
            {
                return CommandLine.Fail($"unknown option '{arg}' for 'status'");
            }

            json = true;
        }

        var paths = StatePaths.Resolve(Environment.GetEnvironmentVariable);
        var now = TimeProvider.System.GetUtcNow();
        var pending = new SpoolReader(paths).Pending();
        var oldest = pending.Count > 0 ? pending.Min(f => f.LastWriteTimeUtc) : (DateTime?)null;
        var ledgerFiles = new LocalLedger(paths).Files();
        var lastDelivery = ledgerFiles.Count > 0 ? ledgerFiles.Max(File.GetLastWriteTimeUtc) : (DateTime?)null;
        var deadLetters = Directory.Exists(paths.Dead) ? Directory.GetFiles(paths.Dead, "*.json").Length : 0;
        bool workerRunning;
        using (var probe = DrainLock.TryAcquire(paths))
        {
            workerRunning = probe is null;
        }

        var lastProblem = File.Exists(paths.Log) ? File.ReadLines(paths.Log).LastOrDefault() : null;
        if (json)
        {
            Console.Out.Write(Json(paths, pending.Count, oldest, workerRunning, lastDelivery, deadLetters, lastProblem));
            return CommandLine.Ok;
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"mode:           local (no endpoint configured: events stay on this machine)\n");
        text.Append(CultureInfo.InvariantCulture, $"state:          {paths.Root}\n");
        text.Append(CultureInfo.InvariantCulture, $"queue:          {pending.Count} events{(oldest is { } o ? $", oldest {Age(now.UtcDateTime - o)} old" : string.Empty)}\n");
        text.Append(CultureInfo.InvariantCulture, $"worker:         {(workerRunning ? "running" : "not running (the next hook or 'periscope flush' delivers)")}\n");
        text.Append(CultureInfo.InvariantCulture, $"last delivery:  {(lastDelivery is { } d ? d.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "never")}\n");
        text.Append(CultureInfo.InvariantCulture, $"dead letters:   {deadLetters}{(deadLetters > 0 ? $" (in {paths.Dead}, each with a .reason.txt)" : string.Empty)}\n");
        text.Append(CultureInfo.InvariantCulture, $"last problem:   {lastProblem ?? "none"}\n");
        Console.Out.Write(text.ToString());
        return CommandLine.Ok;
    }

    private static string Json(StatePaths paths, int queue, DateTime? oldest, bool workerRunning, DateTime? lastDelivery, int deadLetters, string? lastProblem)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("mode", "local");
            writer.WriteString("state_directory", paths.Root);
            writer.WriteNumber("queue_depth", queue);
            WriteTime(writer, "oldest_queued_at", oldest);
            writer.WriteBoolean("worker_running", workerRunning);
            WriteTime(writer, "last_delivery_at", lastDelivery);
            writer.WriteNumber("dead_letters", deadLetters);
            writer.WriteString("last_problem", lastProblem);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTime? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, DateTime.SpecifyKind(time, DateTimeKind.Utc));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string Age(TimeSpan age)
        => age.TotalSeconds < 90 ? $"{Math.Max(0, (int)age.TotalSeconds)}s"
            : age.TotalMinutes < 90 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
}

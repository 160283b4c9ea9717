using System.Globalization;
using System.Text;
using System.Text.Json;
using Periscope.Auth;
using Periscope.Config;
using Periscope.Delivery;

namespace Periscope.Commands;

/// <summary>
/// periscope status [--json]: mode and endpoint, queue, worker, last success and error, back-off,
/// dead letters, drops, sign-in. Reads only; never prints a token.
/// </summary>
internal static class StatusCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        if (CommandLine.JsonOption(args, "status") is not { } json)
        {
            return CommandLine.UsageError;
        }

        var report = StatusReport.Read(Environment.GetEnvironmentVariable, TimeProvider.System);
        Console.Out.Write(json ? Json(report) : Text(report));
        return CommandLine.Ok;
    }

    private static string Text(StatusReport r)
    {
        var text = new StringBuilder();
        void Line(string name, string value) => text.Append(CultureInfo.InvariantCulture, $"{name + ":",-16}{value}\n");

        Line("mode", r.Mode switch
        {
            "local" => "local (no endpoint configured: events stay on this machine)",
            "remote" => "remote",
            _ => $"not delivering: {r.ConfigProblem}",
        });
        Line("config", r.ConfigPath + (File.Exists(r.ConfigPath) ? string.Empty : " (absent)"));
        if (r.Endpoint is not null)
        {
            Line("endpoint", r.Endpoint);
            Line("sign-in", r.SignIn switch
            {
                "needs_login" => "needs_login: the sign-in expired or was refused; run 'periscope login' (events wait in the spool)",
                "not_a_member" => "not a member of a Periscope organization: ask your Periscope admin for an invitation",
                "not_signed_in" => "not signed in: run 'periscope login' (or set PERISCOPE_TOKEN in CI and images)",
                _ => r.TokenSource == AccessTokens.TokenVariable ? $"ok (token from {r.TokenSource})" : $"ok ({r.TokenSource})",
            });
        }

        if (r.Otlp is { } otlp)
        {
            Line("otlp", $"logs {Describe(otlp.LogsUri, otlp.LogsProtocol)}, metrics {Describe(otlp.MetricsUri, otlp.MetricsProtocol)} (from {otlp.Source})");
            var exported = r.OtlpState ?? new DeliveryState();
            var backoff = exported.NextAttemptAt is { } otlpNext && otlpNext > r.Now ? $"; backing off, next attempt {Time(otlpNext)}" : string.Empty;
            Line("otlp status", $"last success {(exported.LastSuccessAt is { } at ? Time(at) : "never")}, {exported.Delivered} exported, {r.OtlpDeadLetters} dead letters{backoff}{(exported.LastError is { } e ? $"; last error: {e}" : string.Empty)}");
        }

        Line("state", r.StateProblem is { } refused ? $"{r.StateDirectory}; refused: {refused}" : r.StateDirectory);
        Line("queue", $"{r.QueueDepth} events{(r.OldestQueuedAt is { } o ? $", oldest {Age(r.Now - o)} old" : string.Empty)}");
        Line("worker", r.WorkerRunning ? "running" : "not running (the next hook or 'periscope flush' delivers)");
        Line("last success", r.State.LastSuccessAt is { } s ? Time(s) : "never");
        if (r.State.LastError is { } error)
        {
            Line("last error", $"{error} ({(r.State.LastErrorAt is { } at ? Time(at) : "?")})");
        }

        if (r.State.NextAttemptAt is { } next && next > r.Now)
        {
            Line("backing off", $"{r.State.Failures} failed rounds; next attempt {Time(next)} ('periscope flush' tries now)");
        }

        Line("dead letters", $"{r.DeadLetters}{(r.DeadLetters > 0 ? $" (in {Path.Combine(r.StateDirectory, "dead")}, each with a .reason.txt)" : string.Empty)}");
        Line("dropped", $"{r.State.DroppedFull} (spool full), {r.State.DroppedExpired} (older than the age limit)");
        Line("last problem", r.LastLogLine ?? "none");
        return text.ToString();
    }

    private static string Json(StatusReport r)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("mode", r.Mode);
            writer.WriteString("config_file", r.ConfigPath);
            writer.WriteString("config_problem", r.ConfigProblem);
            writer.WriteString("endpoint", r.Endpoint);
            writer.WriteString("sign_in", r.SignIn);
            writer.WriteString("state_directory", r.StateDirectory);
            writer.WriteString("state_problem", r.StateProblem);
            writer.WriteNumber("queue_depth", r.QueueDepth);
            WriteTime(writer, "oldest_queued_at", r.OldestQueuedAt);
            writer.WriteBoolean("worker_running", r.WorkerRunning);
            WriteTime(writer, "last_success_at", r.State.LastSuccessAt);
            writer.WriteString("last_error", r.State.LastError);
            WriteTime(writer, "last_error_at", r.State.LastErrorAt);
            writer.WriteNumber("failures", r.State.Failures);
            WriteTime(writer, "next_attempt_at", r.State.NextAttemptAt);
            writer.WriteNumber("delivered", r.State.Delivered);
            writer.WriteNumber("dead_letters", r.DeadLetters);
            writer.WriteNumber("dropped_full", r.State.DroppedFull);
            writer.WriteNumber("dropped_expired", r.State.DroppedExpired);
            writer.WriteString("last_problem", r.LastLogLine);
            if (r.Otlp is { } otlp)
            {
                var o = r.OtlpState ?? new DeliveryState();
                writer.WriteStartObject("otlp");
                writer.WriteString("logs_endpoint", otlp.LogsUri?.ToString());
                writer.WriteString("metrics_endpoint", otlp.MetricsUri?.ToString());
                writer.WriteString("protocol", otlp.LogsProtocol == OtlpProtocol.Json ? "http/json" : "http/protobuf");
                writer.WriteString("source", otlp.Source);
                WriteTime(writer, "last_success_at", o.LastSuccessAt);
                writer.WriteString("last_error", o.LastError);
                writer.WriteNumber("failures", o.Failures);
                WriteTime(writer, "next_attempt_at", o.NextAttemptAt);
                writer.WriteNumber("exported", o.Delivered);
                writer.WriteNumber("dead_letters", r.OtlpDeadLetters);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("otlp");
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string Describe(Uri? uri, OtlpProtocol protocol)
        => uri is null ? "off" : $"to {uri} ({(protocol == OtlpProtocol.Json ? "http/json" : "http/protobuf")})";

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time.ToUniversalTime());
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Age(TimeSpan age)
        => age.TotalSeconds < 90 ? $"{Math.Max(0, (int)age.TotalSeconds)}s"
            : age.TotalMinutes < 90 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
}

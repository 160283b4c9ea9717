using System.Text;
using System.Text.Json;
using Periscope.Doctor;

namespace Periscope.Commands;

/// <summary>
/// periscope doctor [--json]: every troubleshooting check, each with pass or fail and the fix:
/// the setup (plugin, executable, config, git, spool), then the network, sign-in and queue.
/// Exits 1 when any check fails. Runs in the delivery component, away from the hook's start-up.
/// </summary>
internal static class DoctorCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        if (CommandLine.JsonOption(args, "doctor") is not { } json)
        {
            return CommandLine.UsageError;
        }

        var checks = SetupChecks.Run(Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        checks.AddRange(new DeliveryChecks(Environment.GetEnvironmentVariable, TimeProvider.System).RunAsync(cancel.Token).GetAwaiter().GetResult());
        var healthy = checks.TrueForAll(c => c.Status != CheckStatus.Fail);
        Console.Out.Write(json ? Json(checks, healthy) : Text(checks, healthy));
        return healthy ? CommandLine.Ok : CommandLine.Failure;
    }

    private static string Text(List<DoctorCheck> checks, bool healthy)
    {
        var text = new StringBuilder();
        foreach (var check in checks)
        {
            var mark = check.Status switch
            {
                CheckStatus.Pass => "ok  ",
                CheckStatus.Warn => "warn",
                CheckStatus.Fail => "FAIL",
                _ => "skip",
            };
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{mark}  {check.Name,-13}{check.Detail}\n");
            if (check.Fix is not null && check.Status is CheckStatus.Fail or CheckStatus.Warn)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{string.Empty,19}fix: {check.Fix}\n");
            }
        }

        var failed = checks.Count(c => c.Status == CheckStatus.Fail);
        text.Append(healthy ? "\nAll checks passed.\n" : $"\n{failed} {(failed == 1 ? "check" : "checks")} failed.\n");
        return text.ToString();
    }

    private static string Json(List<DoctorCheck> checks, bool healthy)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("ok", healthy);
            writer.WriteStartArray("checks");
            foreach (var check in checks)
            {
                check.WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}

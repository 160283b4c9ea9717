using System.Text;
using Periscope.Capture;

namespace Periscope.Commands;

/// <summary>
/// periscope replay &lt;file.jsonl&gt;: every line through the same capture path as the hook, for
/// debugging and demos. Prints a summary; --verbose adds a line per hook call.
/// </summary>
internal static class ReplayCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        string? file = null;
        var verbose = false;
        foreach (var arg in args)
        {
            if (arg == "--verbose")
            {
                verbose = true;
            }
            else if (arg.StartsWith('-'))
            {
                return CommandLine.UnknownOption(arg, "replay");
            }
            else if (file is null)
            {
                file = arg;
            }
            else
            {
                return CommandLine.Fail("'replay' takes one file");
            }
        }

        if (file is null)
        {
            return CommandLine.Fail("'replay' needs a file: periscope replay <file.jsonl>");
        }

        if (!File.Exists(file))
        {
            Console.Error.WriteLine($"periscope: cannot replay '{file}': no such file.");
            return CommandLine.Failure;
        }

        var (pipeline, log) = CaptureSetup.Create(verbose: false, useWorkingDirectory: false);
        int lines = 0, written = 0, ignored = 0, failed = 0;
        var events = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(file, Encoding.UTF8))
        {
            lines++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var outcome = pipeline.Process(Encoding.UTF8.GetBytes(line));
            if (outcome.Warning is { } warning)
            {
                log.Write("replay", $"{Path.GetFileName(file)}:{lines}: {warning}");
            }

            switch (outcome.Status)
            {
                case CaptureStatus.Written:
                    written += outcome.EventIds.Count;
                    events.UnionWith(outcome.EventIds);
                    break;
                case CaptureStatus.Ignored:
                    ignored++;
                    break;
                default:
                    failed++;
                    log.Write("replay", $"{Path.GetFileName(file)}:{lines}: {outcome.Detail}");
                    Console.Error.WriteLine($"{file}:{lines}: {outcome.Detail}");
                    break;
            }

            if (verbose && outcome.Status != CaptureStatus.Failed)
            {
                Console.Out.WriteLine($"{file}:{lines}: {outcome.Detail}");
            }
        }

        Console.Out.WriteLine($"replayed {lines} lines: {written} captured ({events.Count} distinct events), {ignored} ignored, {failed} failed");
        return CommandLine.Ok;
    }
}

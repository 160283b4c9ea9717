using Periscope.Spool;
using Periscope.Capture;
using Periscope.Platform;

namespace Periscope.Commands;

/// <summary>
/// periscope hook opencode: one hook call on stdin -> at most one spool file. Always exits 0 once
/// the arguments are right, prints nothing unless --verbose, and logs problems.
/// </summary>
internal static class HookCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.IsEmpty)
        {
            return CommandLine.Fail("'hook' needs the agent it is called from: periscope hook opencode");
        }

        if (args[0] != "opencode")
        {
            return CommandLine.Fail($"'hook' supports 'opencode', not '{args[0]}'");
        }

        var verbose = false;
        foreach (var arg in args[1..])
        {
            if (arg != "--verbose")
            {
                return CommandLine.UnknownOption(arg, "hook opencode");
            }

            verbose = true;
        }

        try
        {
            Capture(verbose);
        }
        catch (Exception ex)
        {
            // Never fail the host: a bug here is reported, not thrown into OpenCode.
            if (verbose)
            {
                Console.Error.WriteLine($"periscope hook: unexpected {ex.GetType().Name}: {ex.Message}");
            }
        }

        return CommandLine.Ok;
    }

    private static void Capture(bool verbose)
    {
        var paths = StatePaths.Resolve(Environment.GetEnvironmentVariable);
        // Not the user's alone: nothing is read or written there, the log included (doctor and status say why).
        if (StateDirectoryTrust.Check(paths, subdirectories: false) is { } untrusted)
        {
            if (verbose)
            {
                Console.Error.WriteLine($"periscope hook: {untrusted}");
            }

            return;
        }

        var (pipeline, log) = CaptureSetup.Create(verbose, useWorkingDirectory: true);
        if (!Console.IsInputRedirected)
        {
            log.Write("hook", "no input: stdin is a terminal; the OpenCode plugin pipes the hook call in");
            return;
        }

        ArraySegment<byte>? payload;
        using (var stdin = Console.OpenStandardInput())
        {
            payload = HookInputReader.Read(stdin);
        }

        if (payload is null)
        {
            log.Write("hook", $"input larger than {HookInputReader.MaxBytes} bytes ignored");
            return;
        }

        var outcome = pipeline.Process(payload.Value);
        if (outcome.Warning is { } warning)
        {
            log.Write("hook", warning);
        }

        switch (outcome.Status)
        {
            case CaptureStatus.Failed:
                log.Write("hook", outcome.Detail);
                break;
            case CaptureStatus.Written or CaptureStatus.Ignored when verbose:
                Console.Error.WriteLine($"periscope hook: {outcome.Detail}");
                break;
        }

        if (outcome.WantsDelivery && WorkerLauncher.EnsureRunning(paths, Environment.GetEnvironmentVariable) && verbose)
        {
            Console.Error.WriteLine("periscope hook: started the background worker");
        }

        if (outcome.SessionStarted && SignInPrompt.TryStart(paths, Environment.GetEnvironmentVariable, TimeProvider.System) && verbose)
        {
            Console.Error.WriteLine("periscope hook: delivery needs a new sign-in; opened the sign-in prompt");
        }
    }
}

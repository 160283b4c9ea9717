using Periscope.Auth;
using Periscope.Config;
using Periscope.Delivery;

namespace Periscope.Commands;

/// <summary>
/// periscope login [--device-code]: signs in with the endpoint's OpenID provider, in the browser
/// (redirect http://localhost:14550) or with a code typed on another device. Gives up after 5
/// minutes; Ctrl+C stops it. Exit 0 when events can be delivered as the signed-in user.
/// `--auto` is the prompt a hook starts when delivery needs a new sign-in (<see cref="Login.Prompt"/>):
/// one at a time, at most once per cooldown, its outcome in periscope.log.
/// </summary>
internal static class LoginCommand
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

    public static int Run(ReadOnlySpan<string> args)
    {
        var deviceCode = false;
        foreach (var arg in args)
        {
            if (arg == "--auto" && args.Length == 1)
            {
                return Prompt();
            }

            if (arg != "--device-code")
            {
                return CommandLine.UnknownOption(arg, "login");
            }

            deviceCode = true;
        }

        var settings = PeriscopeSettings.Load(Environment.GetEnvironmentVariable);
        switch (settings.Target)
        {
            case DeliveryTarget.Local:
                Console.Error.WriteLine($"periscope: local mode (no endpoint in {settings.ConfigPath}): there is nothing to sign in to. Set \"endpoint\" there to deliver to Periscope.");
                return CommandLine.Failure;
            case DeliveryTarget.Misconfigured bad:
                Console.Error.WriteLine($"periscope: {bad.Problem}");
                return CommandLine.Failure;
        }

        if (Environment.GetEnvironmentVariable(AccessTokens.TokenVariable) is { Length: > 0 })
        {
            Console.Error.WriteLine($"periscope: note: {AccessTokens.TokenVariable} is set and is used instead of this sign-in while it is.");
        }

        using var cancel = new CancellationTokenSource(s_timeout);
        var interrupted = false;
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            interrupted = true;
            cancel.Cancel();
        };
        var flow = new Login(settings, (DeliveryTarget.Remote)settings.Target, Environment.GetEnvironmentVariable, TimeProvider.System);
        try
        {
            var outcome = flow.RunAsync(deviceCode, Console.Out, cancel.Token).GetAwaiter().GetResult();
            (outcome.Success ? Console.Out : Console.Error).WriteLine(outcome.Success ? outcome.Message : $"periscope: {outcome.Message}");
            return outcome.Success ? CommandLine.Ok : CommandLine.Failure;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine(interrupted
                ? "periscope: sign-in interrupted; nothing was changed."
                : $"periscope: sign-in timed out after {s_timeout.TotalMinutes:0} minutes with no sign-in completed; nothing was changed.");
            return CommandLine.Failure;
        }
    }

    // Started detached by a hook: no terminal, so what happened goes to periscope.log.
    private static int Prompt()
        => Login.Prompt(Environment.GetEnvironmentVariable, TimeProvider.System) ? CommandLine.Ok : CommandLine.Failure;
}

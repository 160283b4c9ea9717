using Periscope.Auth;
using Periscope.Config;

namespace Periscope.Commands;

/// <summary>periscope logout: removes the stored sign-in (tokens and what login kept about it); exit 1 when a secret may remain in the keychain.</summary>
internal static class LogoutCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        if (!args.IsEmpty)
        {
            return CommandLine.UnknownOption(args[0], "logout");
        }

        var store = AccessTokens.StoreFor(PeriscopeSettings.Load(Environment.GetEnvironmentVariable), Environment.GetEnvironmentVariable);
        var signOut = store.ClearAsync().GetAwaiter().GetResult();
        if (signOut.Left is { } left)
        {
            Console.Error.WriteLine($"periscope: the sign-in files were removed, but a secret may remain: {left}.");
            return CommandLine.Failure;
        }

        Console.Out.WriteLine(signOut.Had
            ? "Signed out: the stored sign-in was removed. Events wait in the spool until 'periscope login'."
            : "Not signed in: nothing to remove.");
        return CommandLine.Ok;
    }
}

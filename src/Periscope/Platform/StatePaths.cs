namespace Periscope.Platform;

/// <summary>
/// Where Periscope keeps its state: PERISCOPE_HOME, else the platform's per-user state directory
/// (XDG_STATE_HOME or ~/.local/state on Linux, ~/Library/Application Support on macOS,
/// %LOCALAPPDATA% on Windows). Nothing is created here; see <see cref="PrivateFiles"/>.
/// </summary>
internal sealed record StatePaths(string Root)
{
    public const string HomeVariable = "PERISCOPE_HOME";

    public string Spool => Path.Combine(Root, "spool");

    public string SpoolTemp => Path.Combine(Root, "spool", "tmp");

    public string Log => Path.Combine(Root, "periscope.log");

    /// <summary>Events that cannot be delivered, each beside a .reason.txt saying why.</summary>
    public string Dead => Path.Combine(Root, "dead");

    /// <summary>Delivered events (and, in local mode, every event): ledger/YYYY-MM.jsonl.</summary>
    public string Ledger => Path.Combine(Root, "ledger");

    /// <summary>What stats and report know of each ledger file already (a cache: safe to delete).</summary>
    public string LedgerIndex => Path.Combine(Root, "ledger-index");

    /// <summary>Delivery's memory between processes: back-off, last success and error, drops.</summary>
    public string Status => Path.Combine(Root, "status.json");

    /// <summary>Held by whoever drains the spool (flush, the worker).</summary>
    public string DrainLock => Path.Combine(Root, "worker.lock");

    /// <summary>Present while delivery waits for a new sign-in: the hook only looks for it.</summary>
    public string NeedsLogin => Path.Combine(Root, "needs-login");

    /// <summary>Written when a sign-in prompt opened, for its cooldown; held locked while it runs.</summary>
    public string LoginPrompt => Path.Combine(Root, "login-prompt");

    /// <summary>Resolves the state directory from the environment.</summary>
    /// <param name="getVariable">Reads an environment variable; tests pass their own.</param>
    public static StatePaths Resolve(Func<string, string?> getVariable) => Resolve(getVariable, HostOS.Family);

    /// <summary>Resolves the state directory by the conventions of <paramref name="os"/>.</summary>
    public static StatePaths Resolve(Func<string, string?> getVariable, OSFamily os)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var configured = getVariable(HomeVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new StatePaths(Path.GetFullPath(configured));
        }

        if (os == OSFamily.Windows)
        {
            var local = getVariable("LOCALAPPDATA") is { Length: > 0 } l ? l : Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return new StatePaths(Path.Combine(local, "Periscope"));
        }

        if (os == OSFamily.MacOS)
        {
            return new StatePaths(Path.Combine(UserDirectories.Home(getVariable), "Library", "Application Support", "Periscope"));
        }

        return new StatePaths(Path.Combine(UserDirectories.Xdg(getVariable, "XDG_STATE_HOME", ".local", "state"), "periscope"));
    }
}

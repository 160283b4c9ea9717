using System.Diagnostics;

namespace Periscope.Tests.Support;

/// <summary>
/// A real desktop keyring of the test's own: a private D-Bus session bus (dbus-daemon) and GNOME
/// Keyring's Secret Service on it (gnome-keyring-daemon, its login keyring unlocked with a test
/// password), in a temp HOME. secret-tool (libsecret's CLI) looks at what was stored. .ci/run
/// installs dbus, gnome-keyring and libsecret-tools.
/// </summary>
internal sealed class DesktopKeyring : IDisposable
{
    private readonly TempDirectory _temp;
    private readonly Process _bus;
    private readonly Process _keyring;

    private DesktopKeyring(TempDirectory temp, Process bus, string address, Process keyring)
    {
        _temp = temp;
        _bus = bus;
        BusAddress = address;
        _keyring = keyring;
    }

    /// <summary>DBUS_SESSION_BUS_ADDRESS for the processes that should see this keyring.</summary>
    public string BusAddress { get; }

    /// <param name="unlocked">False: no login keyring, so every store and lookup fails at once (a keyring nobody set up).</param>
    public static DesktopKeyring Start(bool unlocked = true)
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("The Secret Service keyring is Linux's (D-Bus, GNOME Keyring); Periscope keeps tokens in its 0600 file on other systems.");
            throw new System.Diagnostics.UnreachableException();
        }

        var temp = new TempDirectory();
        var run = Directory.CreateDirectory(temp.Combine("run")).FullName;

        File.SetUnixFileMode(run, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var bus = Launch("dbus-daemon", ["--session", "--nofork", "--print-address=1"], temp, null);
        var address = bus.StandardOutput.ReadLine();
        Assert.False(string.IsNullOrEmpty(address), "dbus-daemon printed no address");
        var keyring = Launch("gnome-keyring-daemon", unlocked ? ["--unlock", "--components=secrets", "--foreground"] : ["--components=secrets", "--foreground"], temp, address);
        keyring.StandardInput.Write(unlocked ? "test-keyring-password" : string.Empty);
        keyring.StandardInput.Close();
        var started = new DesktopKeyring(temp, bus, address!, keyring);
        started.WaitUntilServing(unlocked);
        return started;
    }

    /// <summary>The secret Periscope keeps for a config directory, or null (secret-tool lookup).</summary>
    public string? Lookup(string configDirectory)
    {
        var (exitCode, stdout, _) = SecretTool(["lookup", "service", "periscope", "kind", "msal-token-cache", "config", configDirectory]);
        return exitCode == 0 && stdout.Length > 0 ? stdout : null;
    }

    // Ready once a store and lookup go through the Secret Service (or, with no login keyring, once it answers that).
    private void WaitUntilServing(bool unlocked)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var store = SecretTool(["store", "--label=probe", "service", "probe"], "ready");
            if (unlocked ? store.ExitCode == 0 && SecretTool(["lookup", "service", "probe"]).Stdout == "ready" : store.Stderr.Contains("collection", StringComparison.Ordinal))
            {
                return;
            }

            Thread.Sleep(100);
        }

        Assert.Fail("gnome-keyring-daemon did not start serving the Secret Service");
    }

    private (int ExitCode, string Stdout, string Stderr) SecretTool(string[] args, string? stdin = null)
    {
        var start = new ProcessStartInfo("secret-tool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DBUS_SESSION_BUS_ADDRESS"] = BusAddress;
        using var process = Process.Start(start)!;
        process.StandardInput.Write(stdin ?? string.Empty);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(15)))
        {
            process.Kill();
            return (-1, string.Empty, "timed out");
        }

        return (process.ExitCode, stdout.Result, stderr);
    }

    private static Process Launch(string program, string[] args, TempDirectory temp, string? busAddress)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = temp.Combine("home");
        start.Environment["XDG_RUNTIME_DIR"] = temp.Combine("run");
        start.Environment["XDG_DATA_HOME"] = temp.Combine("home", ".local", "share");
        if (busAddress is not null)
        {
            start.Environment["DBUS_SESSION_BUS_ADDRESS"] = busAddress;
        }

        try
        {
            return Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{program} is needed for the keyring tests (.ci/run installs dbus, gnome-keyring and libsecret-tools): {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        foreach (var process in new[] { _keyring, _bus })
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }

            process.Dispose();
        }

        _temp.Dispose();
    }
}

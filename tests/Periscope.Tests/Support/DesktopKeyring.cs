using System.Diagnostics;

namespace Periscope.Tests.Support;

/// <summary>
/// The OS keychain a test signs in with. On Linux, a real desktop keyring of the test's own: a
/// private D-Bus session bus (dbus-daemon) and GNOME Keyring's Secret Service on it
/// (gnome-keyring-daemon, its login keyring unlocked with a test password), in a temp HOME;
/// secret-tool (libsecret's CLI) looks at what was stored, and .ci/run installs dbus, gnome-keyring
/// and libsecret-tools. On macOS, the user's login Keychain (security(1) looks); on Windows, the
/// DPAPI-encrypted file (decrypted here with the user's key). Each entry is named by the test's
/// own config directory, so tests never meet each other's.
/// </summary>
internal sealed class DesktopKeyring : IDisposable
{
    private readonly TempDirectory? _temp;
    private readonly Process? _bus;
    private readonly Process? _keyring;

    private DesktopKeyring()
    {
    }

    private DesktopKeyring(TempDirectory temp, Process bus, string address, Process keyring)
    {
        _temp = temp;
        _bus = bus;
        BusAddress = address;
        _keyring = keyring;
    }

    /// <summary>DBUS_SESSION_BUS_ADDRESS for the processes that should see this keyring (Linux; null elsewhere).</summary>
    public string? BusAddress { get; }

    /// <summary>The OS keychain: on Linux a private GNOME Keyring; the user's own elsewhere.</summary>
    /// <param name="unlocked">False: no login keyring, so every store and lookup fails at once (a keyring nobody set up; Linux only).</param>
    public static DesktopKeyring Start(bool unlocked = true)
    {
        if (!OperatingSystem.IsLinux())
        {
            if (!unlocked)
            {
                Assert.Skip("A keyring with no login collection is a Secret Service case (Linux); the macOS Keychain and DPAPI have no such state to set up.");
            }

            return new DesktopKeyring();
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

    /// <summary>
    /// A session bus on which the Secret Service's name is taken by something that never answers
    /// (dbus-test-tool black-hole): a keyring stuck behind an unlock prompt nobody sees. Linux only.
    /// </summary>
    public static DesktopKeyring StartUnanswering()
    {
        RequireSecretService();
        var temp = new TempDirectory();
        var bus = Launch("dbus-daemon", ["--session", "--nofork", "--print-address=1"], temp, null);
        var address = bus.StandardOutput.ReadLine();
        Assert.False(string.IsNullOrEmpty(address), "dbus-daemon printed no address");
        var hole = Launch("dbus-test-tool", ["black-hole", "--session", "--name=org.freedesktop.secrets", "--no-read"], temp, address);
        var started = new DesktopKeyring(temp, bus, address!, hole);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!started.Run("dbus-send", ["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"]).Stdout.Contains("true", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "dbus-test-tool did not take the Secret Service's name");
            Thread.Sleep(100);
        }

        return started;
    }

    /// <summary>Skips the calling test where the keychain is not a Secret Service (it is about one).</summary>
    public static void RequireSecretService()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("This is about the freedesktop Secret Service (Linux); macOS and Windows keep the sign-in in the Keychain and DPAPI.");
        }
    }

    /// <summary>The token cache Periscope keeps for a config directory, or null.</summary>
    public string? Lookup(string configDirectory)
    {
        if (OperatingSystem.IsWindows())
        {
            var file = Path.Combine(configDirectory, "periscope-tokens.protected");
            return File.Exists(file) && new FileInfo(file).Length > 0
                ? System.Text.Encoding.UTF8.GetString(System.Security.Cryptography.ProtectedData.Unprotect(File.ReadAllBytes(file), null, System.Security.Cryptography.DataProtectionScope.CurrentUser))
                : null;
        }

        if (OperatingSystem.IsMacOS())
        {
            var (code, password, _) = Run("security", ["find-generic-password", "-s", "Periscope sign-in", "-a", configDirectory, "-w"]);
            return code == 0 && password.Trim().Length > 0 ? password.Trim() : null;
        }

        var (exitCode, stdout, _) = SecretTool(["lookup", "application", "periscope", "config", configDirectory]);
        return exitCode == 0 && stdout.Length > 0 ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(stdout)) : null;
    }

    /// <summary>The sign-in as the earlier Periscope kept it: plain text under its own schema and three attributes.</summary>
    public void StoreEarlier(string configDirectory, string cache)
    {
        var (exitCode, _, stderr) = SecretTool(["store", $"--label=Periscope sign-in ({configDirectory})", "xdg:schema", "sh.periscope.SignIn", "service", "periscope", "kind", "msal-token-cache", "config", configDirectory], cache);
        Assert.True(exitCode == 0, stderr);
    }

    /// <summary>The earlier schema's item for a config directory, or null.</summary>
    public string? LookupEarlier(string configDirectory)
    {
        var (exitCode, stdout, _) = SecretTool(["lookup", "service", "periscope", "kind", "msal-token-cache", "config", configDirectory]);
        return exitCode == 0 && stdout.Length > 0 ? stdout : null;
    }

    /// <summary>Stops the Secret Service (gnome-keyring-daemon), as when a desktop session ends; what it stored stays in its files.</summary>
    public void StopService()
    {
        _keyring!.Kill(entireProcessTree: true);
        _keyring.WaitForExit(5000);
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

    private (int ExitCode, string Stdout, string Stderr) SecretTool(string[] args, string? stdin = null) => Run("secret-tool", args, stdin);

    private (int ExitCode, string Stdout, string Stderr) Run(string program, string[] args, string? stdin = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (BusAddress is not null)
        {
            start.Environment["DBUS_SESSION_BUS_ADDRESS"] = BusAddress;
        }

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
            throw new InvalidOperationException($"{program} is needed for the keyring tests (./build.sh test installs dbus, gnome-keyring, libsecret-tools and dbus-tests): {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        foreach (var process in new[] { _keyring, _bus }.OfType<Process>())
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

        _temp?.Dispose();
    }
}

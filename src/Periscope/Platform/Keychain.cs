using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Microsoft.Identity.Client.Extensions.Msal;

namespace Periscope.Platform;

/// <summary>
/// The operating system's own place for secrets, through Microsoft.Identity.Client.Extensions.Msal
/// (its <see cref="Storage"/>, which does the OS work and is tested by its maintainers on each):
/// the login Keychain on macOS, a file encrypted with DPAPI (the user's key) on Windows, the
/// freedesktop Secret Service (GNOME Keyring, KWallet) through libsecret on Linux. One entry per
/// config directory. The library has no time limit of its own; every call here has 10 s, so a
/// keyring that waits on an unlock prompt nobody answers cannot hang the worker.
/// </summary>
internal sealed partial class Keychain
{
    public const string Variable = "PERISCOPE_KEYRING";

    /// <summary>On Windows the encrypted cache itself; on macOS and Linux an empty file the library touches after each write.</summary>
    public const string FileName = "periscope-tokens.protected";

    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(10);

    // The library logs through a TraceSource; Periscope's output stays its own.
    private static readonly TraceSource s_silent = new("periscope-keychain", SourceLevels.Off);

    // Set once a call has not answered (WithinLimit).
    private static string? s_unanswered;

    private readonly Storage _storage;

    private Keychain(Storage storage, string description)
    {
        _storage = storage;
        Description = description;
    }

    /// <summary>Where the secret is, in words for status and doctor.</summary>
    public string Description { get; }

    /// <summary>
    /// The keychain for sign-ins configured in <paramref name="directory"/>, or null:
    /// PERISCOPE_KEYRING=off, or Linux with no session bus or no libsecret. It is not asked anything yet.
    /// </summary>
    public static Keychain? TryOpen(string directory, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        if (string.Equals(getVariable(Variable), "off", StringComparison.OrdinalIgnoreCase)
            || (HostOS.IsLinux && (string.IsNullOrEmpty(getVariable("DBUS_SESSION_BUS_ADDRESS")) || !HasLibsecret.Value)))
        {
            return null;
        }

        s_silent.Listeners.Clear();
        var properties = new StorageCreationPropertiesBuilder(FileName, directory)
            .WithMacKeyChain("Periscope sign-in", directory)
            .WithLinuxKeyring(
                "sh.periscope.SignInCache",
                MsalCacheHelper.LinuxKeyRingDefaultCollection,
                $"Periscope sign-in ({directory})",
                new KeyValuePair<string, string>("application", "periscope"),
                new KeyValuePair<string, string>("config", directory))
            .Build();
        var description = HostOS.IsWindows ? $"{Path.Combine(directory, FileName)} (encrypted with Windows DPAPI)"
            : HostOS.IsMacOS ? "the macOS Keychain"
            : "the desktop keyring (Secret Service)";
        return new Keychain(Storage.Create(properties, s_silent), description);
    }

    /// <summary>The stored secret, null when there is none; throws <see cref="KeyringException"/> when the keychain cannot be asked.</summary>
    public byte[]? Read() => Call("read from", () => _storage.ReadData() is { Length: > 0 } data ? data : null);

    public void Write(byte[] secret) => Call<object?>("write to", () =>
    {
        _storage.WriteData(secret);
        return null;
    });

    public void Clear() => Call<object?>("remove from", () =>
    {
        _storage.Clear();
        return null;
    });

    /// <summary>
    /// Writes, reads back and removes a test entry (the library's own check): throws
    /// <see cref="KeyringException"/> when the keychain would not keep a secret. A keyring that is
    /// locked, or a session bus with no Secret Service on it, fails here rather than at the sign-in.
    /// </summary>
    public void Verify() => Call<object?>("use", () =>
    {
        _storage.VerifyPersistence();
        return null;
    });

    /// <summary>
    /// One call into the OS keyring on its own thread, waited for at most 10 s: a
    /// <see cref="KeyringException"/> it throws comes out as it is. Once a call has not answered,
    /// no other is made by this process (its thread still waits in the OS, and each would cost the
    /// full limit). <see cref="EarlierKeyringEntry"/>'s calls go through here too.
    /// </summary>
    internal static T WithinLimit<T>(string keyring, Func<T> call)
    {
        if (s_unanswered is { } unanswered)
        {
            throw new KeyringException(unanswered);
        }

        var work = Task.Run(call);
        try
        {
            if (!work.Wait(CallLimit))
            {
                s_unanswered = $"{keyring} did not answer within {CallLimit.TotalSeconds:0} s (is it waiting for an unlock prompt?)";
                throw new KeyringException(s_unanswered);
            }
        }
        catch (AggregateException ex) when (ex.InnerException is KeyringException inner)
        {
            throw inner;
        }

        return work.Result;
    }

    // One library call within the limit; whatever the library throws becomes a KeyringException.
    private T Call<T>(string verb, Func<T> call) => WithinLimit(Description, () =>
    {
        try
        {
            return call();
        }
        catch (Exception ex) when (ex is not KeyringException)
        {
            throw new KeyringException($"cannot {verb} {Description}: {FirstLine(ex)}", ex);
        }
    });

    // The library wraps what the OS said (for libsecret, a GError's message quoted inside its own
    // sentence) in one or two exceptions of its own: the innermost holds it.
    private static string FirstLine(Exception ex)
    {
        var said = ex.GetBaseException().Message;
        var quoted = QuotedMessage().Match(said);
        return (quoted.Success ? quoted.Groups["message"].Value : said).Split('\n')[0].Trim();
    }

    [GeneratedRegex("message:'(?<message>[^']*)'")]
    private static partial Regex QuotedMessage();

    // Checked before the library is asked: without libsecret, its first call would throw DllNotFoundException.
    private static readonly Lazy<bool> HasLibsecret = new(() =>
    {
        if (!NativeLibrary.TryLoad("libsecret-1.so.0", out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    });
}

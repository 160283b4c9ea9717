using Periscope.Tests.Support;

namespace Periscope.Tests.Auth;

/// <summary>
/// The sign-in's tokens in the OS keychain (on Linux a real GNOME Keyring on a private session bus,
/// through libsecret; the Keychain on macOS and DPAPI on Windows on the release workflow's runners),
/// against the real OpenID provider: stored there and nowhere else, renewed from there, removed by
/// logout; a token file from before, or an entry under the earlier keyring schema, moves in; the
/// file when the keyring refuses, and status, doctor and logout say so; off when asked.
/// </summary>
[Collection(SignInCollection.Name)]
public sealed class KeyringTests
{
    [Fact]
    public async Task Login_WithADesktopKeyring_KeepsTheTokensThere_AndDeliveryRenewsFromThere()
    {
        using var keyring = DesktopKeyring.Start();
        await using var harness = await SignInHarness.StartAsync(accessTokenSeconds: 60);
        harness.Keyring = keyring;

        var (login, _) = await harness.LoginAsync("alice");

        Assert.True(login.ExitCode == 0, login.Stdout + login.Stderr);
        Assert.False(File.Exists(harness.TokenCachePath), "no token file beside analytics.json");
        var kept = keyring.Lookup(harness.ConfigDirectory);
        Assert.NotNull(kept);
        Assert.Contains("\"RefreshToken\"", kept, StringComparison.Ordinal);
        Assert.Contains($"tokens in {Where(harness)}", harness.Run(null, "status").Stdout, StringComparison.Ordinal);

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(0, harness.Run(HookEnvelopes.CompletedMessage(i), "hook", "opencode").ExitCode);
            var flush = harness.Run(null, "flush");
            Assert.True(flush.ExitCode == 0, flush.Stderr);
        }

        Assert.Equal(2, harness.Ingest.Stored.Count);
        Assert.True(harness.Ingest.Requests.Where(r => r.Status == 200).Select(r => r.Authorization).Distinct().Count() >= 2, "renewed access tokens, read from and written to the keyring");
        Assert.DoesNotContain(kept, StateDirectory.AllTextExceptLibraries(harness.Home), StringComparison.Ordinal);

        Assert.Equal(0, harness.Run(null, "logout").ExitCode);
        Assert.Null(keyring.Lookup(harness.ConfigDirectory));
    }

    [Fact]
    public async Task ATokenFileFromBeforeTheKeyring_MovesIntoIt_OnFirstUse()
    {
        using var keyring = DesktopKeyring.Start();
        await using var harness = await SignInHarness.StartAsync();
        Assert.Equal(0, (await harness.LoginAsync()).Login.ExitCode);
        Assert.True(File.Exists(harness.TokenCachePath));

        harness.Keyring = keyring;
        Assert.Equal(0, harness.Run(HookEnvelopes.CompletedMessage(1), "hook", "opencode").ExitCode);
        var flush = harness.Run(null, "flush");

        Assert.True(flush.ExitCode == 0, flush.Stderr);
        Assert.Single(harness.Ingest.Stored);
        Assert.False(File.Exists(harness.TokenCachePath));
        Assert.Contains("\"RefreshToken\"", keyring.Lookup(harness.ConfigDirectory), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyringOff_KeepsTheTokensInThePrivateFile()
    {
        using var keyring = DesktopKeyring.Start();
        await using var harness = await SignInHarness.StartAsync();
        harness.Keyring = keyring;
        harness.KeyringSetting = "off";

        Assert.Equal(0, (await harness.LoginAsync()).Login.ExitCode);

        Assert.True(File.Exists(harness.TokenCachePath));
        Assert.Null(keyring.Lookup(harness.ConfigDirectory));
    }

    [Fact]
    public async Task AKeyringThatRefuses_LeavesTheTokensInThePrivateFile_AndSignInWorks()
    {
        using var keyring = DesktopKeyring.Start(unlocked: false);
        await using var harness = await SignInHarness.StartAsync();
        harness.Keyring = keyring;

        Assert.Equal(0, (await harness.LoginAsync()).Login.ExitCode);
        Assert.Equal(0, harness.Run(HookEnvelopes.CompletedMessage(1), "hook", "opencode").ExitCode);
        var flush = harness.Run(null, "flush");

        Assert.True(flush.ExitCode == 0, flush.Stderr);
        Assert.Single(harness.Ingest.Stored);
        Assert.True(File.Exists(harness.TokenCachePath));
        Assert.Contains($"tokens in {harness.TokenCachePath}, not the desktop keyring", harness.Run(null, "status").Stdout, StringComparison.Ordinal);
        var doctor = harness.Run(null, "doctor");
        Assert.Matches($"keychain.*cannot use the desktop keyring.*kept in {System.Text.RegularExpressions.Regex.Escape(harness.TokenCachePath)}", doctor.Stdout);
    }

    [Fact]
    public async Task AKeyringThatNeverAnswers_IsGivenUpOnAtTheTimeLimit_AndTheSignInGoesToThePrivateFile()
    {
        using var keyring = DesktopKeyring.StartUnanswering();
        await using var harness = await SignInHarness.StartAsync();
        harness.Keyring = keyring;

        var (login, _) = await harness.LoginAsync();

        Assert.True(login.ExitCode == 0, login.Stdout + login.Stderr);
        Assert.True(File.Exists(harness.TokenCachePath));
        var doctor = harness.Run(null, "doctor");
        Assert.Contains("did not answer within 10 s", doctor.Stdout, StringComparison.Ordinal);
        Assert.Contains("sign-in", doctor.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASignInUnderTheEarlierKeyringSchema_MovesIntoTheKeychain_Once()
    {
        DesktopKeyring.RequireSecretService();
        using var keyring = DesktopKeyring.Start();
        await using var harness = await SignInHarness.StartAsync();
        Assert.Equal(0, (await harness.LoginAsync()).Login.ExitCode);
        keyring.StoreEarlier(harness.ConfigDirectory, File.ReadAllText(harness.TokenCachePath));
        File.Delete(harness.TokenCachePath);

        harness.Keyring = keyring;
        Assert.Equal(0, harness.Run(HookEnvelopes.CompletedMessage(1), "hook", "opencode").ExitCode);
        var flush = harness.Run(null, "flush");

        Assert.True(flush.ExitCode == 0, flush.Stderr);
        Assert.Single(harness.Ingest.Stored);
        Assert.Null(keyring.LookupEarlier(harness.ConfigDirectory));
        Assert.Contains("\"RefreshToken\"", keyring.Lookup(harness.ConfigDirectory), StringComparison.Ordinal);
        Assert.False(File.Exists(harness.TokenCachePath));
    }

    [Fact]
    public async Task Logout_WhenTheKeyringsServiceHasGone_SaysTheSecretMayRemain_InsteadOfSignedOut()
    {
        DesktopKeyring.RequireSecretService();
        using var keyring = DesktopKeyring.Start();
        await using var harness = await SignInHarness.StartAsync();
        harness.Keyring = keyring;
        Assert.Equal(0, (await harness.LoginAsync()).Login.ExitCode);
        Assert.NotNull(keyring.Lookup(harness.ConfigDirectory));

        keyring.StopService();
        var logout = harness.Run(null, "logout");

        Assert.Equal(1, logout.ExitCode);
        Assert.DoesNotContain("Signed out", logout.Stdout, StringComparison.Ordinal);
        Assert.Contains("a secret may remain", logout.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(harness.ConfigDirectory, "periscope-*.json"));
    }

    // Where status says the tokens are, on this OS.
    private static string Where(SignInHarness harness)
        => OperatingSystem.IsWindows() ? $"{Path.Combine(harness.ConfigDirectory, "periscope-tokens.protected")} (encrypted with Windows DPAPI)"
            : OperatingSystem.IsMacOS() ? "the macOS Keychain"
            : "the desktop keyring (Secret Service)";
}

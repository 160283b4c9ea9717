using Periscope.Tests.Support;

namespace Periscope.Tests.Auth;

/// <summary>
/// The sign-in's tokens in a real desktop keyring (GNOME Keyring's Secret Service on a private
/// session bus), through libsecret, against the real OpenID provider: stored there and nowhere
/// else, renewed from there, removed by logout; a token file from before moves in; off when asked.
/// </summary>
[Collection(SignInCollection.Name)]
public sealed class KeyringTests
{
    [Fact]
    public async Task Login_WithADesktopKeyring_KeepsTheTokensThere_AndDeliveryRenewsFromThere()
    {
        using var keyring = DesktopKeyring.Start();
        await using var harness = await SignInHarness.StartAsync(accessTokenSeconds: 60);
        harness.KeyringBus = keyring.BusAddress;

        var (login, _) = await harness.LoginAsync("alice");

        Assert.True(login.ExitCode == 0, login.Stdout + login.Stderr);
        Assert.False(File.Exists(harness.TokenCachePath), "no token file beside analytics.json");
        var kept = keyring.Lookup(harness.ConfigDirectory);
        Assert.NotNull(kept);
        Assert.Contains("\"RefreshToken\"", kept, StringComparison.Ordinal);
        Assert.Contains("tokens in the desktop keyring (Secret Service)", harness.Run(null, "status").Stdout, StringComparison.Ordinal);

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

        harness.KeyringBus = keyring.BusAddress;
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
        harness.KeyringBus = keyring.BusAddress;
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
        harness.KeyringBus = keyring.BusAddress;

        Assert.Equal(0, (await harness.LoginAsync()).Login.ExitCode);
        Assert.Equal(0, harness.Run(HookEnvelopes.CompletedMessage(1), "hook", "opencode").ExitCode);
        var flush = harness.Run(null, "flush");

        Assert.True(flush.ExitCode == 0, flush.Stderr);
        Assert.Single(harness.Ingest.Stored);
        Assert.True(File.Exists(harness.TokenCachePath));
    }
}

using Periscope.Tests.Support;

namespace Periscope.Tests.Auth;

/// <summary>
/// Several Periscope processes wanting a token at once, against the real OpenID provider with
/// rotating refresh tokens (each refresh token redeems once; redeeming a spent one is refused and
/// ends the grant). The sign-in is kept in the OS keychain, as on a desktop.
/// </summary>
[Collection(SignInCollection.Name)]
public sealed class TokenCacheConcurrencyTests
{
    [Fact]
    public async Task WorkersOverTwoStateDirectories_AndDoctor_RenewTheSignInOnce_AndKeepIt()
    {
        using var keyring = DesktopKeyring.Start();

        // 60 s access tokens are due for renewal at once (MSAL renews within 5 minutes of expiry).
        await using var harness = await SignInHarness.StartAsync(accessTokenSeconds: 60);
        harness.Keyring = keyring;
        Assert.Equal(0, (await harness.LoginAsync()).Login.ExitCode);

        // From now on a renewed token lasts an hour: one renewal serves every process after it.
        await harness.Provider.SetAccessTokenLifetimeAsync(3600);
        var before = await harness.Provider.GrantsAsync();
        string[] homes = [harness.Home, harness.Home + "-second"];
        for (var i = 0; i < homes.Length; i++)
        {
            Assert.Equal(0, PeriscopeBinary.Run(With(harness, homes[i], ("PERISCOPE_WORKER", "off")), HookEnvelopes.CompletedMessage(i), "hook", "opencode").ExitCode);
        }

        // Four workers (two per state directory) and doctor, all started together.
        var workers = homes.SelectMany(home => Enumerable.Range(0, 2).Select(_ => PeriscopeBinary.Start(With(harness, home, ("PERISCOPE_WORKER_IDLE_SECONDS", "1")), "worker"))).ToList();
        var doctor = Task.Run(() => harness.Run(null, "doctor"));
        foreach (var worker in workers)
        {
            using (worker)
            {
                Assert.True(worker.WaitForExit(TimeSpan.FromSeconds(60)), "a worker did not finish");
            }
        }

        var doctored = await doctor;
        Assert.Contains("sign-in", doctored.Stdout, StringComparison.Ordinal);
        Assert.True(harness.Ingest.Stored.Count == 2, string.Join('\n', homes.Select(home => Path.Combine(home, "periscope.log")).Where(File.Exists).Select(File.ReadAllText)) + doctored.Stdout);
        var after = await harness.Provider.GrantsAsync();
        Assert.Equal((1, 0), (after.Refreshed - before.Refreshed, after.Refused - before.Refused));

        // The refresh token left in the keychain is the live one: a later renewal works.
        await harness.Provider.SetAccessTokenLifetimeAsync(60);
        await harness.Provider.AdvanceClockAsync(TimeSpan.FromHours(2));
        Assert.Equal(0, harness.Run(HookEnvelopes.CompletedMessage(5), "hook", "opencode").ExitCode);
        var flush = harness.Run(null, "flush");
        Assert.True(flush.ExitCode == 0, flush.Stdout + flush.Stderr);
        Assert.Equal(3, harness.Ingest.Stored.Count);
        Assert.Equal(0, (await harness.Provider.GrantsAsync()).Refused);
    }

    [Fact]
    public async Task TwoLoginsAtOnce_BothSucceed_AndLeaveOneLiveSignIn()
    {
        using var keyring = DesktopKeyring.Start();
        await using var harness = await SignInHarness.StartAsync();
        harness.Keyring = keyring;

        // Two device code sign-ins (one loopback port would keep two browser sign-ins apart),
        // confirmed back to back, so both keep their sign-in at about the same moment.
        var logins = new[] { DeviceLogin.Start(harness), DeviceLogin.Start(harness) };
        try
        {
            foreach (var login in logins)
            {
                var (verification, code) = await login.PromptAsync();
                await harness.Provider.ConfirmDeviceCodeAsync(verification, code, "alice");
            }

            foreach (var login in logins)
            {
                Assert.True(login.Finish(TimeSpan.FromSeconds(60)) == 0, login.Output);
            }
        }
        finally
        {
            foreach (var login in logins)
            {
                login.Dispose();
            }
        }

        // The provider's clock moves past the access token: the ingest refuses it, and delivery
        // renews with the refresh token the two logins left behind.
        await harness.Provider.AdvanceClockAsync(TimeSpan.FromHours(2));
        Assert.Equal(0, harness.Run(HookEnvelopes.CompletedMessage(1), "hook", "opencode").ExitCode);
        var flush = harness.Run(null, "flush");
        Assert.True(flush.ExitCode == 0, flush.Stdout + flush.Stderr);
        Assert.Single(harness.Ingest.Stored);
        Assert.Equal(0, (await harness.Provider.GrantsAsync()).Refused);
    }

    private static Dictionary<string, string?> With(SignInHarness harness, string home, params (string Name, string Value)[] more)
    {
        var environment = harness.Environment();
        environment["PERISCOPE_HOME"] = home;
        foreach (var (name, value) in more)
        {
            environment[name] = value;
        }

        return environment;
    }
}

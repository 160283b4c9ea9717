using Periscope.Tests.Support;

namespace Periscope.Tests.Auth;

/// <summary>
/// periscope login / logout and the worker's silent sign-in, against a real OpenID provider over
/// HTTPS on loopback. One class, so the fixed redirect port 14550 is used by one test at a time.
/// </summary>
[Collection(SignInCollection.Name)]
public sealed class SignInTests
{
    [Fact]
    public async Task Login_InTheBrowser_DiscoversTheProvider_SignsIn_AndEventsAreDeliveredAsThatUser()
    {
        await using var harness = await SignInHarness.StartAsync();

        var (login, page) = await harness.LoginAsync("alice");

        Assert.True(login.ExitCode == 0, login.Stderr);
        Assert.True(login.Stdout.Contains("Signed in as alice", StringComparison.Ordinal), login.Stdout);
        Assert.Contains("Signed in to Periscope", page, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(harness.TokenCachePath));
        }

        Assert.Equal(0, harness.Run(HookEnvelopes.CompletedMessage(1), "hook", "opencode").ExitCode);
        var flush = harness.Run(null, "flush");
        Assert.True(flush.ExitCode == 0, flush.Stderr);
        Assert.Single(harness.Ingest.Stored);

        var status = harness.Run(null, "status", "--json");
        Assert.Contains("\"sign_in\": \"ok\"", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("sign-in:        ok (signed in as alice at https://127.0.0.1:", harness.Run(null, "status").Stdout, StringComparison.Ordinal);
        var everywhere = status.Stdout + harness.Run(null, "status").Stdout + login.Stdout + login.Stderr + StateDirectory.AllTextExceptLibraries(harness.Home);
        Assert.All(harness.CachedSecrets(), secret => Assert.DoesNotContain(secret, everywhere, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExpiredAccessTokens_AreRenewedSilently_WithTheRefreshToken()
    {
        // 60 s tokens: MSAL renews any token within 5 minutes of expiry, so each round renews.
        await using var harness = await SignInHarness.StartAsync(accessTokenSeconds: 60);
        Assert.Equal(0, (await harness.LoginAsync()).Login.ExitCode);

        for (var i = 0; i < 2; i++)
        {
            harness.Run(HookEnvelopes.CompletedMessage(i), "hook", "opencode");
            Assert.Equal(0, harness.Run(null, "flush").ExitCode);
        }

        Assert.Equal(2, harness.Ingest.Stored.Count);
        var bearers = harness.Ingest.Requests.Where(r => r.Status == 200).Select(r => r.Authorization).Distinct().ToList();
        Assert.True(bearers.Count >= 2, "each round should have used a renewed access token");
    }

    [Fact]
    public async Task AnExpiredRefreshToken_NeedsLogin_KeepsEveryEvent_AndLoginResumesDelivery()
    {
        await using var harness = await SignInHarness.StartAsync(accessTokenSeconds: 60, refreshTokenSeconds: 3);
        Assert.Equal(0, (await harness.LoginAsync()).Login.ExitCode);
        await harness.Provider.AdvanceClockAsync(TimeSpan.FromSeconds(4)); // past the refresh token's expiry

        harness.Run(HookEnvelopes.CompletedMessage(1), "hook", "opencode");
        var flush = harness.Run(null, "flush");

        Assert.Equal(1, flush.ExitCode);
        Assert.Contains("run 'periscope login'", flush.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"sign_in\": \"needs_login\"", harness.Run(null, "status", "--json").Stdout, StringComparison.Ordinal);
        Assert.Single(StateDirectory.SpoolFiles(harness.Home));

        Assert.Equal(0, (await harness.LoginAsync()).Login.ExitCode);
        Assert.Equal(0, harness.Run(null, "flush").ExitCode);
        Assert.Single(harness.Ingest.Stored);
        Assert.Contains("\"sign_in\": \"ok\"", harness.Run(null, "status", "--json").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARevokedRefreshToken_NeedsLogin()
    {
        await using var harness = await SignInHarness.StartAsync(accessTokenSeconds: 60);
        Assert.Equal(0, (await harness.LoginAsync()).Login.ExitCode);
        foreach (var token in harness.CachedSecrets())
        {
            await harness.Provider.RevokeAsync(token);
        }

        harness.Run(HookEnvelopes.CompletedMessage(1), "hook", "opencode");
        var flush = harness.Run(null, "flush");

        Assert.Equal(1, flush.ExitCode);
        Assert.Contains("can no longer be renewed", flush.Stderr, StringComparison.Ordinal);
        Assert.Empty(harness.Ingest.Stored);
        Assert.Single(StateDirectory.SpoolFiles(harness.Home));
    }

    [Fact]
    public async Task Port14550Taken_IsAClearError_NamingTheProcess_AndTheWayOut()
    {
        await using var harness = await SignInHarness.StartAsync();
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 14550);
        squatter.Start();

        var login = harness.Run(null, "login");

        Assert.Equal(1, login.ExitCode);
        Assert.Contains("port 14550 on localhost is in use by ", login.Stderr, StringComparison.Ordinal);
        Assert.Contains($"(pid {Environment.ProcessId})", login.Stderr, StringComparison.Ordinal);
        Assert.Contains("periscope login --device-code", login.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(harness.TokenCachePath));
    }

    [Fact]
    public async Task Logout_RemovesTheSignIn_AndDeliveryThenNeedsLogin()
    {
        await using var harness = await SignInHarness.StartAsync();
        Assert.Equal(0, (await harness.LoginAsync()).Login.ExitCode);

        var logout = harness.Run(null, "logout");
        harness.Run(HookEnvelopes.CompletedMessage(1), "hook", "opencode");
        var flush = harness.Run(null, "flush");

        Assert.Equal(0, logout.ExitCode);
        Assert.Contains("Signed out", logout.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFiles(harness.ConfigDirectory, "periscope-*"), file => !file.EndsWith(".lock", StringComparison.Ordinal)); // the lock stays: a process may be waiting on it
        Assert.Equal(1, flush.ExitCode);
        Assert.Contains("not signed in", flush.Stderr, StringComparison.Ordinal);
        Assert.Contains("Not signed in", harness.Run(null, "logout").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithADeviceCode_SignsIn_WithoutTheRedirectPort()
    {
        await using var harness = await SignInHarness.StartAsync();
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 14550);
        squatter.Start(); // a device-code sign-in (SSH, containers) never needs the port

        using (var login = DeviceLogin.Start(harness))
        {
            var (verification, code) = await login.PromptAsync();
            await harness.Provider.ConfirmDeviceCodeAsync(verification, code, "bob");

            Assert.True(login.Finish(TimeSpan.FromSeconds(30)) == 0, login.Output);
            Assert.Contains(login.Lines, line => line.Contains("Signed in as bob", StringComparison.Ordinal));
        }

        harness.Run(HookEnvelopes.CompletedMessage(1), "hook", "opencode");
        Assert.Equal(0, harness.Run(null, "flush").ExitCode);
        Assert.Single(harness.Ingest.Stored);
    }

    [Fact]
    public async Task SessionStarts_AfterTheSignInExpired_OpenOneBrowserPrompt_WhoseSignInResumesDelivery()
    {
        await using var harness = await SignInHarness.StartAsync(accessTokenSeconds: 60, refreshTokenSeconds: 3);
        Assert.Equal(0, (await harness.LoginAsync()).Login.ExitCode);
        await harness.Provider.AdvanceClockAsync(TimeSpan.FromSeconds(4));
        harness.Run(HookEnvelopes.CompletedMessage(1), "hook", "opencode");
        Assert.Equal(1, harness.Run(null, "flush").ExitCode); // needs_login now
        var calls = harness.BrowserCalls;

        var desktop = new Dictionary<string, string?>(harness.Environment()) { ["DISPLAY"] = ":0", ["SSH_CONNECTION"] = null, ["SSH_TTY"] = null };
        var opened = new int[1];
        Parallel.For(0, 4, i =>
        {
            var hook = PeriscopeBinary.Run(desktop, HookCalls.SessionCreated($"ses_{i}", harness.Home), "hook", "opencode", "--verbose");
            if (hook.Stderr.Contains("opened the sign-in prompt", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref opened[0]);
            }
        });
        Assert.InRange(opened[0], 1, 4); // each may start one; the prompt's lock lets one through
        var url = await harness.BrowserUrlAsync(() => false);
        Assert.NotNull(url);
        Assert.Contains("Signed in to Periscope", await harness.Provider.SignInAsync(url, "alice"), StringComparison.Ordinal);

        Assert.True(SpinWait.SpinUntil(() => harness.Run(null, "status", "--json").Stdout.Contains("\"sign_in\": \"ok\"", StringComparison.Ordinal), TimeSpan.FromSeconds(20)));
        Assert.Equal(0, harness.Run(null, "flush").ExitCode);
        Assert.Single(harness.Ingest.Stored.Values, e => e.Kind == "assistant_message"); // the one that waited for the sign-in
        Assert.Equal(4, harness.Ingest.Stored.Values.Count(e => e.Kind == "session"));
        Assert.Equal(calls + 1, harness.BrowserCalls);

        // Signed in again: a later session start prompts no more. The hook decides before it exits
        // and says so with --verbose, so nothing has to be waited for.
        var later = PeriscopeBinary.Run(desktop, HookCalls.SessionCreated("ses_later", harness.Home), "hook", "opencode", "--verbose");
        Assert.Contains("wrote ", later.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("sign-in prompt", later.Stderr, StringComparison.Ordinal);
        Assert.Equal(calls + 1, harness.BrowserCalls);
    }

    [Theory]
    [InlineData("CI", "true")]
    [InlineData("SSH_CONNECTION", "10.0.0.1 22 10.0.0.2 22")]
    [InlineData("DISPLAY", null)]
    [InlineData("PERISCOPE_LOGIN_PROMPT", "off")]
    public async Task SessionStarts_NeverPrompt_Headless_InCi_OverSsh_OrWhenSwitchedOff(string variable, string? value)
    {
        await using var harness = await SignInHarness.StartAsync();
        Directory.CreateDirectory(harness.Home);
        File.WriteAllBytes(Path.Combine(harness.Home, "needs-login"), []);
        var environment = new Dictionary<string, string?>(harness.Environment()) { ["DISPLAY"] = ":0", ["SSH_CONNECTION"] = null, ["SSH_TTY"] = null };
        environment[variable] = value;

        var hook = PeriscopeBinary.Run(environment, HookCalls.SessionCreated("ses_1", harness.Home), "hook", "opencode", "--verbose");

        // The same call on a desktop would open the prompt (the test above); here the hook decides
        // not to before it exits, and says what it did instead.
        Assert.Equal(0, hook.ExitCode);
        Assert.Contains("wrote ", hook.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("sign-in prompt", hook.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, harness.BrowserCalls);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SignInCollection
{
    public const string Name = "sign-in (port 14550)";
}

using System.Text.Json;
using Periscope.TestIngest;
using Periscope.Tests.Support;

namespace Periscope.Tests.Auth;

/// <summary>
/// A real ingest that publishes RFC 9728 metadata and checks bearer tokens with a real OpenID
/// provider, analytics.json pointing at it, and the published binary run with a BROWSER that hands
/// the authorization URL to the test's headless browser.
/// </summary>
internal sealed class SignInHarness : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly TestCertificates _certificates = new();

    private SignInHarness()
    {
    }

    public IngestServer Ingest { get; private set; } = null!;

    public OidcProvider Provider { get; private set; } = null!;

    public string Home => _temp.Combine("state");

    public string ConfigDirectory => _temp.Combine("config");

    public string ConfigPath => Path.Combine(ConfigDirectory, "analytics.json");

    public string TokenCachePath => Path.Combine(ConfigDirectory, "periscope-tokens.json");

    private string UrlFile => _temp.Combine("browser-url.txt");

    private string BrowserCallsFile => _temp.Combine("browser-calls.log");

    /// <summary>How many times a browser was opened.</summary>
    public int BrowserCalls => File.Exists(BrowserCallsFile) ? File.ReadAllLines(BrowserCallsFile).Length : 0;

    public static async Task<SignInHarness> StartAsync(int accessTokenSeconds = 3600, int refreshTokenSeconds = 86400)
    {
        var harness = new SignInHarness();
        harness.Provider = await OidcProvider.StartAsync(harness._certificates, harness._temp.Path, accessTokenSeconds, refreshTokenSeconds);
        harness.Ingest = await IngestServer.StartAsync();
        harness.Ingest.ProtectedResourceMetadata = harness.Provider.ProtectedResourceMetadata(harness.Ingest.Endpoint);
        harness.Ingest.ValidateToken = harness.Provider.IsActiveAsync;
        Directory.CreateDirectory(harness.ConfigDirectory);
        File.WriteAllText(harness.ConfigPath, $$"""{"endpoint": "{{harness.Ingest.Endpoint}}"}""");
        var browser = harness._temp.Combine("browser.sh");
        File.WriteAllText(browser, $"#!/bin/sh\necho \"$1\" >> '{harness.BrowserCallsFile}'\nprintf '%s' \"$1\" > '{harness.UrlFile}.tmp' && mv '{harness.UrlFile}.tmp' '{harness.UrlFile}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(browser, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return harness;
    }

    /// <summary>The OS keychain the binary should use; none by default (PERISCOPE_KEYRING=off: the tokens go to the file).</summary>
    public DesktopKeyring? Keyring { get; set; }

    /// <summary>PERISCOPE_KEYRING for the binary when <see cref="Keyring"/> is set ("off" keeps the tokens in the file).</summary>
    public string? KeyringSetting { get; set; }

    public Dictionary<string, string?> Environment() => new()
    {
        ["DBUS_SESSION_BUS_ADDRESS"] = Keyring?.BusAddress,
        ["PERISCOPE_KEYRING"] = Keyring is null ? "off" : KeyringSetting,
        ["PERISCOPE_HOME"] = Home,
        ["PERISCOPE_CONFIG"] = ConfigPath,
        ["SSL_CERT_FILE"] = Provider.CaFile,
        ["BROWSER"] = _temp.Combine("browser.sh"),
        ["CI"] = null,
    };

    public ProcessResult Run(byte[]? stdin, params string[] args) => PeriscopeBinary.Run(Environment(), stdin, args);

    /// <summary>periscope login, with the headless browser signing in as <paramref name="login"/>; returns login's result and the page the browser landed on.</summary>
    public async Task<(ProcessResult Login, string Page)> LoginAsync(string login = "alice")
    {
        File.Delete(UrlFile);
        var running = Task.Run(() => Run(null, "login"));
        var url = await BrowserUrlAsync(() => running.IsCompleted);
        if (url is null)
        {
            var early = await running;
            Assert.Fail($"login opened no browser (exit {early.ExitCode}): {early.Stdout} {early.Stderr}");
        }

        var page = await Provider.SignInAsync(url, login);
        return (await running, page);
    }

    /// <summary>The address the next browser is opened at; null when <paramref name="givenUp"/> says none will come or 20 s pass.</summary>
    public async Task<Uri?> BrowserUrlAsync(Func<bool> givenUp)
    {
        ArgumentNullException.ThrowIfNull(givenUp);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!File.Exists(UrlFile))
        {
            if (givenUp() || DateTime.UtcNow > deadline)
            {
                return null;
            }

            await Task.Delay(50);
        }

        var url = new Uri(File.ReadAllText(UrlFile));
        File.Delete(UrlFile);
        return url;
    }

    /// <summary>Every token in the cache file: what must appear nowhere else.</summary>
    public IReadOnlyList<string> CachedSecrets()
    {
        using var cache = JsonDocument.Parse(File.ReadAllBytes(TokenCachePath));
        return [.. cache.RootElement.EnumerateObject()
            .Where(section => section.Name is "AccessToken" or "RefreshToken" or "IdToken")
            .SelectMany(section => section.Value.EnumerateObject())
            .Select(entry => entry.Value.GetProperty("secret").GetString()!)];
    }

    public async ValueTask DisposeAsync()
    {
        await Ingest.DisposeAsync();
        await Provider.DisposeAsync();
        _certificates.Dispose();
        _temp.Dispose();
    }
}

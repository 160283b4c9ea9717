using Periscope.Config;
using Periscope.Tests.Support;

namespace Periscope.Tests.Config;

/// <summary>analytics.json: where it is found, which endpoints are accepted, what a bad file says.</summary>
public sealed class SettingsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void NoFile_IsLocalMode()
        => Assert.IsType<DeliveryTarget.Local>(Load(null).Target);

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t\r\n")]
    public void EmptyFile_IsLocalMode(string content)
        => Assert.IsType<DeliveryTarget.Local>(Load(content).Target);

    [Fact]
    public void EmptyEndpoint_IsLocalMode()
        => Assert.IsType<DeliveryTarget.Local>(Load("""{"endpoint": ""}""").Target);

    [Theory]
    [InlineData("https://ingest.periscope.sh", "https://ingest.periscope.sh/v1/events")]
    [InlineData("https://example.com/periscope/", "https://example.com/periscope/v1/events")]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/v1/events")]
    [InlineData("http://localhost:8080", "http://localhost:8080/v1/events")]
    [InlineData("http://[::1]:8080", "http://[::1]:8080/v1/events")]
    public void Endpoint_IsAccepted(string endpoint, string events)
    {
        var target = Assert.IsType<DeliveryTarget.Remote>(Load($$"""{"endpoint": "{{endpoint}}"}""").Target);
        Assert.Equal(events, target.EventsUri.ToString());
    }

    [Theory]
    [InlineData("http://ingest.periscope.sh", "use https://")]
    [InlineData("http://10.0.0.5:8080", "use https://")]
    [InlineData("ingest.periscope.sh", "is not an https:// URL")]
    [InlineData("ftp://ingest.periscope.sh", "is not an https:// URL")]
    [InlineData("https://user:secret@ingest.periscope.sh", "carries credentials")]
    public void Endpoint_IsRefused_WithAClearProblem(string endpoint, string expected)
    {
        var target = Assert.IsType<DeliveryTarget.Misconfigured>(Load($$"""{"endpoint": "{{endpoint}}"}""").Target);
        Assert.Contains(expected, target.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", target.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidJson_IsAProblemNamingTheFile()
    {
        var settings = Load("""{"endpoint": "https://x.example",""" + "\n" + "oops");
        var target = Assert.IsType<DeliveryTarget.Misconfigured>(settings.Target);
        Assert.Contains(settings.ConfigPath, target.Problem, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", target.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void CommentsAndTrailingCommas_AreAllowed()
        => Assert.IsType<DeliveryTarget.Remote>(Load("""
            {
              // the team's ingest
              "endpoint": "https://ingest.periscope.sh",
            }
            """).Target);

    [Fact]
    public void CaFile_IsResolvedBesideTheConfig_AndMustExist()
    {
        File.WriteAllText(_temp.Combine("corp-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        var found = Assert.IsType<DeliveryTarget.Remote>(Load("""{"endpoint": "https://x.example", "caFile": "corp-ca.pem"}""").Target);
        Assert.Equal(_temp.Combine("corp-ca.pem"), found.CaFile);

        var missing = Assert.IsType<DeliveryTarget.Misconfigured>(Load("""{"endpoint": "https://x.example", "caFile": "nope.pem"}""").Target);
        Assert.Contains("nope.pem", missing.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void SslCertFile_IsTheCaBundle_WhenNoCaFileIsConfigured()
    {
        var bundle = _temp.Combine("bundle.pem");
        File.WriteAllText(bundle, string.Empty);
        var target = Assert.IsType<DeliveryTarget.Remote>(Load("""{"endpoint": "https://x.example"}""", ("SSL_CERT_FILE", bundle)).Target);
        Assert.Equal(bundle, target.CaFile);
    }

    [Fact]
    public void SpoolLimits_ComeFromTheFile_OrTheDefaults()
    {
        var limits = Load("""{"spool": {"maxEvents": 10, "maxMegabytes": 2}}""").SpoolLimits;
        Assert.Equal(10, limits.MaxEvents);
        Assert.Equal(2L * 1024 * 1024, limits.MaxBytes);
        Assert.Equal(TimeSpan.FromDays(30), limits.MaxAge);
    }

    [Fact]
    public void ConfigIsFound_UnderXdgConfigHome_ThenHome()
    {
        var xdg = PeriscopeSettings.Load(Variables(("XDG_CONFIG_HOME", "/xdg"), ("HOME", "/home/u")));
        var home = PeriscopeSettings.Load(Variables(("HOME", "/home/u")));
        Assert.Equal(Path.Combine("/xdg", "opencode", "analytics.json"), xdg.ConfigPath);
        Assert.Equal(Path.Combine("/home/u", ".config", "opencode", "analytics.json"), home.ConfigPath);
    }

    private PeriscopeSettings Load(string? json, params (string Name, string Value)[] more)
    {
        var path = _temp.Combine("analytics.json");
        if (json is not null)
        {
            File.WriteAllText(path, json);
        }

        return PeriscopeSettings.Load(Variables([(PeriscopeSettings.ConfigVariable, path), .. more]));
    }

    private static Func<string, string?> Variables(params (string Name, string Value)[] values)
        => name => values.FirstOrDefault(v => v.Name == name).Value;
}

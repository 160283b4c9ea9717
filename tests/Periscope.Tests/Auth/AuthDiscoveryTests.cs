using Periscope.Auth;
using Periscope.Config;
using Periscope.TestIngest;
using Periscope.Tests.Support;

namespace Periscope.Tests.Auth;

/// <summary>Finding the provider from the ingest (RFC 9728, then OpenID discovery), against a real ingest and provider.</summary>
public sealed class AuthDiscoveryTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private readonly TestCertificates _certificates = new();
    private OidcProvider _provider = null!;
    private IngestServer _ingest = null!;
    private AuthHttpClientFactory _http = null!;

    public async ValueTask InitializeAsync()
    {
        _provider = await OidcProvider.StartAsync(_certificates, _temp.Path);
        _ingest = await IngestServer.StartAsync();
        _http = new AuthHttpClientFactory(_provider.CaFile);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _ingest.DisposeAsync();
        await _provider.DisposeAsync();
        _certificates.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task TheIngestsMetadata_NamesTheProvider_AndItsDiscoveryGivesTheEndpoints()
    {
        _ingest.ProtectedResourceMetadata = _provider.ProtectedResourceMetadata(_ingest.Endpoint);

        var (server, problem) = await DiscoverAsync();

        Assert.Null(problem);
        Assert.Equal(_provider.Issuer.AbsoluteUri.TrimEnd('/'), server!.Issuer.AbsoluteUri.TrimEnd('/'));
        Assert.Equal(AuthServer.DefaultClientId, server.ClientId);
        Assert.Equal(new Uri(_provider.Issuer, "device/auth"), server.DeviceAuthorizationEndpoint);
    }

    [Fact]
    public async Task AnalyticsJsonOverrides_WinOverTheMetadata()
    {
        var overrides = new AuthSettings { Issuer = _provider.Issuer.AbsoluteUri, ClientId = "other-client", Scopes = ["ingest.write"] };

        var (server, problem) = await DiscoverAsync(overrides); // no metadata served at all

        Assert.Null(problem);
        Assert.Equal("other-client", server!.ClientId);
        Assert.Equal(["ingest.write"], server.Scopes);
    }

    [Fact]
    public async Task NoMetadata_SaysWhereItLooked_AndHowToConfigure()
    {
        var (server, problem) = await DiscoverAsync();

        Assert.Null(server);
        Assert.Contains(".well-known/oauth-protected-resource answered 404", problem, StringComparison.Ordinal);
        Assert.Contains("auth.issuer", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "is not a valid JSON document")]
    [InlineData("""{"resource": "x"}""", "names no authorization server")]
    [InlineData("""{"authorization_servers": []}""", "names no authorization server")]
    public async Task BrokenMetadata_IsAClearProblem(string metadata, string expected)
    {
        _ingest.ProtectedResourceMetadata = metadata;

        var (server, problem) = await DiscoverAsync();

        Assert.Null(server);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProviderWhoseDiscoverySaysAnotherIssuer_IsRefused()
    {
        // The same provider reached as "localhost": its discovery document names 127.0.0.1.
        var elsewhere = new UriBuilder(_provider.Issuer) { Host = "localhost" }.Uri;
        _ingest.ProtectedResourceMetadata = $$"""{"authorization_servers": ["{{elsewhere.AbsoluteUri.TrimEnd('/')}}"]}""";

        var (server, problem) = await DiscoverAsync();

        Assert.Null(server);
        Assert.Contains("refusing to sign in with a provider that does not match", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAuthorizationServerWithoutOpenIdDiscovery_IsAClearProblem()
    {
        _ingest.ProtectedResourceMetadata = $$"""{"authorization_servers": ["{{_provider.Issuer.AbsoluteUri.TrimEnd('/')}}/nothing-here"]}""";

        var (server, problem) = await DiscoverAsync();

        Assert.Null(server);
        Assert.Contains("openid-configuration answered 404", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Login_ShowsTheDiscoveryProblem_AndChangesNothing()
    {
        var config = _temp.Combine("analytics.json");
        File.WriteAllText(config, $$"""{"endpoint": "{{_ingest.Endpoint}}"}""");

        var login = PeriscopeBinary.Run(new Dictionary<string, string?> { ["PERISCOPE_HOME"] = _temp.Combine("state"), ["PERISCOPE_CONFIG"] = config }, null, "login");

        Assert.Equal(1, login.ExitCode);
        Assert.Contains("periscope: cannot sign in:", login.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_temp.Path, "periscope-*"));
    }

    [Fact]
    public void Login_InLocalMode_SaysThereIsNothingToSignInTo()
    {
        var login = PeriscopeBinary.Run(_temp.Combine("state"), null, "login");

        Assert.Equal(1, login.ExitCode);
        Assert.Contains("local mode", login.Stderr, StringComparison.Ordinal);
    }

    private Task<(AuthServer? Server, string? Problem)> DiscoverAsync(AuthSettings? overrides = null)
        => AuthDiscovery.DiscoverAsync(_ingest.Endpoint, overrides, _http.GetHttpClient(), CancellationToken.None);
}

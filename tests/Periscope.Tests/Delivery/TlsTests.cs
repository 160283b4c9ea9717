using Periscope.TestIngest;
using Periscope.Tests.Support;

namespace Periscope.Tests.Delivery;

/// <summary>HTTPS to an ingest whose certificate comes from a private CA (a TLS-inspecting proxy's, say).</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly DeliveryHarness _harness = new();
    private readonly TestCertificates _certificates = new();
    private IngestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await IngestServer.StartAsync(_certificates.Server);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _certificates.Dispose();
        _harness.Dispose();
    }

    [Fact]
    public async Task PrivateCa_WithoutTheCaFile_IsATlsError_ThatNamesTheFix()
    {
        var ids = SpooledEvents.Write(_harness.Home, 2);
        using var courier = _harness.Courier(_server.Endpoint, DeliveryHarness.Fast with { MaxRetryAttempts = 0 });

        var result = await courier.RunAsync(null, CancellationToken.None);

        Assert.NotNull(result.Stopped);
        Assert.Contains("caFile", result.Stopped!.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _server.RequestCount);
        Assert.Equal(ids, _harness.SpoolIds());
    }

    [Fact]
    public async Task PrivateCa_WithTheCaFile_Delivers()
    {
        SpooledEvents.Write(_harness.Home, 2);
        using var courier = _harness.Courier(_server.Endpoint, caFile: _certificates.WriteAuthorityPem(_harness.Directory));

        var result = await courier.RunAsync(null, CancellationToken.None);

        Assert.Null(result.Stopped);
        Assert.Equal(2, _server.Stored.Count);
        Assert.All(_server.Requests, r => Assert.True(r.Https, "a request reached the ingest without TLS"));
    }
}

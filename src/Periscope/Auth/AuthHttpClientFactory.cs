using Periscope.Platform;
using Microsoft.Identity.Client;

namespace Periscope.Auth;

/// <summary>
/// The HttpClient MSAL and discovery use: the same trust as delivery (the system's roots, plus
/// caFile or SSL_CERT_FILE for TLS-inspecting proxies), and HTTPS_PROXY / NO_PROXY as .NET reads them.
/// </summary>
internal sealed class AuthHttpClientFactory : IMsalHttpClientFactory, IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly HttpClient _http;

    public AuthHttpClientFactory(string? caFile)
    {
        _handler = CertificateTrust.Handler(caFile);
        _http = new HttpClient(_handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient GetHttpClient() => _http;

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }
}

using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Periscope.Platform;

/// <summary>
/// Trust for a TLS-inspecting proxy: the system's roots as always, plus the roots of a PEM bundle
/// (caFile in analytics.json, or SSL_CERT_FILE). The host name must still match.
/// </summary>
internal static class CertificateTrust
{
    /// <summary>
    /// The handler every Periscope request goes through (ingest, discovery, tokens): connect within
    /// 10 s, and trust <paramref name="caFile"/>'s roots besides the system's when one is configured.
    /// HTTPS_PROXY / NO_PROXY apply as .NET reads them.
    /// </summary>
    public static SocketsHttpHandler Handler(string? caFile)
    {
        var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) };
        if (caFile is not null)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = With(caFile);
        }

        return handler;
    }

    /// <summary>
    /// The check that also trusts <paramref name="caFile"/>'s roots. The file is read at the first
    /// TLS handshake, not before: over plain HTTP (a local receiver) it is never parsed, and
    /// neither OpenSSL nor a bundle of roots is loaded (8 MB of the worker's peak with the system
    /// bundle in SSL_CERT_FILE).
    /// </summary>
    public static RemoteCertificateValidationCallback With(string caFile)
    {
        var roots = new Lazy<X509Certificate2Collection>(() =>
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPemFile(caFile);
            return collection;
        });
        return (_, certificate, chain, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is not X509Certificate2 leaf)
            {
                return false; // a name mismatch or no certificate is never accepted
            }

            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(roots.Value);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            return custom.Build(leaf);
        };
    }
}

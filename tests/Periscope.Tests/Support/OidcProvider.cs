using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Periscope.Tests.Support;

/// <summary>
/// A real OpenID provider on 127.0.0.1 over HTTPS: the certified oidc-provider package
/// (tests/oidc-provider), started with node, its certificate issued by the test CA. Also the
/// headless test browser that signs in on it (an HttpClient with cookies, standing in for the one
/// thing that cannot run here: a person clicking).
/// </summary>
internal sealed partial class OidcProvider : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _browser;
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    private OidcProvider(Process process, Uri issuer, string caFile)
    {
        _process = process;
        Issuer = issuer;
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false, // CookieContainer drops cookies whose Path is not a prefix of the request's, as oidc-provider's resume cookie is
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => errors == System.Net.Security.SslPolicyErrors.None || certificate?.Issuer == "CN=Periscope Test CA",
        };
        _browser = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        CaFile = caFile;
    }

    public Uri Issuer { get; }

    /// <summary>The test CA, as a PEM bundle: what SSL_CERT_FILE or caFile names for the client.</summary>
    public string CaFile { get; }

    public static string Directory => Path.Combine(PeriscopeBinary.RepoRoot, "tests", "oidc-provider");

    /// <summary>Starts the provider. Token lifetimes in seconds.</summary>
    public static async Task<OidcProvider> StartAsync(TestCertificates certificates, string workDirectory, int accessTokenSeconds = 3600, int refreshTokenSeconds = 86400)
    {
        Assert.True(File.Exists(Path.Combine(Directory, "node_modules", "oidc-provider", "package.json")), "tests/oidc-provider has no node_modules: run ./build.sh test (it runs npm ci there)");
        var cert = Path.Combine(workDirectory, "provider-cert.pem");
        var key = Path.Combine(workDirectory, "provider-key.pem");
        File.WriteAllText(cert, certificates.Server.ExportCertificatePem());
        File.WriteAllText(key, certificates.Server.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var start = new ProcessStartInfo("node", ["provider.mjs"])
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["OIDC_CERT"] = cert;
        start.Environment["OIDC_KEY"] = key;
        start.Environment["OIDC_ACCESS_TTL"] = accessTokenSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["OIDC_REFRESH_TTL"] = refreshTokenSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { }; // development-mode warnings
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("listening ", StringComparison.Ordinal))
            {
                return new OidcProvider(process, new Uri(line["listening ".Length..]), certificates.WriteAuthorityPem(workDirectory));
            }
        }

        throw new InvalidOperationException("the OpenID provider exited before listening");
    }

    /// <summary>RFC 9728 metadata naming this provider, as an ingest publishes it.</summary>
    public string ProtectedResourceMetadata(Uri resource)
        => JsonSerializer.Serialize(new Dictionary<string, object> { ["resource"] = resource.AbsoluteUri, ["authorization_servers"] = new[] { Issuer.AbsoluteUri.TrimEnd('/') } });

    /// <summary>Whether the provider says the access token is active (what a real ingest asks).</summary>
    public async Task<bool> IsActiveAsync(string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Issuer, "token/introspection"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = accessToken }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("test-ingest:test-ingest-secret")));
        using var response = await _browser.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.TryGetProperty("active", out var active) && active.GetBoolean();
    }

    /// <summary>Revokes a token at the provider, as an admin or the user would.</summary>
    public async Task RevokeAsync(string token, string clientId = "periscope-cli")
    {
        using var response = await _browser.PostAsync(new Uri(Issuer, "token/revocation"), new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["client_id"] = clientId }));
        Assert.True(response.IsSuccessStatusCode, $"revocation answered {(int)response.StatusCode}");
    }

    /// <summary>
    /// The browser's part of an authorization code sign-in: follows the authorization URL, signs in
    /// as <paramref name="login"/>, and follows the redirect to the loopback address, where the
    /// client is listening. Returns the page the client showed there.
    /// </summary>
    public async Task<string> SignInAsync(Uri authorizationUrl, string login)
    {
        var next = authorizationUrl;
        var steps = new List<string>();
        for (var step = 0; step < 20; step++)
        {
            steps.Add(next.GetLeftPart(UriPartial.Path));
            if (next.IsLoopback && next.Scheme == Uri.UriSchemeHttp)
            {
                using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                return await plain.GetStringAsync(next);
            }

            using var response = await SendAsync(HttpMethod.Get, next, null);
            if (response.Headers.Location is { } location)
            {
                next = new Uri(next, location);
                continue;
            }

            var html = await response.Content.ReadAsStringAsync();
            if (FormAction().Match(html) is { Success: true } form && new Uri(next, WebUtility.HtmlDecode(form.Groups[1].Value)) is { IsLoopback: true, Scheme: "http" } callback)
            {
                // response_mode=form_post: the page's script would post the answer to the client.
                using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                var fields = HiddenField().Matches(html).ToDictionary(h => h.Groups[1].Value, h => WebUtility.HtmlDecode(h.Groups[2].Value));
                using var posted = await plain.PostAsync(callback, new FormUrlEncodedContent(fields));
                return await posted.Content.ReadAsStringAsync();
            }

            steps.Add(PromptField().Match(html) is { Success: true } p ? $"[{p.Groups[1].Value}]" : "[?]");
            next = await SubmitAsync(next, html, login);
        }

        throw new InvalidOperationException($"the sign-in did not come back to the client within 20 steps: {string.Join(" -> ", steps)}");
    }

    /// <summary>The browser's part of a device code sign-in: enters the code at the verification address, confirms it and signs in.</summary>
    public async Task ConfirmDeviceCodeAsync(Uri verificationUri, string userCode, string login)
    {
        using var page = await SendAsync(HttpMethod.Get, verificationUri, null);
        var at = verificationUri;
        var response = await PostAsync(at, await page.Content.ReadAsStringAsync(), new Dictionary<string, string> { ["user_code"] = userCode });
        for (var step = 0; step < 20; step++)
        {
            var current = response;
            if (current.Headers.Location is { } location)
            {
                at = new Uri(at, location);
                response = await SendAsync(HttpMethod.Get, at, null);
                current.Dispose();
                continue;
            }

            var html = await current.Content.ReadAsStringAsync();
            current.Dispose();
            if (!html.Contains("name=\"confirm\"", StringComparison.Ordinal) && !html.Contains("name=\"prompt\"", StringComparison.Ordinal))
            {
                Assert.Contains("Sign-in Success", html, StringComparison.Ordinal);
                return;
            }

            response = await PostAsync(at, html, FieldsFor(at, html, login));
        }

        throw new InvalidOperationException("the device sign-in did not finish within 20 steps");
    }

    /// <summary>Moves the provider's clock ahead, so its tokens expire without the test waiting.</summary>
    public async Task AdvanceClockAsync(TimeSpan by)
    {
        var seconds = ((int)Math.Ceiling(by.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await AskAsync($"advance {seconds}", $"advanced {seconds}");
    }

    /// <summary>Access and ID tokens issued from now on last <paramref name="seconds"/>.</summary>
    public Task SetAccessTokenLifetimeAsync(int seconds)
        => AskAsync($"access-ttl {seconds}", $"access-ttl {seconds}");

    /// <summary>Refresh token grants that succeeded, and token requests the provider refused, so far.</summary>
    public async Task<(int Refreshed, int Refused)> GrantsAsync()
    {
        var counts = (await AskAsync("grants", "grants ")).Split(' ');
        return (int.Parse(counts[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(counts[2], System.Globalization.CultureInfo.InvariantCulture));
    }

    // One command on the provider's stdin; its answer is the first line starting with answerPrefix.
    private async Task<string> AskAsync(string command, string answerPrefix)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(answerPrefix, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException($"the OpenID provider exited instead of answering '{command}'");
    }

    public async ValueTask DisposeAsync()
    {
        _browser.Dispose();
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        finally
        {
            _process.Dispose();
        }

        await Task.CompletedTask;
    }

    // A page with a form: the login form (prompt=login), the consent form (prompt=consent), or the device confirmation.
    private async Task<Uri> SubmitAsync(Uri page, string html, string login)
    {
        using var response = await PostAsync(page, html, FieldsFor(page, html, login));
        return response.Headers.Location is { } location ? new Uri(page, location) : throw new InvalidOperationException($"the form at {page} led nowhere");
    }

    private static Dictionary<string, string> FieldsFor(Uri page, string html, string login)
        => (PromptField().Match(html) is { Success: true } m ? m.Groups[1].Value : null) switch
        {
            "login" => new Dictionary<string, string> { ["prompt"] = "login", ["login"] = login, ["password"] = "any" },
            "consent" => new Dictionary<string, string> { ["prompt"] = "consent" },
            _ when html.Contains("name=\"confirm\"", StringComparison.Ordinal) => [],
            _ => throw new InvalidOperationException($"unexpected page at {page}: {html[..Math.Min(html.Length, 3000)]}"),
        };

    // Posts the page's form, its hidden fields added to <paramref name="fields"/>.
    private Task<HttpResponseMessage> PostAsync(Uri page, string html, Dictionary<string, string> fields)
    {
        foreach (Match hidden in HiddenField().Matches(html))
        {
            fields.TryAdd(hidden.Groups[1].Value, WebUtility.HtmlDecode(hidden.Groups[2].Value));
        }

        var action = FormAction().Match(html) is { Success: true } a ? new Uri(page, WebUtility.HtmlDecode(a.Groups[1].Value)) : page;
        return SendAsync(HttpMethod.Post, action, new FormUrlEncodedContent(fields));
    }

    // One provider, one jar: every cookie goes back on every request, whatever its Path.
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        var response = await _browser.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                var pair = setCookie.Split(';')[0];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var expired = setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase);
                if (equals > 0 && !expired)
                {
                    _cookies[pair[..equals]] = pair[(equals + 1)..];
                }
                else if (equals > 0)
                {
                    _cookies.Remove(pair[..equals]);
                }
            }
        }

        return response;
    }

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();

    [GeneratedRegex("name=\"prompt\" value=\"([a-z]+)\"")]
    private static partial Regex PromptField();
}

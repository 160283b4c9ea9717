using Microsoft.Identity.Client;

namespace Periscope.Auth;

/// <summary>
/// MSAL.NET's public client on the discovered OpenID provider: authorization code + PKCE through
/// the system browser and the loopback redirect http://localhost:14550, the device code grant, and
/// silent acquisition (a cached access token, else the refresh token) for the worker. Tokens go to
/// <see cref="TokenStore"/> and nowhere else.
/// </summary>
internal sealed class SignIn
{
    public const int RedirectPort = 14550;

    private static readonly string[] s_userClaims = ["preferred_username", "email", "name", "sub"];

    private readonly IPublicClientApplication _app;
    private readonly AuthServer _server;
    private readonly TokenStore _store;

    public SignIn(AuthServer server, TokenStore store, IMsalHttpClientFactory http)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(store);
        _server = server;
        _store = store;

        // Generic OpenID authorities are experimental in MSAL: the flag must come first.
        _app = PublicClientApplicationBuilder.Create(server.ClientId)
            .WithExperimentalFeatures()
            .WithOidcAuthority(server.Issuer.AbsoluteUri)
            .WithRedirectUri($"http://localhost:{RedirectPort}")
            .WithHttpClientFactory(http)
            .Build();
        store.Bind(_app.UserTokenCache);
    }

    /// <summary>Signs in through the browser; <paramref name="openBrowser"/> shows the authorization URL.</summary>
    public Task<AuthenticationResult> InteractiveAsync(Func<Uri, Task> openBrowser, CancellationToken cancellationToken)
        => _app.AcquireTokenInteractive(_server.Scopes)
            // prompt=consent: OpenID Connect Core 11 lets a provider issue a refresh token for
            // offline_access only when the request asks for consent, and the worker lives on the
            // refresh token. (MSAL's default, select_account, is Azure AD's; providers may refuse it.)
            .WithPrompt(Prompt.Consent)
            .WithUseEmbeddedWebView(false)
            .WithSystemWebViewOptions(new SystemWebViewOptions
            {
                OpenBrowserAsync = openBrowser,
                HtmlMessageSuccess = Page("Signed in to Periscope", "You can close this tab and go back to the terminal."),
                HtmlMessageError = Page("Periscope sign-in failed", "Error: {0} {1}. Go back to the terminal and run periscope login again."),
            })
            .ExecuteAsync(cancellationToken);

    /// <summary>
    /// Keeps a sign-in that happened outside MSAL (the device code grant): MSAL redeems the refresh
    /// token and caches the account and tokens as after any sign-in.
    /// </summary>
    public async Task<AuthenticationResult> AdoptAsync(string refreshToken, CancellationToken cancellationToken)
    {
        using var held = await _store.HoldAsync(cancellationToken) ?? throw new MsalClientException("token_cache_busy", "another Periscope process has held the token cache for over a minute");

        // With no scopes MSAL asks for "{client id}/.default", an Azure AD convention other providers refuse.
        return await ((IByRefreshToken)_app).AcquireTokenByRefreshToken(_server.Scopes.Count > 0 ? _server.Scopes : AuthServer.SignInScopes, refreshToken).ExecuteAsync(cancellationToken);
    }

    /// <summary>
    /// An access token without the user: the cached one while it is fresh, else one from the
    /// refresh token (<paramref name="forceRefresh"/>: after the ingest refused the cached one).
    /// No token, and why, when a person has to sign in again (refresh token expired or revoked).
    /// The cache is held throughout (<see cref="TokenStore.HoldAsync"/>): with rotating refresh
    /// tokens, two processes refreshing at once would redeem one token twice, and the provider
    /// may then end the sign-in.
    /// </summary>
    public async Task<(string? AccessToken, string? Problem)> SilentAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        using var held = await _store.HoldAsync(cancellationToken);
        if (held is null)
        {
            return (null, "another Periscope process has been renewing the sign-in for over a minute");
        }

        var account = (await _app.GetAccountsAsync()).FirstOrDefault();
        if (account is null)
        {
            return (null, "no signed-in account in the token cache");
        }

        try
        {
            var result = await _app.AcquireTokenSilent(_server.Scopes, account).WithForceRefresh(forceRefresh).ExecuteAsync(cancellationToken);
            return (result.AccessToken, null);
        }
        catch (MsalUiRequiredException ex)
        {
            return (null, $"the sign-in can no longer be renewed ({ex.ErrorCode}: {FirstLine(ex.Message)})");
        }
    }

    /// <summary>Who signed in, in the words the provider used: MSAL's username, else the ID token's claims.</summary>
    public static string? UserOf(AuthenticationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        const string MsalPlaceholder = "Missing from the token response";
        if (result.Account?.Username is { Length: > 0 } username && username != MsalPlaceholder)
        {
            return username;
        }

        return s_userClaims
            .Select(type => result.ClaimsPrincipal?.FindFirst(type)?.Value)
            .FirstOrDefault(value => value is { Length: > 0 });
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static string Page(string title, string text)
        => $"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body style=\"font-family:sans-serif;margin:4em\"><h1>{title}</h1><p>{text}</p></body></html>";
}

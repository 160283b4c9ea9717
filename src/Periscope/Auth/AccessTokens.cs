using Periscope.Config;
using Periscope.Platform;

namespace Periscope.Auth;

/// <summary>
/// The bearer token for the ingest: PERISCOPE_TOKEN when set (CI, images; nothing cached), else
/// the signed-in user's, acquired silently (docs/sign-in.md). A sign-in counts only for the
/// endpoint it was made for. Tokens are never logged, spooled or printed.
/// </summary>
internal sealed class AccessTokens(Func<string, string?> getVariable, DeliveryTarget.Remote target, TokenStore store) : IDisposable
{
    public const string TokenVariable = "PERISCOPE_TOKEN";

    private AuthHttpClientFactory? _http;
    private SignIn? _signIn;

    /// <summary>The store for the sign-in of this analytics.json: the OS keychain when there is one, else beside the file.</summary>
    public static TokenStore StoreFor(PeriscopeSettings settings, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var directory = Path.GetDirectoryName(settings.ConfigPath) ?? ".";
        var keychain = Keychain.TryOpen(directory, getVariable);
        return new TokenStore(directory, keychain, keychain is null ? null : EarlierKeyringEntry.TryOpen(directory));
    }

    /// <summary>Where a token comes from, for status: never the token itself.</summary>
    public string? Source => Variable is not null ? TokenVariable
        : Record is { } record ? $"signed in as {record.Username ?? "(unnamed)"} at {record.Issuer}; tokens in {store.Location}"
        : null;

    private string? Variable => getVariable(TokenVariable) is { Length: > 0 } token ? token.Trim() : null;

    private SignInRecord? Record => store.LoadRecord() is { } record && record.Endpoint == target.Endpoint.AbsoluteUri ? record : null;

    /// <summary>Why the last <see cref="GetAsync"/> had no token, in words for status.</summary>
    public string? Problem { get; private set; }

    /// <summary>The current token, or null (and <see cref="Problem"/>) when a person has to sign in.</summary>
    /// <param name="refresh">True after a 401: get a new token rather than the cached one.</param>
    public async ValueTask<string?> GetAsync(bool refresh, CancellationToken cancellationToken)
    {
        if (Variable is { } token)
        {
            return token;
        }

        if (Record is not { } record)
        {
            Problem = $"not signed in to {target.Endpoint.Host}: run 'periscope login' (or set {TokenVariable})";
            return null;
        }

        _http ??= new AuthHttpClientFactory(target.CaFile);
        _signIn ??= new SignIn(record.Server, store, _http);
        var (accessToken, problem) = await _signIn.SilentAsync(refresh, cancellationToken);
        Problem = problem is null ? null : $"{problem}: run 'periscope login'";
        return accessToken;
    }

    public void Dispose() => _http?.Dispose();
}

namespace Periscope.Auth;

/// <summary>
/// The bearer token for the ingest. Today it comes from PERISCOPE_TOKEN (for CI and images);
/// interactive sign-in adds its own source here. Tokens are never logged, spooled or printed.
/// </summary>
internal sealed class AccessTokens(Func<string, string?> getVariable)
{
    public const string TokenVariable = "PERISCOPE_TOKEN";

    /// <summary>Where a token comes from, for status: never the token itself.</summary>
    public string? Source => getVariable(TokenVariable) is { Length: > 0 } ? TokenVariable : null;

    /// <summary>The current token, or null when not signed in.</summary>
    /// <param name="refresh">True after a 401: get a new token rather than the cached one.</param>
    public ValueTask<string?> GetAsync(bool refresh, CancellationToken cancellationToken)
        => ValueTask.FromResult(getVariable(TokenVariable) is { Length: > 0 } token ? token.Trim() : null);
}

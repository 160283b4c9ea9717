using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Periscope.Config;

namespace Periscope.Auth;

/// <summary>
/// Finds the authorization server from the ingest endpoint: GET {endpoint}/.well-known/oauth-protected-resource
/// (RFC 9728) names it in authorization_servers; OpenID discovery on it gives the endpoints, and its
/// "issuer" must be the one named. analytics.json "auth" overrides issuer, clientId and scopes.
/// docs/sign-in.md.
/// </summary>
internal static class AuthDiscovery
{
    /// <summary>The server, or null and a problem a person can act on.</summary>
    public static async Task<(AuthServer? Server, string? Problem)> DiscoverAsync(Uri endpoint, AuthSettings? overrides, HttpClient http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(http);
        Uri? issuer = null;
        IReadOnlyList<string> scopes = [];
        if (overrides?.Issuer is { Length: > 0 } configured)
        {
            if (!Uri.TryCreate(configured, UriKind.Absolute, out issuer))
            {
                return (null, $"auth.issuer '{configured}' in analytics.json is not a URL");
            }
        }
        else
        {
            var metadataUri = new Uri(endpoint, ".well-known/oauth-protected-resource");
            var (resource, problem) = await GetAsync(http, metadataUri, AuthJsonContext.Default.ProtectedResourceMetadata, cancellationToken);
            if (resource is null)
            {
                return (null, problem);
            }

            if (resource.AuthorizationServers is not [var first, ..] || !Uri.TryCreate(first, UriKind.Absolute, out issuer))
            {
                return (null, $"{metadataUri} names no authorization server (authorization_servers is missing or empty); set auth.issuer in analytics.json");
            }

            scopes = resource.ScopesSupported ?? [];
        }

        var configurationUri = new Uri(issuer.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration");
        var (openId, openIdProblem) = await GetAsync(http, configurationUri, AuthJsonContext.Default.OpenIdConfiguration, cancellationToken);
        if (openId is null)
        {
            return (null, openIdProblem);
        }

        if (openId.Issuer is null || !SameIssuer(openId.Issuer, issuer))
        {
            return (null, $"{configurationUri} says its issuer is '{openId.Issuer}', not '{issuer}': refusing to sign in with a provider that does not match");
        }

        if (openId.AuthorizationEndpoint is null || openId.TokenEndpoint is null)
        {
            return (null, $"{configurationUri} lacks authorization_endpoint or token_endpoint");
        }

        var device = Uri.TryCreate(openId.DeviceAuthorizationEndpoint, UriKind.Absolute, out var d) ? d : null;
        return (new AuthServer(
            issuer,
            overrides?.ClientId is { Length: > 0 } clientId ? clientId : AuthServer.DefaultClientId,
            overrides?.Scopes is { Count: > 0 } configuredScopes ? configuredScopes : scopes.Where(s => !AuthServer.SignInScopes.Contains(s)).ToList(),
            device)
        {
            TokenEndpoint = new Uri(openId.TokenEndpoint),
        }, null);
    }

    private static bool SameIssuer(string stated, Uri expected)
        => string.Equals(stated.TrimEnd('/'), expected.AbsoluteUri.TrimEnd('/'), StringComparison.Ordinal);

    private static async Task<(T? Value, string? Problem)> GetAsync<T>(HttpClient http, Uri uri, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            using var response = await http.GetAsync(uri, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"{uri} answered {(int)response.StatusCode}: the endpoint publishes no sign-in metadata there (set auth.issuer in analytics.json, or check the endpoint)");
            }

            return await response.Content.ReadFromJsonAsync(type, cancellationToken) is { } value
                ? (value, null)
                : (null, $"{uri} returned an empty document");
        }
        catch (JsonException ex)
        {
            return (null, $"{uri} is not a valid JSON document ({ex.Message})");
        }
        catch (HttpRequestException ex)
        {
            return (null, $"cannot reach {uri}: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"{uri} did not answer in time");
        }
    }
}

/// <summary>RFC 9728 protected resource metadata: the part Periscope reads.</summary>
internal sealed class ProtectedResourceMetadata
{
    [JsonPropertyName("resource")]
    public string? Resource { get; init; }

    [JsonPropertyName("authorization_servers")]
    public IReadOnlyList<string>? AuthorizationServers { get; init; }

    [JsonPropertyName("scopes_supported")]
    public IReadOnlyList<string>? ScopesSupported { get; init; }
}

/// <summary>OpenID Connect discovery: the part Periscope reads.</summary>
internal sealed class OpenIdConfiguration
{
    [JsonPropertyName("issuer")]
    public string? Issuer { get; init; }

    [JsonPropertyName("authorization_endpoint")]
    public string? AuthorizationEndpoint { get; init; }

    [JsonPropertyName("token_endpoint")]
    public string? TokenEndpoint { get; init; }

    [JsonPropertyName("device_authorization_endpoint")]
    public string? DeviceAuthorizationEndpoint { get; init; }
}

/// <summary>Source-generated metadata for the sign-in documents and what Periscope keeps of a sign-in.</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata, WriteIndented = true)]
[JsonSerializable(typeof(ProtectedResourceMetadata))]
[JsonSerializable(typeof(OpenIdConfiguration))]
[JsonSerializable(typeof(SignInRecord))]
[JsonSerializable(typeof(DeviceAuthorizationResponse))]
[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class AuthJsonContext : JsonSerializerContext;

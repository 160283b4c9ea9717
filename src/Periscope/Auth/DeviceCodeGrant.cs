using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Periscope.Auth;

/// <summary>
/// The device authorization grant (RFC 8628) against the discovered device_authorization_endpoint.
/// MSAL 4.92 does not implement device code on a generic OpenID authority (it throws
/// NotImplementedException), so this one grant is done here with HttpClient; its refresh token is
/// then handed to MSAL, which keeps and renews the sign-in like any other (docs/sign-in.md).
/// </summary>
internal sealed class DeviceCodeGrant(HttpClient http, TimeProvider time)
{

    /// <summary>What the user is asked to do.</summary>
    internal sealed record Prompt(Uri VerificationUri, string UserCode, DateTimeOffset ExpiresAt);

    /// <summary>The refresh token once the user has approved, or null and why not.</summary>
    public async Task<(string? RefreshToken, string? Problem)> RunAsync(
        Uri deviceEndpoint, Uri tokenEndpoint, string clientId, IEnumerable<string> scopes, Func<Prompt, Task> show, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(show);
        var scope = string.Join(' ', AuthServer.SignInScopes.Concat(scopes).Distinct(StringComparer.Ordinal));
        using var startForm = Form(("client_id", clientId), ("scope", scope));
        using var start = await http.PostAsync(deviceEndpoint, startForm, cancellationToken);
        var authorization = await ReadAsync(start, AuthJsonContext.Default.DeviceAuthorizationResponse, cancellationToken);
        if (!start.IsSuccessStatusCode || authorization?.DeviceCode is null || authorization.UserCode is null || authorization.VerificationUri is null)
        {
            return (null, $"{deviceEndpoint} answered {(int)start.StatusCode} without a device code");
        }

        var expiresAt = time.GetUtcNow().AddSeconds(authorization.ExpiresIn is > 0 ? authorization.ExpiresIn.Value : 600);
        await show(new Prompt(new Uri(authorization.VerificationUri), authorization.UserCode, expiresAt));
        var interval = TimeSpan.FromSeconds(authorization.Interval is > 0 ? authorization.Interval.Value : 5);
        while (time.GetUtcNow() < expiresAt)
        {
            await Task.Delay(interval, time, cancellationToken);
            using var pollForm = Form(("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", authorization.DeviceCode), ("client_id", clientId));
            using var poll = await http.PostAsync(tokenEndpoint, pollForm, cancellationToken);
            var token = await ReadAsync(poll, AuthJsonContext.Default.TokenResponse, cancellationToken);
            if (poll.IsSuccessStatusCode)
            {
                return token?.RefreshToken is { Length: > 0 } refresh
                    ? (refresh, null)
                    : (null, "the provider signed you in but issued no refresh token (offline_access), so the sign-in could not be kept");
            }

            switch (token?.Error)
            {
                case "authorization_pending":
                    continue;
                case "slow_down":
                    interval += TimeSpan.FromSeconds(5); // RFC 8628 3.5
                    continue;
                case "access_denied":
                    return (null, "the sign-in was declined");
                case "expired_token":
                    return (null, "the code expired before it was entered; run 'periscope login --device-code' again");
                default:
                    return (null, $"{tokenEndpoint} answered {(int)poll.StatusCode}: {token?.Error ?? "no error code"} {token?.ErrorDescription}".TrimEnd());
            }
        }

        return (null, "the code expired before it was entered; run 'periscope login --device-code' again");
    }

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields)
        => new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>RFC 8628 3.2.</summary>
internal sealed class DeviceAuthorizationResponse
{
    [JsonPropertyName("device_code")]
    public string? DeviceCode { get; init; }

    [JsonPropertyName("user_code")]
    public string? UserCode { get; init; }

    [JsonPropertyName("verification_uri")]
    public string? VerificationUri { get; init; }

    [JsonPropertyName("expires_in")]
    public int? ExpiresIn { get; init; }

    [JsonPropertyName("interval")]
    public int? Interval { get; init; }
}

/// <summary>RFC 6749 5.1 and 5.2: the parts the device grant reads.</summary>
internal sealed class TokenResponse
{
    [JsonPropertyName("refresh_token")]
    public string? RefreshToken { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("error_description")]
    public string? ErrorDescription { get; init; }
}

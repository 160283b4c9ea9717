using System.Text.Json.Serialization;

namespace Periscope.Auth;

/// <summary>What Periscope keeps of a sign-in besides MSAL's token cache: where, as whom, when. No token.</summary>
internal sealed class SignInRecord
{
    [JsonPropertyName("issuer")]
    public required string Issuer { get; init; }

    [JsonPropertyName("client_id")]
    public required string ClientId { get; init; }

    [JsonPropertyName("scopes")]
    public required IReadOnlyList<string> Scopes { get; init; }

    [JsonPropertyName("endpoint")]
    public required string Endpoint { get; init; }

    [JsonPropertyName("username")]
    public string? Username { get; init; }

    [JsonPropertyName("signed_in_at")]
    public DateTimeOffset SignedInAt { get; init; }

    [JsonIgnore]
    public AuthServer Server => new(new Uri(Issuer), ClientId, Scopes, null);
}

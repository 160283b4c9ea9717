namespace Periscope.Auth;

/// <summary>
/// The authorization server Periscope signs in with, as discovery found it (or analytics.json's
/// "auth" overrides said): its issuer, Periscope's client id there, the scopes to ask for beyond
/// openid/profile/offline_access, and its device authorization endpoint when it has one.
/// </summary>
internal sealed record AuthServer(Uri Issuer, string ClientId, IReadOnlyList<string> Scopes, Uri? DeviceAuthorizationEndpoint)
{
    /// <summary>Periscope's public client id when neither the metadata nor analytics.json names one.</summary>
    public const string DefaultClientId = "periscope-cli";

    /// <summary>
    /// What every sign-in asks for: who the user is, and a refresh token (offline_access) for the
    /// worker. MSAL adds them to every request itself and refuses them in its scope list.
    /// </summary>
    public static IReadOnlyList<string> SignInScopes { get; } = ["openid", "profile", "offline_access"];

    /// <summary>Where tokens are issued; known after discovery (the device code grant polls it).</summary>
    public Uri? TokenEndpoint { get; init; }
}

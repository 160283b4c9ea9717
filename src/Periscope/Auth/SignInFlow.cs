using Microsoft.Identity.Client;
using Periscope.Config;
using Periscope.Platform;

namespace Periscope.Auth;

/// <summary>
/// The sign-in half of periscope login: discover the provider, sign in (browser or device code) and
/// keep the sign-in. What follows (asking the ingest whether this user may deliver) is
/// Delivery's <c>Login</c>.
/// </summary>
internal sealed class SignInFlow(PeriscopeSettings settings, DeliveryTarget.Remote target, Func<string, string?> getVariable, TimeProvider time)
{
    /// <summary>Signed in as <paramref name="Who"/> at <paramref name="Issuer"/>, or <paramref name="Problem"/> in words for the terminal.</summary>
    internal sealed record Outcome(string? Problem, string Who = "", Uri? Issuer = null)
    {
        public static Outcome Failed(string problem) => new(problem);
    }

    public async Task<Outcome> RunAsync(bool deviceCode, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        using var http = new AuthHttpClientFactory(target.CaFile);
        var (server, problem) = await AuthDiscovery.DiscoverAsync(target.Endpoint, settings.Auth, http.GetHttpClient(), cancellationToken);
        if (server is null)
        {
            return Outcome.Failed($"cannot sign in: {problem}");
        }

        if (!deviceCode && PortTaken() is { } taken)
        {
            return Outcome.Failed(taken);
        }

        var store = AccessTokens.StoreFor(settings, getVariable);
        var signIn = new SignIn(server, store, http);
        AuthenticationResult result;
        try
        {
            if (deviceCode)
            {
                if (server.DeviceAuthorizationEndpoint is not { } deviceEndpoint || server.TokenEndpoint is not { } tokenEndpoint)
                {
                    return Outcome.Failed($"{server.Issuer} offers no device code sign-in (no device_authorization_endpoint): run 'periscope login' on a machine with a browser");
                }

                var (refreshToken, deviceProblem) = await new DeviceCodeGrant(http.GetHttpClient(), time).RunAsync(
                    deviceEndpoint,
                    tokenEndpoint,
                    server.ClientId,
                    server.Scopes,
                    prompt => progress.WriteLineAsync($"To sign in, open {prompt.VerificationUri} on any device and enter the code {prompt.UserCode}. Waiting for you (up to {(prompt.ExpiresAt - time.GetUtcNow()).TotalMinutes:0} minutes)..."),
                    cancellationToken);
                if (refreshToken is null)
                {
                    return Outcome.Failed($"sign-in with {server.Issuer} failed: {deviceProblem}");
                }

                result = await signIn.AdoptAsync(refreshToken, cancellationToken);
            }
            else
            {
                result = await signIn.InteractiveAsync(url => OpenBrowserAsync(url, progress), cancellationToken);
            }
        }
        catch (MsalException ex)
        {
            return Outcome.Failed($"sign-in with {server.Issuer} failed: {ex.ErrorCode}: {ex.Message}");
        }
        catch (HttpRequestException ex)
        {
            return Outcome.Failed($"cannot reach {server.Issuer}: {ex.Message}");
        }

        var username = SignIn.UserOf(result);
        store.SaveRecord(new SignInRecord
        {
            Issuer = server.Issuer.AbsoluteUri,
            ClientId = server.ClientId,
            Scopes = server.Scopes,
            Endpoint = target.Endpoint.AbsoluteUri,
            Username = username,
            SignedInAt = time.GetUtcNow(),
        });
        return new Outcome(null, username ?? "you", server.Issuer);
    }

    private static string? PortTaken()
        => PortOwner.Busy(SignIn.RedirectPort) is { } busy
            ? $"port {SignIn.RedirectPort} on localhost is {busy}: sign-in needs it for the browser to come back. Close that program and run 'periscope login' again, or use 'periscope login --device-code'."
            : null;

    private async Task OpenBrowserAsync(Uri url, TextWriter progress)
    {
        var opened = Browser.TryOpen(url, getVariable);
        await progress.WriteLineAsync(opened
            ? $"Your browser is opening to sign in. If it does not, open this address on this machine:\n  {url}"
            : $"No browser could be started. Open this address on this machine, or use 'periscope login --device-code':\n  {url}");
    }
}

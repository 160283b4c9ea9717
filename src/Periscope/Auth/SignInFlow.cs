using Microsoft.Identity.Client;
using Periscope.Config;
using Periscope.Delivery;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Auth;

/// <summary>
/// periscope login, as a sequence: discover the provider, sign in (browser or device code), keep the
/// sign-in, ask the ingest whether this user may deliver (an empty batch: 403 means not a member of
/// a Periscope organization), then lift a needs_login back-off so spooled events go now.
/// </summary>
internal sealed class LoginFlow(PeriscopeSettings settings, DeliveryTarget.Remote target, Func<string, string?> getVariable, TimeProvider time)
{
    /// <summary>How the sign-in went, in words for the terminal.</summary>
    internal sealed record Outcome(bool Success, string Message);

    public async Task<Outcome> RunAsync(bool deviceCode, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        using var http = new AuthHttpClientFactory(target.CaFile);
        var (server, problem) = await AuthDiscovery.DiscoverAsync(target.Endpoint, settings.Auth, http.GetHttpClient(), cancellationToken);
        if (server is null)
        {
            return new Outcome(false, $"cannot sign in: {problem}");
        }

        if (!deviceCode && PortTaken() is { } taken)
        {
            return new Outcome(false, taken);
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
                    return new Outcome(false, $"{server.Issuer} offers no device code sign-in (no device_authorization_endpoint): run 'periscope login' on a machine with a browser");
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
                    return new Outcome(false, $"sign-in with {server.Issuer} failed: {deviceProblem}");
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
            return new Outcome(false, $"sign-in with {server.Issuer} failed: {ex.ErrorCode}: {ex.Message}");
        }
        catch (HttpRequestException ex)
        {
            return new Outcome(false, $"cannot reach {server.Issuer}: {ex.Message}");
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
        var who = username ?? "you";
        return await CheckMembershipAsync(cancellationToken) switch
        {
            SinkResult.Accepted => Resume(new Outcome(true, $"Signed in as {who} at {server.Issuer}; events go to {target.Endpoint}.")),
            SinkResult.Unavailable { SignIn: "not_a_member" } => new Outcome(false, $"Signed in as {who}, but {who} is not a member of a Periscope organization: ask your Periscope admin for an invitation, then run 'periscope login' again."),
            SinkResult.Unavailable unavailable => Resume(new Outcome(true, $"Signed in as {who} at {server.Issuer}. The ingest could not be asked yet ({unavailable.Reason}); spooled events are delivered once it answers.")),
            var other => Resume(new Outcome(true, $"Signed in as {who} at {server.Issuer}; the ingest answered an empty batch with {other.GetType().Name}.")),
        };
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

    private async Task<SinkResult> CheckMembershipAsync(CancellationToken cancellationToken)
    {
        using var client = new IngestClient(target, new AccessTokens(getVariable, target, AccessTokens.StoreFor(settings, getVariable)), DeliveryOptions.Default with { MaxRetryAttempts = 0 }, time);
        return await client.SendAsync([], cancellationToken);
    }

    // The sign-in is new: forget a needs_login back-off and let the worker deliver what waited.
    private Outcome Resume(Outcome outcome)
    {
        var paths = StatePaths.Resolve(getVariable);
        using (var held = DrainLock.TryAcquire(paths))
        {
            if (held is not null)
            {
                var store = new DeliveryStateStore(paths);
                var state = store.Load();
                if (state.SignIn is "needs_login" or "not_a_member" || state.NextAttemptAt is not null)
                {
                    store.Save(state with { SignIn = "ok", NextAttemptAt = null, Failures = 0, LastError = null });
                }
            }
        }

        WorkerLauncher.EnsureRunning(paths, getVariable);
        return outcome;
    }
}

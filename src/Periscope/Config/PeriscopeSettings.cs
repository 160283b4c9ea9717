using System.Net;
using System.Text.Json;
using Periscope.Platform;

namespace Periscope.Config;

/// <summary>
/// The settings every delivering command reads: analytics.json from PERISCOPE_CONFIG, else
/// $XDG_CONFIG_HOME/opencode/analytics.json, else ~/.config/opencode/analytics.json (where OpenCode
/// keeps its own config, on every platform).
/// </summary>
/// <param name="Otlp">An OpenTelemetry receiver that gets every event too (<see cref="OtlpConfig"/>); null when none is configured.</param>
internal sealed record PeriscopeSettings(string ConfigPath, DeliveryTarget Target, SpoolLimits SpoolLimits, AuthSettings? Auth, OtlpTarget? Otlp = null)
{
    public const string ConfigVariable = "PERISCOPE_CONFIG";

    public static PeriscopeSettings Load(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var path = FindConfig(getVariable);
        AnalyticsConfig config;
        try
        {
            // Read only as a regular file: a FIFO or device planted here would block every hook.
            var bytes = !File.Exists(path) ? []
                : RegularFiles.ReadAllBytes(path) ?? throw new IOException("it is not a readable regular file");
            config = bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty
                ? new AnalyticsConfig() // absent or empty: local mode
                : JsonSerializer.Deserialize(bytes, ConfigJsonContext.Default.AnalyticsConfig) ?? new AnalyticsConfig();
        }
        catch (JsonException ex)
        {
            return Broken(path, $"{path} is not valid JSON ({ex.Message}). Fix or remove it; events stay in the spool meanwhile.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Broken(path, $"{path} cannot be read ({FileProblem.Describe(ex)}); events stay in the spool meanwhile.");
        }

        var limits = Limits(config.Spool);
        var target = ReadTarget(config, path, getVariable);
        var caFile = target is DeliveryTarget.Remote remote ? remote.CaFile : CaFile(config, path, getVariable);
        var (otlp, otlpProblem) = OtlpConfig.Resolve(config.Otlp, path, caFile, getVariable);
        if (otlpProblem is not null && target is not DeliveryTarget.Misconfigured)
        {
            target = new DeliveryTarget.Misconfigured($"{otlpProblem}; events stay in the spool meanwhile.");
        }

        return new PeriscopeSettings(path, target, limits, config.Auth, otlp);
    }

    private static PeriscopeSettings Broken(string path, string problem)
        => new(path, new DeliveryTarget.Misconfigured(problem), SpoolLimits.Default, null);

    /// <summary>Where analytics.json is: PERISCOPE_CONFIG, else beside OpenCode's own global config.</summary>
    public static string FindConfig(Func<string, string?> getVariable)
    {
        if (getVariable(ConfigVariable) is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        return Path.Combine(OpenCodeDirectory(getVariable), "analytics.json");
    }

    /// <summary>OpenCode's global config directory: $XDG_CONFIG_HOME/opencode, else ~/.config/opencode, on every platform.</summary>
    public static string OpenCodeDirectory(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        return Path.Combine(UserDirectories.Xdg(getVariable, "XDG_CONFIG_HOME", ".config"), "opencode");
    }

    private static DeliveryTarget ReadTarget(AnalyticsConfig config, string path, Func<string, string?> getVariable)
    {
        if (string.IsNullOrWhiteSpace(config.Endpoint))
        {
            return new DeliveryTarget.Local();
        }

        var (uri, problem) = ParseEndpoint(config.Endpoint, path);
        if (uri is null)
        {
            return new DeliveryTarget.Misconfigured(problem!);
        }

        var caFile = CaFile(config, path, getVariable);
        if (caFile is not null && !File.Exists(caFile))
        {
            return new DeliveryTarget.Misconfigured($"the CA bundle '{caFile}' ({(config.CaFile is null ? "SSL_CERT_FILE" : "caFile in " + path)}) does not exist.");
        }

        return new DeliveryTarget.Remote(uri, caFile);
    }

    // caFile in analytics.json (relative to it), else SSL_CERT_FILE.
    private static string? CaFile(AnalyticsConfig config, string path, Func<string, string?> getVariable)
        => config.CaFile is { Length: > 0 } configured
            ? Path.GetFullPath(configured, Path.GetDirectoryName(path) ?? ".")
            : getVariable("SSL_CERT_FILE") is { Length: > 0 } fromEnvironment ? fromEnvironment : null;

    /// <summary>An endpoint as analytics.json may name it: https, or http on loopback; no credentials.</summary>
    /// <param name="endpoint">The configured value.</param>
    /// <param name="path">The file it is (or will be) in, for the message.</param>
    public static (Uri? Uri, string? Problem) ParseEndpoint(string endpoint, string path)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        endpoint = endpoint.Trim();
        if (!Uri.TryCreate(endpoint.EndsWith('/') ? endpoint : endpoint + "/", UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return (null, $"endpoint '{endpoint}' in {path} is not an https:// URL.");
        }

        if (uri.UserInfo.Length > 0)
        {
            return (null, $"the endpoint in {path} carries credentials; remove them (Periscope signs in by itself).");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
        {
            return (null, $"endpoint '{endpoint}' in {path} uses http:// to another machine; use https:// (plain http is allowed only for localhost).");
        }

        return (uri, null);
    }

    /// <summary>localhost, 127.0.0.0/8 or ::1: where plain http is allowed.</summary>
    public static bool IsLoopback(Uri uri)
        => uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));

    private static SpoolLimits Limits(SpoolSettings? spool)
    {
        var limits = SpoolLimits.Default;
        if (spool is null)
        {
            return limits;
        }

        return limits with
        {
            MaxEvents = spool.MaxEvents is > 0 and var events ? events : limits.MaxEvents,
            MaxBytes = spool.MaxMegabytes is > 0 and var megabytes ? megabytes * 1024L * 1024 : limits.MaxBytes,
            MaxAge = spool.MaxAgeDays is > 0 and var days ? TimeSpan.FromDays(days) : limits.MaxAge,
        };
    }
}

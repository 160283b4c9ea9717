namespace Periscope.Config;

/// <summary>
/// Where OTLP export goes, from the standard OpenTelemetry variables and analytics.json "otlp".
/// Precedence, per setting: the signal's variable (OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, used as the
/// full URL), then the general one (OTEL_EXPORTER_OTLP_ENDPOINT, with /v1/logs or /v1/metrics
/// added), then analytics.json. Likewise _HEADERS, _PROTOCOL and _COMPRESSION (none by default). OTEL_SDK_DISABLED=true, or
/// OTEL_LOGS_EXPORTER=none and OTEL_METRICS_EXPORTER=none, turn export off.
/// </summary>
internal static class OtlpConfig
{
    /// <summary>The receiver to export to, null when none is configured, or a problem to fix.</summary>
    public static (OtlpTarget? Target, string? Problem) Resolve(OtlpSettings? file, string configPath, string? caFile, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        if (string.Equals(getVariable("OTEL_SDK_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        var logs = Signal("LOGS", "v1/logs", file, configPath, getVariable);
        var metrics = Signal("METRICS", "v1/metrics", file, configPath, getVariable);
        if ((logs.Problem ?? metrics.Problem) is { } problem)
        {
            return (null, problem);
        }

        if (logs.Uri is null && metrics.Uri is null)
        {
            return (null, null);
        }

        var compression = (getVariable("OTEL_EXPORTER_OTLP_LOGS_COMPRESSION") ?? getVariable("OTEL_EXPORTER_OTLP_COMPRESSION") ?? file?.Compression ?? "none").Trim();
        if (compression is not ("gzip" or "none"))
        {
            return (null, $"the OTLP compression '{compression}' is neither gzip nor none");
        }

        return (new OtlpTarget(logs.Uri, metrics.Uri, logs.Headers, metrics.Headers, logs.Protocol, metrics.Protocol, compression == "gzip", logs.Source ?? metrics.Source!, caFile), null);
    }

    private static (Uri? Uri, IReadOnlyList<KeyValuePair<string, string>> Headers, OtlpProtocol Protocol, string? Source, string? Problem) Signal(
        string signal, string path, OtlpSettings? file, string configPath, Func<string, string?> getVariable)
    {
        if (string.Equals(getVariable($"OTEL_{signal}_EXPORTER"), "none", StringComparison.OrdinalIgnoreCase))
        {
            return (null, [], OtlpProtocol.Protobuf, null, null);
        }

        var (endpoint, source, full) = getVariable($"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT") is { Length: > 0 } specific
            ? (specific, $"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT", true)
            : getVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } general
                ? (general, "OTEL_EXPORTER_OTLP_ENDPOINT", false)
                : file?.Endpoint is { Length: > 0 } configured ? (configured, $"otlp.endpoint in {configPath}", false) : (null, null, false);
        if (endpoint is null)
        {
            return (null, [], OtlpProtocol.Protobuf, null, null);
        }

        endpoint = endpoint.Trim();
        if (!Uri.TryCreate(full || endpoint.EndsWith('/') ? endpoint : endpoint + "/", UriKind.Absolute, out var baseUri)
            || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
        {
            return Problem($"the OTLP endpoint '{endpoint}' ({source}) is not an http:// or https:// URL");
        }

        var uri = full ? baseUri : new Uri(baseUri, path);
        var headersText = getVariable($"OTEL_EXPORTER_OTLP_{signal}_HEADERS") ?? getVariable("OTEL_EXPORTER_OTLP_HEADERS");
        var headers = headersText is not null ? ParseHeaders(headersText) : file?.Headers?.ToList() ?? [];
        if (headers.Count > 0 && uri.Scheme == Uri.UriSchemeHttp && !PeriscopeSettings.IsLoopback(uri))
        {
            return Problem($"the OTLP endpoint {uri} is plain http to another machine and the export carries headers (an API key, perhaps): use https://");
        }

        var protocolText = getVariable($"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL") ?? getVariable("OTEL_EXPORTER_OTLP_PROTOCOL") ?? file?.Protocol ?? "http/protobuf";
        OtlpProtocol? protocol = protocolText.Trim() switch
        {
            "http/protobuf" => OtlpProtocol.Protobuf,
            "http/json" => OtlpProtocol.Json,
            _ => null,
        };
        if (protocol is null)
        {
            return Problem(protocolText.Trim() == "grpc"
                ? "OTLP over gRPC is not supported: use http/protobuf (the receiver's HTTP port, usually 4318)"
                : $"the OTLP protocol '{protocolText}' is neither http/protobuf nor http/json");
        }

        return (uri, headers, protocol.Value, source, null);

        static (Uri?, IReadOnlyList<KeyValuePair<string, string>>, OtlpProtocol, string?, string?) Problem(string problem)
            => (null, [], OtlpProtocol.Protobuf, null, problem);
    }

    /// <summary>OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES: key=value pairs, comma-separated, values percent-encoded.</summary>
    public static List<KeyValuePair<string, string>> ParseHeaders(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                headers.Add(new(pair[..equals].Trim(), Uri.UnescapeDataString(pair[(equals + 1)..].Trim())));
            }
        }

        return headers;
    }
}

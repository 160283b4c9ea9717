using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;

namespace Periscope.Tests.Support;

/// <summary>
/// A real OTLP receiver: the standalone .NET Aspire Dashboard (NuGet Aspire.Dashboard.Sdk.linux-x64,
/// restored with the tests), on 127.0.0.1. It takes OTLP/HTTP in protobuf and JSON and serves back
/// the log records it received at /api/telemetry/logs.
/// </summary>
internal sealed class AspireDashboard : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private AspireDashboard(Process process, Uri otlp, Uri ui)
    {
        _process = process;
        OtlpEndpoint = otlp;
        Ui = ui;
    }

    /// <summary>The OTLP/HTTP base URL: logs go to /v1/logs, metrics to /v1/metrics.</summary>
    public Uri OtlpEndpoint { get; }

    public Uri Ui { get; }

    /// <summary>Starts the dashboard; with <paramref name="apiKey"/>, OTLP requests need the x-otlp-api-key header.</summary>
    public static async Task<AspireDashboard> StartAsync(string? apiKey = null)
    {
        var executable = typeof(AspireDashboard).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "AspireDashboard")?.Value;
        if (executable is null)
        {
            Assert.Skip("The Aspire Dashboard package exists for linux-x64 only; the OTLP receiver tests run there.");
        }

        Assert.True(File.Exists(executable), $"The Aspire Dashboard is missing at {executable}: restore the test project (./build.sh test does).");
        var (otlpPort, uiPort) = (FreePort(), FreePort());
        var start = new ProcessStartInfo(executable!)
        {
            WorkingDirectory = Path.GetDirectoryName(executable)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{uiPort}";
        start.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{otlpPort}";
        start.Environment["DASHBOARD__OTLP__AUTHMODE"] = apiKey is null ? "Unsecured" : "ApiKey";
        if (apiKey is not null)
        {
            start.Environment["DASHBOARD__OTLP__PRIMARYAPIKEY"] = apiKey;
        }

        start.Environment["DASHBOARD__FRONTEND__AUTHMODE"] = "Unsecured";
        start.Environment["DASHBOARD__API__ENABLED"] = "true";
        start.Environment["DASHBOARD__API__AUTHMODE"] = "Unsecured";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var dashboard = new AspireDashboard(process, new Uri($"http://127.0.0.1:{otlpPort}/"), new Uri($"http://127.0.0.1:{uiPort}/"));
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = await dashboard._http.GetAsync(new Uri(dashboard.Ui, "api/telemetry/resources"));
                if (probe.IsSuccessStatusCode)
                {
                    return dashboard;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                await dashboard.DisposeAsync();
                throw new InvalidOperationException("the Aspire Dashboard did not start within 60 s");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Every log record received: (event name, attributes by key, resource attributes by key).</summary>
    public async Task<IReadOnlyList<ReceivedLog>> LogsAsync()
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri(Ui, "api/telemetry/logs?limit=100000")));
        var logs = new List<ReceivedLog>();
        foreach (var resourceLogs in document.RootElement.GetProperty("data").GetProperty("resourceLogs").EnumerateArray())
        {
            var resource = Attributes(resourceLogs.GetProperty("resource"));
            foreach (var scope in resourceLogs.GetProperty("scopeLogs").EnumerateArray())
            {
                foreach (var record in scope.GetProperty("logRecords").EnumerateArray())
                {
                    logs.Add(new ReceivedLog(
                        record.TryGetProperty("eventName", out var name) ? name.GetString() ?? string.Empty : string.Empty,
                        record.GetProperty("timeUnixNano").GetString() ?? string.Empty,
                        record.TryGetProperty("body", out var body) && body.TryGetProperty("stringValue", out var text) ? text.GetString() ?? string.Empty : string.Empty,
                        Attributes(record),
                        resource,
                        record.GetRawText()));
                }
            }
        }

        return logs;
    }

    /// <summary>Everything the dashboard holds, as text: for privacy canaries.</summary>
    public async Task<string> EverythingAsync()
        => await _http.GetStringAsync(new Uri(Ui, "api/telemetry/logs?limit=100000")) + await _http.GetStringAsync(new Uri(Ui, "api/telemetry/resources"));

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
        }
    }

    // The dashboard serves every value back as a string (intValue "12" included).
    private static Dictionary<string, string> Attributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!owner.TryGetProperty("attributes", out var list))
        {
            return attributes;
        }

        foreach (var attribute in list.EnumerateArray())
        {
            var value = attribute.GetProperty("value");
            attributes[attribute.GetProperty("key").GetString()!] = value.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()).FirstOrDefault() ?? string.Empty;
        }

        return attributes;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One log record as the dashboard serves it back.</summary>
internal sealed record ReceivedLog(string EventName, string TimeUnixNano, string Body, IReadOnlyDictionary<string, string> Attributes, IReadOnlyDictionary<string, string> Resource, string Json);

using System.Text.Json;
using Periscope.Tests.Support;

namespace Periscope.Tests.Delivery;

/// <summary>
/// OTLP export as a user sets it up, through the published binary: the standard variable or
/// 'install --otlp', a real OpenCode recording, and the Aspire Dashboard as the receiver.
/// </summary>
public sealed class OtlpBinaryTests : IDisposable
{
    private readonly UserHome _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task OtelExporterOtlpEndpoint_Alone_ExportsEveryCapturedEvent_WithNothingElseConfigured()
    {
        await using var dashboard = await AspireDashboard.StartAsync();
        var environment = _home.Environment();
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.OtlpEndpoint.ToString();
        Assert.Equal(0, PeriscopeBinary.Run(environment, null, "replay", HookFixtures.FixturePath("session-with-commit.hooks.jsonl")).ExitCode);
        var spooled = StateDirectory.SpoolFiles(_home.Combine("state")).Count;

        var flush = PeriscopeBinary.Run(environment, null, "flush");

        Assert.True(flush.ExitCode == 0, flush.Stdout + flush.Stderr);
        Assert.Contains($"otlp: {spooled} events exported to {dashboard.OtlpEndpoint}v1/logs", flush.Stdout, StringComparison.Ordinal);
        var logs = await dashboard.LogsAsync();
        Assert.Equal(spooled, logs.Count);
        var message = logs.First(l => l.EventName == "periscope.assistant_message");
        Assert.Equal("ses_df0f0b331ffeDYh50YSwxf08pI", message.Attributes["gen_ai.conversation.id"]);
        Assert.True(message.Attributes.ContainsKey("gen_ai.request.model"));
        Assert.Equal("periscope", message.Resource["service.name"]);
        Assert.Empty(StateDirectory.SpoolFiles(_home.Combine("state")));

        using var status = JsonDocument.Parse(PeriscopeBinary.Run(environment, null, "status", "--json").Stdout);
        var otlp = status.RootElement.GetProperty("otlp");
        Assert.Equal($"{dashboard.OtlpEndpoint}v1/logs", otlp.GetProperty("logs_endpoint").GetString());
        Assert.Equal("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.GetProperty("source").GetString());
        Assert.Equal(spooled, otlp.GetProperty("exported").GetInt32());
        Assert.Contains("otlp:           logs to ", PeriscopeBinary.Run(environment, null, "status").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallOtlp_WritesAnalyticsJson_ThatExports_AndDoctorChecksTheReceiver()
    {
        await using var dashboard = await AspireDashboard.StartAsync();
        var environment = _home.Environment();

        var install = PeriscopeBinary.RunIn(_home.Path, environment, null, "install", "--otlp", dashboard.OtlpEndpoint.ToString());

        Assert.True(install.ExitCode == 0, install.Stderr);
        using (var analytics = JsonDocument.Parse(File.ReadAllText(Path.Combine(_home.OpenCodeDirectory, "analytics.json"))))
        {
            Assert.False(analytics.RootElement.TryGetProperty("endpoint", out _)); // no Periscope account needed
            Assert.Equal(dashboard.OtlpEndpoint.ToString(), analytics.RootElement.GetProperty("otlp").GetProperty("endpoint").GetString());
        }

        var doctor = PeriscopeBinary.RunIn(_home.Path, environment, null, "doctor", "--json");
        using (var checks = JsonDocument.Parse(doctor.Stdout))
        {
            var otlp = checks.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "otlp");
            Assert.Equal("pass", otlp.GetProperty("status").GetString());
            Assert.Contains("accepted an empty export", otlp.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Empty(await dashboard.LogsAsync()); // the empty export records nothing
        PeriscopeBinary.Run(environment, HookFixtures.AsShimEnvelope(HookFixtures.CompletedAssistantMessages()[0]), "hook", "opencode");
        Assert.Equal(0, PeriscopeBinary.Run(environment, null, "flush").ExitCode);
        Assert.Single(await dashboard.LogsAsync());
    }

    [Fact]
    public async Task AWrongApiKey_IsReportedByDoctor_AndStatus_AndNothingIsLost()
    {
        await using var dashboard = await AspireDashboard.StartAsync(apiKey: "the-right-key");
        var environment = _home.Environment();
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.OtlpEndpoint.ToString();
        environment["OTEL_EXPORTER_OTLP_HEADERS"] = "x-otlp-api-key=a-wrong-key";
        PeriscopeBinary.Run(environment, HookFixtures.AsShimEnvelope(HookFixtures.CompletedAssistantMessages()[0]), "hook", "opencode");

        var doctor = PeriscopeBinary.RunIn(_home.Path, environment, null, "doctor");
        var flush = PeriscopeBinary.Run(environment, null, "flush");

        Assert.Contains("refused the credentials (401)", doctor.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, flush.ExitCode);
        Assert.Contains("refused the credentials (401)", flush.Stderr + flush.Stdout, StringComparison.Ordinal);
        Assert.Single(StateDirectory.SpoolFiles(_home.Combine("state")));
        Assert.Contains("refused the credentials", PeriscopeBinary.Run(environment, null, "status").Stdout, StringComparison.Ordinal);

        environment["OTEL_EXPORTER_OTLP_HEADERS"] = "x-otlp-api-key=the-right-key";
        Assert.Equal(0, PeriscopeBinary.Run(environment, null, "flush").ExitCode);
        Assert.Single(await dashboard.LogsAsync());
    }
}

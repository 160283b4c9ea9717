using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Periscope.Tests.Support;

namespace Periscope.EndToEnd.Tests;

/// <summary>
/// A real npm registry on loopback: verdaccio 5.33.0 (tests/e2e/package.json; 6.x needs Node 22),
/// with no uplink, so it serves only what a test published to it. Point npm, and so OpenCode's
/// own plugin installer, at it with <c>npm_config_registry</c>.
/// </summary>
internal sealed class LocalRegistry : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _npmrc;

    private LocalRegistry(Process process, Uri url, string npmrc)
    {
        _process = process;
        Url = url;
        _npmrc = npmrc;
    }

    public Uri Url { get; }

    public static async Task<LocalRegistry> StartAsync(string directory)
    {
        var verdaccio = Path.Combine(PeriscopeBinary.RepoRoot, "tests", "e2e", "node_modules", "verdaccio", "bin", "verdaccio");
        Assert.True(File.Exists(verdaccio), "tests/e2e has no verdaccio: run ./build.sh test (it runs npm install there)");
        Directory.CreateDirectory(directory);
        var port = FreePort();
        var config = Path.Combine(directory, "config.yaml");
        // The platform package is ~10 MB gzipped: above verdaccio's default body limit.
        File.WriteAllText(config, $"""
            storage: {Path.Combine(directory, "storage")}
            auth:
              htpasswd:
                file: {Path.Combine(directory, "htpasswd")}
            uplinks: {"{}"}
            packages:
              '**':
                access: $all
                publish: $authenticated
            max_body_size: 100mb
            log: {"{"} type: stdout, format: pretty, level: warn {"}"}
            """);
        var start = new ProcessStartInfo("node", [verdaccio, "--config", config, "--listen", $"127.0.0.1:{port}"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { }; // "doesn't need superuser privileges"
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(process.HasExited, "verdaccio exited before it listened");
            try
            {
                using var ping = await http.GetAsync("-/ping");
                if (ping.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, "verdaccio did not answer within 60 s");
            await Task.Delay(200);
        }

        // npm publishes only when signed in: a user of this registry, and its token in an npmrc of its own.
        using var signUp = await http.PutAsJsonAsync("-/user/org.couchdb.user:e2e", new JsonObject { ["name"] = "e2e", ["password"] = "e2e-registry-password" });
        var token = (await signUp.Content.ReadFromJsonAsync<JsonObject>())?["token"]?.GetValue<string>();
        Assert.True(token is not null, $"verdaccio did not sign the publisher up ({(int)signUp.StatusCode})");
        var npmrc = Path.Combine(directory, "npmrc");
        File.WriteAllText(npmrc, $"//127.0.0.1:{port}/:_authToken={token}\n");
        return new LocalRegistry(process, url, npmrc);
    }

    /// <summary><c>npm publish</c> of a package tarball.</summary>
    public void Publish(string tarball)
    {
        var start = new ProcessStartInfo("npm", ["publish", tarball, "--registry", Url.AbsoluteUri, "--loglevel=error"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["NPM_CONFIG_USERCONFIG"] = _npmrc;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), $"npm publish {Path.GetFileName(tarball)} did not finish");
        Assert.True(process.ExitCode == 0, $"npm publish {Path.GetFileName(tarball)} failed: {stdout.Result}{stderr.Result}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }
}

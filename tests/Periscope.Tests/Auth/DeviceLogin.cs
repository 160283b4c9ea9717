using Periscope.Tests.Support;

namespace Periscope.Tests.Auth;

/// <summary>periscope login --device-code running, its prompt (the verification address and the code) read from its output.</summary>
internal sealed class DeviceLogin : IDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<string> _prompt = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DeviceLogin(System.Diagnostics.Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _output.Enqueue(line);
                if (line.Contains("enter the code", StringComparison.Ordinal))
                {
                    _prompt.TrySetResult(line);
                }
            }
        };
        process.ErrorDataReceived += (_, e) => _output.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>What it printed so far, stdout and stderr, a line each.</summary>
    public IReadOnlyCollection<string> Lines => _output;

    public string Output => string.Join('\n', _output);

    public static DeviceLogin Start(SignInHarness harness) => new(PeriscopeBinary.Start(harness.Environment(), "login", "--device-code"));

    public async Task<(Uri Verification, string Code)> PromptAsync()
    {
        var shown = await _prompt.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var match = System.Text.RegularExpressions.Regex.Match(shown, "open (\\S+) on any device and enter the code (\\S+)\\.");
        return (new Uri(match.Groups[1].Value), match.Groups[2].Value);
    }

    /// <summary>Its exit code, once it exits within <paramref name="within"/>.</summary>
    public int Finish(TimeSpan within)
    {
        Assert.True(_process.WaitForExit(within), Output);
        _process.WaitForExit(); // drains the output events
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}

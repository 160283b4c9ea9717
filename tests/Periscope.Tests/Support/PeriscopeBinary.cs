using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Periscope.Tests.Support;

/// <summary>
/// The published Native AOT binary (artifacts/RID/periscope, made by ./build.sh), run as OpenCode's
/// plugin runs it: a child process with stdin piped in. PERISCOPE_TEST_BINARY overrides the path.
/// </summary>
internal static class PeriscopeBinary
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Path { get; } = Locate();

    public static ProcessResult Run(string home, byte[]? stdin, params string[] args)
        => Run(new Dictionary<string, string?> { ["PERISCOPE_HOME"] = home }, stdin, args);

    public static ProcessResult Run(IReadOnlyDictionary<string, string?> environment, byte[]? stdin, params string[] args)
        => RunIn(null, environment, stdin, args);

    /// <summary>Runs the binary in <paramref name="directory"/> (the test's current directory when null).</summary>
    public static ProcessResult RunIn(string? directory, IReadOnlyDictionary<string, string?> environment, byte[]? stdin, params string[] args)
        => RunWith([], directory, environment, stdin, args);

    /// <summary>Runs the binary through <paramref name="launcher"/> (e.g. setpriv, to run it as another user) when not empty.</summary>
    public static ProcessResult RunWith(IReadOnlyList<string> launcher, string? directory, IReadOnlyDictionary<string, string?> environment, byte[]? stdin, params string[] args)
    {
        var start = StartInfo(environment, redirectStdin: stdin is not null, args);
        if (launcher.Count > 0)
        {
            start.ArgumentList.Insert(0, start.FileName);
            for (var i = launcher.Count - 1; i > 0; i--)
            {
                start.ArgumentList.Insert(0, launcher[i]);
            }

            start.FileName = launcher[0];
        }

        start.WorkingDirectory = directory ?? string.Empty;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            try
            {
                process.StandardInput.BaseStream.Write(stdin);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The hook stops reading past its limit and exits; a broken pipe here is expected.
            }
        }

        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"periscope {string.Join(' ', args)} did not exit within 30 s");
        }

        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts the binary and returns at once, stdout and stderr redirected, for a test that talks to it while it runs.</summary>
    public static Process Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
        => Process.Start(StartInfo(environment, redirectStdin: false, args))!;

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string?> environment, bool redirectStdin, string[] args)
    {
        Assert.True(File.Exists(Path), $"The published binary is missing at {Path}. Run ./build.sh (or ./build.sh test) first.");
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = redirectStdin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Tests look at the spool: no background worker unless a test asks for one.
        start.Environment["PERISCOPE_WORKER"] = "off";

        // Nor the machine's own analytics.json: local mode unless a test configures an endpoint.
        start.Environment["PERISCOPE_CONFIG"] = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "periscope-tests-no-config", "analytics.json");
        start.Environment.Remove("PERISCOPE_TOKEN");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("PERISCOPE_TEST_BINARY") is { Length: > 0 } configured)
        {
            return configured;
        }

        var name = OperatingSystem.IsWindows() ? "periscope.exe" : "periscope";
        return System.IO.Path.Combine(RepoRoot, "artifacts", RuntimeInformation.RuntimeIdentifier, name);
    }

    private static string FindRepoRoot([CallerFilePath] string here = "")
    {
        for (var dir = System.IO.Path.GetDirectoryName(here); dir is not null; dir = System.IO.Path.GetDirectoryName(dir))
        {
            if (File.Exists(System.IO.Path.Combine(dir, "Periscope.Native.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException("Periscope.Native.sln not found above " + here);
    }
}

internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr);

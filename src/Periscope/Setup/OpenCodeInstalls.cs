using System.Diagnostics;
using System.Text.RegularExpressions;
using Periscope.Platform;

namespace Periscope.Setup;

/// <summary>One <c>opencode</c> executable on PATH and the version it says it is.</summary>
/// <param name="Path">The executable, as PATH finds it.</param>
/// <param name="Version">What <c>opencode --version</c> printed (1.18.33, 2.1.2), or null when it did not answer.</param>
internal sealed record OpenCodeInstall(string Path, string? Version)
{
    /// <summary>The major version, or null when unknown.</summary>
    public int? Major => Part(0);

    private int? Minor => Part(1);

    /// <summary>Null for a version Periscope supports (1.18 and later 1.x, 2.x); else why not.</summary>
    public string? Unsupported => Version switch
    {
        null => "it did not say its version ('opencode --version')",
        _ when Major is 2 => null,
        _ when Major is 1 && Minor >= 18 => null,
        _ when Major is 0 or 1 => $"{Version} is older than 1.18, the oldest OpenCode Periscope works with",
        _ when Major is null => $"'{Version}' is not a version Periscope can read",
        _ => $"{Version} is newer than the majors Periscope knows (1.18 and 2.x); it may load plugins another way",
    };

    /// <summary>"OpenCode 2.1.2 (/usr/local/bin/opencode)".</summary>
    public override string ToString() => $"OpenCode {Version ?? "of unknown version"} ({Path})";

    private int? Part(int index)
        => Version?.Split('.', '-') is { } parts && parts.Length > index
            && int.TryParse(parts[index], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value : null;
}

/// <summary>
/// Which OpenCode is installed: every <c>opencode</c> on PATH (1.18's <c>opencode-ai</c> and 2.x's
/// <c>@opencode/cli</c> both install one, so both can be there), each asked
/// <c>opencode --version</c>. Both majors read the <c>"plugin": [...]</c> list that install writes.
/// </summary>
internal static partial class OpenCodeInstalls
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    public static List<OpenCodeInstall> Find(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var file = HostOS.ExecutableName("opencode");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var found = new List<OpenCodeInstall>();
        foreach (var directory in (getVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = System.IO.Path.Combine(directory, file);
            if (File.Exists(candidate) && seen.Add(Resolve(candidate)))
            {
                found.Add(new OpenCodeInstall(candidate, AskVersion(candidate)));
            }
        }

        return found;
    }

    /// <summary>The version in what <c>opencode --version</c> printed: "1.18.33", or "opencode v2.1.2".</summary>
    public static string? ParseVersion(string output)
        => VersionPattern().Match(output ?? string.Empty) is { Success: true } match ? match.Groups[1].Value : null;

    private static string Resolve(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? System.IO.Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return System.IO.Path.GetFullPath(path);
        }
    }

    private static string? AskVersion(string executable)
    {
        try
        {
            var start = new ProcessStartInfo(executable, ["--version"])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            // A child it left behind may hold stdout open past its exit; the wait stays bounded.
            return process.ExitCode == 0 && output.Wait(s_timeout) ? ParseVersion(output.Result) : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"(?:^|\s|v)(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}

using System.Diagnostics;

namespace Periscope.Tests.Support;

/// <summary>
/// A real repository made with the git CLI in a temp directory, with a fixed identity and no
/// user or system config, so tests see only what they did.
/// </summary>
internal sealed class GitRepo
{
    public GitRepo(string path, bool init = true, string? initArgs = null)
    {
        Path = path;
        Directory.CreateDirectory(path);
        if (init)
        {
            Git($"init -q -b main {initArgs}".Trim());
        }
    }

    public string Path { get; }

    public string GitDirectory => System.IO.Path.Combine(Path, ".git");

    public string Head => Git("rev-parse HEAD");

    /// <summary>Runs git in the repository and returns its trimmed stdout; fails the test on a non-zero exit.</summary>
    public string Git(string arguments, string? workingDirectory = null, long? at = null)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory ?? Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in SplitArguments(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        if (at is { } seconds)
        {
            // Commit and reflog times (git's clock, one-second resolution) set by the test.
            start.Environment["GIT_COMMITTER_DATE"] = $"@{seconds} +0000";
            start.Environment["GIT_AUTHOR_DATE"] = $"@{seconds} +0000";
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {arguments} failed: {stderr}");
        return stdout.Result.Trim();
    }

    public string Commit(string message = "work", string? file = null, long? at = null)
    {
        var name = file ?? $"file-{Guid.NewGuid():N}.txt";
        File.WriteAllText(System.IO.Path.Combine(Path, name), Guid.NewGuid().ToString());
        Git($"add {name}");
        Git($"commit -q -m {message}", at: at);
        return Head;
    }

    /// <summary>The environment every git call (and the hook under test) gets.</summary>
    public static IReadOnlyDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>
    {
        ["GIT_AUTHOR_NAME"] = "Test Author",
        ["GIT_AUTHOR_EMAIL"] = "author@example.invalid",
        ["GIT_COMMITTER_NAME"] = "Test Committer",
        ["GIT_COMMITTER_EMAIL"] = "committer@example.invalid",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_DIR"] = null,
        ["GIT_WORK_TREE"] = null,
        ["GIT_CEILING_DIRECTORIES"] = null,
    };

    // Arguments are space-separated; a test that needs a space in one uses '+' for it.
    private static IEnumerable<string> SplitArguments(string arguments)
        => arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a.Replace('+', ' '));
}
